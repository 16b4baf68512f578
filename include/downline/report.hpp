// SPDX-License-Identifier: MIT
// The plan-modelling report: income disclosure by paid-as rank, the earnings distribution and
// one self-contained HTML page with charts (`--report` on run and compare).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "downline/compare.hpp"

DOWNLINE_BEGIN_NAMESPACE

/// One row of the income-disclosure table: the members holding one paid-as rank.
struct disclosure_row {
  std::string rank;  ///< "" for members below the first rank
  std::uint64_t members = 0;
  std::uint64_t zero_earners = 0;  ///< members whose total payout is 0
  minor_t median = 0, min = 0, max = 0;  ///< total payout; median by nearest rank, as the summary's
  __int128 sum = 0;                      ///< Σ total payout (mean = sum / members)
};

/**
 * The income-disclosure table: a row for members below the first rank, then one per rank,
 * lowest first (ranks nobody holds included, with 0 members). O(members log members).
 */
std::vector<disclosure_row> disclosure(const plan_outcome& o);

/**
 * The Gini coefficient of the members' total payouts (negative totals counted as 0), exact:
 * (2 Σ i·x_i − (n+1) Σ x) / (n Σ x) over the totals sorted ascending, as a 4-decimal string
 * rounded half-even; nullopt when nobody earns anything. O(members log members).
 */
std::optional<std::string> gini(const plan_outcome& o);

/**
 * Whether a run for the report should keep explanation lines (the report's payout by level
 * sums them): only for ledgers of at most 250,000 lines, as explanation lines take about
 * 64 bytes per (sale line, paid level) and a sort (at 1M members / 3M lines: 3.7 GB, 30 s).
 * Larger runs show levels when explanation lines are asked for anyway (--lines, explain=True).
 */
inline bool report_explains(const ledger& sales) noexcept { return sales.size() <= 250'000; }

/**
 * The report as one HTML page (inline CSS and SVG, no script, nothing fetched): per plan the
 * summary figures (the same strings as the summary JSON), the income-disclosure table, a
 * histogram of earnings on a log scale, the Lorenz curve with the Gini coefficient, payout by
 * bonus and by level (when the runs kept explanation lines), the sales' kind shares and the
 * payout ratio; with several plans, side by side, and the per-member differences from the
 * first plan.
 */
std::string report_html(const comparison& c);

DOWNLINE_END_NAMESPACE
