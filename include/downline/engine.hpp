// SPDX-License-Identifier: MIT
// Run one period: state in → aggregate → ranks with history → overrides → bonuses → round →
// cap → adjustments → settlement → state out (SPEC §4–§8, §11).
#pragma once

#include <optional>

#include "downline/date.hpp"
#include "downline/ledger.hpp"
#include "downline/network.hpp"
#include "downline/network_layout.hpp"
#include "downline/overrides.hpp"
#include "downline/plan.hpp"
#include "downline/result.hpp"
#include "downline/state.hpp"

DOWNLINE_BEGIN_NAMESPACE

struct run_options {
  /// Only lines dated in this period count; then every line needs a date (SPEC §7.1).
  std::optional<commission_period> period;
  /// Keep explanation lines (SPEC §8 lines.csv); costs memory per contribution.
  bool explain = false;
  /// The state the previous period wrote (read_state), or null: carry, history, balances.
  /// A state from the same or a later period is an error.
  const member_state* state_in = nullptr;
  /// Forced paid-as ranks and activity (SPEC §7.4), or null.
  const overrides* overrides_in = nullptr;
  /// Manual amounts added after the cap (SPEC §7.4), or null.
  const adjustments* adjustments_in = nullptr;
  /// The network's placement trees, built once for many runs (network_layout::build, or
  /// load_network from a compiled network), or null: then run() builds what the plan needs,
  /// beside its passes over the ledger. One built for another network or without a tree the
  /// plan needs is an error (errc::usage).
  const network_layout* layout = nullptr;
  /// At most this many threads compute the run (0: the caller's, all cores by default; at
  /// most 1024). The result is the same for every count.
  unsigned threads = 0;
  /// Keep the payables rows (result::settled.payables, SPEC §11 payables.csv). Without them
  /// the settlement's totals and balances are the same; at 10M members the rows take 0.4 GB.
  bool payables = true;
};

/**
 * Evaluates `rules` over one period of `sales` on `net`. Deterministic. Throws input_error
 * when the ledger does not fit the plan (too many decimals, undated lines with a period)
 * and overflow_error when a sum leaves the fixed-point range.
 *
 *     auto r = run(plan::from_file("plan.json"), net, sales, {});
 *     for (auto& p : r.payouts) std::cout << net.id(p.member) << ' ' << p.amount << '\n';
 */
result run(const plan& rules, const network& net, const ledger& sales, const run_options& options = {});

DOWNLINE_END_NAMESPACE
