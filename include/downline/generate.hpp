// SPDX-License-Identifier: MIT
#pragma once

/**
 * @file
 * Synthetic, deterministic networks and sales ledgers (`downline generate`, SPEC §9).
 */

#include <cstdint>
#include <filesystem>

#include "downline/base.hpp"

DOWNLINE_BEGIN_NAMESPACE

/** Which placement columns `generate` writes into network.csv. */
enum class generated_placement {
  none,    ///< columns `id,sponsor_id,joined` only
  binary,  ///< plus `placement_id,position` with positions `L` / `R`
  matrix,  ///< plus `placement_id,position` with positions `1..matrix_width`
};

/** What to generate. Every field has a usable default. */
struct generate_options {
  /** Number of members (at least 1, at most 2^32 - 1). */
  std::uint64_t members = 1000;
  /** Sale lines per member times 1000 (2500 = 2.5 lines per member); lines = ⌊members × K⌋. */
  std::uint32_t sales_per_member_milli = 3000;
  /** PRNG seed: the same options give the same bytes on every platform. */
  std::uint64_t seed = 1;
  /** Placement columns to write (about 20% of members get an explicit placement). */
  generated_placement placement = generated_placement::none;
  /** Positions per placement parent with `generated_placement::matrix` (2..1024). */
  std::uint32_t matrix_width = 3;
  /** The period the sales are dated in; members joined over the 24 months before it. */
  int year = 2026, month = 1;
};

/**
 * Writes `dir/network.csv` and `dir/sales.csv` (creating `dir`), as SPEC §2 describes them.
 *
 * The network has one root (the first member, `M000001`); sponsors are chosen by preferential
 * attachment (weight 1 + recruits so far) mixed with recent members (about 30%), so most
 * members recruit nobody, a few recruit very many, and chains run deep. Rows are shuffled, so
 * a sponsor often comes after its recruits. `joined` dates cover the 24 months before the
 * period, the last ~5% of members joining inside the period month.
 *
 * The ledger has ⌊members × K⌋ lines dated in the period: 60% of members (fewer if there
 * are fewer lines) buy at least once and a few buy very often, members who joined inside the
 * period buy on or after their `joined` day; amounts 5.00–200.00 with volume = whole units of the amount;
 * kinds ~80% retail, ~17% personal, ~3% fee; about 1% of lines refund an earlier line of the
 * same member (negative amount and volume); order ids `O1`, `O2`, … are unique.
 *
 * Deterministic: integer-only sampling from a private xoshiro256** generator, so the output
 * does not depend on the standard library or the platform. The two files are written
 * concurrently on two threads; each uses its own random stream, so the bytes do not depend on
 * scheduling.
 *
 * Complexity: O(members + lines) time (O(members × log) with placement), O(members) memory.
 *
 * @code
 *   downline::generate_options o;
 *   o.members = 10'000;
 *   o.placement = downline::generated_placement::binary;
 *   downline::generate(o, "out");   // out/network.csv, out/sales.csv
 * @endcode
 *
 * @throws std::invalid_argument for members == 0 or > 2^32 - 1, a bad month or year, or
 *         matrix_width outside 2..1024 (with matrix placement).
 * @throws std::runtime_error naming the path on any I/O failure (no partial file is left).
 */
void generate(const generate_options& options, const std::filesystem::path& dir);

DOWNLINE_END_NAMESPACE
