// SPDX-License-Identifier: MIT
#include "downline/detail/levels.hpp"

#include <algorithm>
#include <optional>
#include <string>

#include "downline/plan.hpp"

DOWNLINE_BEGIN_NAMESPACE
namespace detail {

level_rules level_rules::from_config(const config_node& node, const bonus_context& ctx, bool allow_paid_on) {
  level_rules r;
  config_node rates = node["rates"];
  if (rates.size() == 0) rates.fail("rates must list at least one level", "[]");
  for (std::size_t i = 0; i < rates.size(); ++i) r.rates.push_back(rates.at(i).as_rate());
  std::optional<config_node> compression = node.get("compression");
  if (compression) {
    std::string s = compression->as_string();
    if (s == "dynamic") r.dynamic = true;
    else if (s == "generous") r.dynamic = r.generous = true;
    else if (s != "none") compression->fail("compression must be none, dynamic or generous");
  }
  if (auto p = node.get("paid_on")) {
    if (!allow_paid_on) p->fail("paid_on does not apply to this bonus type");
    std::string s = p->as_string();
    if (s == "active") r.paid_on_active = true;
    else if (s != "all") p->fail("paid_on must be all or active");
  }
  if (auto lbr = node.get("levels_by_rank")) {
    r.levels_by_rank = by_rank<std::uint32_t>::read(*lbr, ctx, [](const config_node& levels) {
      return static_cast<std::uint32_t>(levels.as_integer(0, 1'000'000));
    });
  }
  // Generous compression skips uplines by the levels their rank unlocks: it needs the table.
  if (r.generous && r.levels_by_rank.empty())
    compression->fail("compression generous needs levels_by_rank (the levels each rank unlocks)");
  return r;
}

std::uint32_t level_rules::levels_unlocked(rank_index r) const noexcept {
  const auto depth = static_cast<std::uint32_t>(rates.size());
  if (levels_by_rank.empty()) return depth;
  const std::uint32_t* levels = levels_by_rank.find(r);
  return levels ? std::min(*levels, depth) : 0;
}

level_walker::level_walker(const level_rules& rules, const std::vector<member_index>& parent,
                           std::vector<std::uint8_t> eligible, const qualification& q)
    : rules_(rules), up_(parent), eligible_(std::move(eligible)) {
  const std::size_t n = parent.size();
  if (rules.dynamic && !rules.generous) {
    // Nearest eligible proper ancestor; parents come first, so one forward sweep.
    for (std::size_t m = 0; m < n; ++m) {
      member_index p = parent[m];
      up_[m] = (p == none || eligible_[p]) ? p : up_[p];
    }
  }
  if (rules.levels_by_rank.empty()) return;  // every level unlocked: no per-member limit to read
  unlocked_.resize(n);
  for (std::size_t m = 0; m < n; ++m) unlocked_[m] = rules.levels_unlocked(q.rank[m]);
  if (rules.generous) {
    build_generous_jumps(parent);
    up_ = {};  // generous walks follow the jumps only
  }
}

void level_walker::build_generous_jumps(const std::vector<member_index>& parent) {
  const std::size_t n = parent.size();
  const auto depth = static_cast<std::uint32_t>(rules_.rates.size());
  // The distinct positive level counts a rank unlocks; a level k is filled by the nearest
  // upline unlocking the smallest of them that is ≥ k.
  std::vector<std::uint32_t> thresholds;
  for (const auto& entry : rules_.levels_by_rank.entries())
    if (entry.second > 0) thresholds.push_back(std::min(entry.second, depth));
  std::sort(thresholds.begin(), thresholds.end());
  thresholds.erase(std::unique(thresholds.begin(), thresholds.end()), thresholds.end());
  jump_for_level_.assign(depth + 1, -1);
  for (std::uint32_t k = 1, t = 0; k <= depth; ++k) {
    while (t < thresholds.size() && thresholds[t] < k) ++t;
    if (t < thresholds.size()) jump_for_level_[k] = static_cast<std::int32_t>(t);
  }
  jumps_.assign(thresholds.size(), std::vector<member_index>(n));
  for (std::size_t t = 0; t < thresholds.size(); ++t) {
    std::vector<member_index>& jump = jumps_[t];
    // Parents come first: one forward sweep.
    for (std::size_t m = 0; m < n; ++m) {
      const member_index p = parent[m];
      jump[m] = (p == none || (eligible_[p] && unlocked_[p] >= thresholds[t])) ? p : jump[p];
    }
  }
}

}  // namespace detail
DOWNLINE_END_NAMESPACE
