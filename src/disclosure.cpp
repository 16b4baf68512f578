// SPDX-License-Identifier: MIT
// The report's figures: income disclosure by paid-as rank and the Gini coefficient.
#include <algorithm>

#include "downline/report.hpp"
#include "downline/summary_json.hpp"

DOWNLINE_BEGIN_NAMESPACE

std::vector<disclosure_row> disclosure(const plan_outcome& o) {
  // Row 0: below the first rank; row r + 1: rank r.
  std::vector<std::vector<minor_t>> by_rank(o.rank_names.size() + 1);
  for (std::size_t row = 0; row < o.member_totals.size(); ++row)
    by_rank[static_cast<std::size_t>(o.paid_rank[row] + 1)].push_back(o.member_totals[row]);
  std::vector<disclosure_row> rows(by_rank.size());
  for (std::size_t r = 0; r < by_rank.size(); ++r) {
    disclosure_row& d = rows[r];
    d.rank = r == 0 ? "" : o.rank_names[r - 1];
    std::vector<minor_t>& totals = by_rank[r];
    d.members = totals.size();
    if (totals.empty()) continue;
    std::sort(totals.begin(), totals.end());
    for (minor_t t : totals) {
      d.sum += t;
      d.zero_earners += t == 0;
    }
    d.min = totals.front();
    d.max = totals.back();
    d.median = totals[(totals.size() + 1) / 2 - 1];  // nearest rank: the ⌈n/2⌉-th smallest
  }
  return rows;
}

std::optional<std::string> gini(const plan_outcome& o) {
  std::vector<minor_t> x(o.member_totals);
  for (minor_t& v : x) v = std::max<minor_t>(v, 0);
  std::sort(x.begin(), x.end());
  __int128 sum = 0, weighted = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sum += x[i];
    weighted += static_cast<__int128>(i + 1) * x[i];
  }
  if (sum == 0) return std::nullopt;
  const auto n = static_cast<__int128>(x.size());
  return ratio_text(2 * weighted - (n + 1) * sum, n * sum, 4);
}

DOWNLINE_END_NAMESPACE
