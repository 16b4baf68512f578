// SPDX-License-Identifier: MIT
// Several plans evaluated over one network and one ledger, member by member (`downline compare`).
#pragma once

#include <string>
#include <vector>

#include "downline/engine.hpp"
#include "downline/io/output_file.hpp"
#include "downline/plan.hpp"
#include "downline/result.hpp"

DOWNLINE_BEGIN_NAMESPACE

/**
 * What one plan paid, kept small enough to hold for many plans at once: the summary, each
 * member's total payout and paid-as rank. Both `compare` and the report read it.
 */
struct plan_outcome {
  summary totals;
  std::vector<minor_t> member_totals;  ///< per member in network-file row order, after the cap
  std::vector<rank_index> paid_rank;   ///< per member in network-file row order
  std::vector<std::string> rank_names;  ///< the plan's ranks, lowest first
  /// Per bonus, per level (0: not level-based): the exact sum of the explanation lines, before
  /// rounding and the cap. Empty unless the run kept explanation lines.
  std::vector<std::vector<exact_t>> level_totals;
};

/// The outcome of one run. O(members + payout lines + explanation lines).
plan_outcome outcome_of(const result& r, const plan& rules);

/// Plans side by side over the same network, in the order given.
struct comparison {
  const network* net = nullptr;
  std::vector<plan_outcome> plans;
};

/**
 * Runs each plan over `net` and `sales` (loaded once) with its own options (period, state);
 * `options` is empty (defaults for all) or has one entry per plan. Plan names must differ:
 * they head compare.csv's columns. Each plan's totals equal a separate engine::run. The plans
 * share one network_layout: the options' own, else one built here for all their trees.
 *
 *     auto c = compare({&a, &b}, net, sales, {});
 *     // c.plans[1].member_totals[row] - c.plans[0].member_totals[row]: what b changes for that member
 *
 * O(plans × one run); holds O(plans × members) beside one run's working memory.
 */
comparison compare(const std::vector<const plan*>& plans, const network& net, const ledger& sales,
                   const std::vector<run_options>& options = {});

/// compare.csv: `member_id,<plan name>,…`, each member's total per plan (the plan's
/// money_decimals); network-file order; members paid nothing under every plan left out.
void write_comparison(output_file& out, const comparison& c);

/// The per-plan summaries as one JSON document: `{"plans": [<summary>, …]}`.
std::string comparison_json(const comparison& c);

DOWNLINE_END_NAMESPACE
