// SPDX-License-Identifier: MIT
#include "downline/detail/levels.hpp"

#include <algorithm>

#include "downline/plan.hpp"

DOWNLINE_BEGIN_NAMESPACE
namespace detail {

level_rules level_rules::from_config(const config_node& node, const bonus_context& ctx, bool allow_paid_on) {
  level_rules r;
  config_node rates = node["rates"];
  if (rates.size() == 0) rates.fail("rates must list at least one level", "[]");
  for (std::size_t i = 0; i < rates.size(); ++i) r.rates.push_back(rates.at(i).as_rate());
  if (auto c = node.get("compression")) {
    std::string s = c->as_string();
    if (s == "dynamic") r.dynamic = true;
    else if (s != "none") c->fail("compression must be none or dynamic");
  }
  if (auto p = node.get("paid_on")) {
    if (!allow_paid_on) p->fail("paid_on does not apply to this bonus type");
    std::string s = p->as_string();
    if (s == "active") r.paid_on_active = true;
    else if (s != "all") p->fail("paid_on must be all or active");
  }
  if (auto lbr = node.get("levels_by_rank")) {
    lbr->for_each_member([&](const std::string& rank_name, const config_node& levels) {
      rank_index rank = ctx.rules.find_rank(rank_name);
      if (rank == no_rank) levels.fail("rank is not defined in the plan's ranks", rank_name);
      r.levels_by_rank.emplace_back(rank, static_cast<std::uint32_t>(levels.as_integer(0, 1'000'000)));
    });
    std::sort(r.levels_by_rank.begin(), r.levels_by_rank.end());
  }
  return r;
}

std::uint32_t level_rules::levels_unlocked(rank_index r) const noexcept {
  if (levels_by_rank.empty()) return static_cast<std::uint32_t>(rates.size());
  std::uint32_t levels = 0;
  for (auto [rank, n] : levels_by_rank)
    if (rank <= r) levels = n;
  return levels;
}

level_walker::level_walker(const level_rules& rules, const std::vector<member_index>& parent,
                           std::vector<std::uint8_t> eligible, const qualification& q)
    : rules_(rules), up_(parent), eligible_(std::move(eligible)) {
  const std::size_t n = parent.size();
  if (rules.dynamic) {
    // Nearest eligible proper ancestor; parents come first, so one forward sweep.
    for (std::size_t m = 0; m < n; ++m) {
      member_index p = parent[m];
      up_[m] = (p == none || eligible_[p]) ? p : up_[p];
    }
  }
  if (rules.levels_by_rank.empty()) return;  // every level unlocked: no per-member limit to read
  unlocked_.resize(n);
  for (std::size_t m = 0; m < n; ++m) unlocked_[m] = rules.levels_unlocked(q.rank[m]);
}

}  // namespace detail
DOWNLINE_END_NAMESPACE
