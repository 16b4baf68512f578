// SPDX-License-Identifier: MIT
// What one period's run produces: payout lines, ranks, explanations and the summary.
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "downline/bonus.hpp"
#include "downline/date.hpp"
#include "downline/ledger.hpp"
#include "downline/settlement.hpp"
#include "downline/state.hpp"

DOWNLINE_BEGIN_NAMESPACE

/// One non-zero (member, bonus) payout after the cap, in minor units.
struct payout_line {
  member_index member;
  std::uint16_t bonus;
  minor_t amount;
  std::uint32_t row = 0;  ///< the member's network-file row (outputs read ids in row order)
};

struct bonus_summary {
  std::string name, type;
  minor_t total = 0;          ///< after the cap
  std::uint64_t earners = 0;  ///< members with a non-zero line
  std::vector<std::pair<std::string, std::string>> figures;
};

/// SPEC §8's summary. Money in minor units, sums of amounts exact (millionths).
struct summary {
  std::string plan_name, currency;
  std::optional<commission_period> period;
  int money_decimals = 2;
  std::uint64_t members = 0, sale_lines = 0, active_members = 0, earners = 0, zero_earners = 0;
  __int128 total_amount = 0;                          ///< Σ amount of the period's lines, millionths
  std::array<__int128, sale_kind_count> kind_amount{};  ///< the same per kind
  minor_t total_payout = 0;
  std::optional<rate_t> payout_cap;
  bool cap_applied = false;
  __int128 cap_numerator = 1, cap_denominator = 1;  ///< the factor, exact
  minor_t capped = 0;    ///< removed by the cap
  minor_t breakage = 0;  ///< what pools left undistributed
  minor_t median = 0, p90 = 0, p99 = 0, max = 0;  ///< per-member total payout, nearest rank
  std::vector<bonus_summary> bonuses;
  settlement_totals settlement;  ///< SPEC §11: earned, paid, fees, … over all members

  /// The summary as a JSON object (amounts as exact decimal strings).
  std::string to_json() const;
  /// The summary as text for a terminal.
  std::string to_text() const;
};

/**
 * The outcome of engine::run for one period. Refers to the network it was computed on,
 * which must outlive it.
 */
struct result {
  const network* net = nullptr;
  qualification q;
  std::vector<std::string> bonus_names;
  std::vector<payout_line> payouts;       ///< network-file order, then plan order
  std::vector<explanation> lines;         ///< when explanations were asked for, sorted (SPEC §8)
  std::vector<std::string> details;       ///< what explanation::detail indexes
  std::vector<std::vector<minor_t>> rounded;  ///< per bonus, per member, before the cap
  summary totals;
  /// The plan the result was computed with (names of ranks and state keys).
  std::shared_ptr<const plan> rules;
  /// The state for the next period (SPEC §7.2): carry, history (and balances).
  member_state next_state;
  settlement settled;  ///< SPEC §11: payables rows (file order) and balances out

  /// The state for the next period as text rows (network-file order, then the schema's key
  /// order; rows at their default left out). Built on demand: at 10M members the rows take
  /// seconds and hundreds of MB, and most runs never ask. O(members × keys).
  state_text state() const;
};

DOWNLINE_END_NAMESPACE
