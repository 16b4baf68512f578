// SPDX-License-Identifier: MIT
// Level-by-level payment up a tree: rates, compression, paid_on, levels_by_rank (SPEC §5.1),
// shared by unilevel (sponsor tree), matrix (placement tree) and matching.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "downline/bonus.hpp"

DOWNLINE_BEGIN_NAMESPACE
namespace detail {

/// The level options of a unilevel-like bonus.
struct level_rules {
  std::vector<rate_t> rates;
  bool dynamic = false;          ///< compression "dynamic"
  bool paid_on_active = false;   ///< paid_on "active"
  /// (rank, levels) sorted by rank; empty means every level is unlocked.
  std::vector<std::pair<rank_index, std::uint32_t>> levels_by_rank;

  /// Reads rates, compression, paid_on and levels_by_rank from a bonus object.
  static level_rules from_config(const config_node& node, const bonus_context& ctx, bool allow_paid_on = true);

  /// How many levels a member of paid rank r may earn on.
  std::uint32_t levels_unlocked(rank_index r) const noexcept;
};

/**
 * Walks up a tree (given by parent pointers, parents before children) paying level rates.
 * With dynamic compression the walk follows precomputed "nearest eligible ancestor"
 * pointers, so each walk is at most rates.size() steps. Build O(n); walk O(levels).
 */
class level_walker {
 public:
  /// `eligible[m]`: m may earn (qualified and, for paid_on active, active).
  level_walker(const level_rules& rules, const std::vector<member_index>& parent,
               std::vector<std::uint8_t> eligible, const qualification& q);

  /// Calls pay(level, earner, rate) for each upline of `from` that earns, nearest first.
  template <class Pay>
  void walk(member_index from, Pay&& pay) const {
    const std::uint32_t depth = static_cast<std::uint32_t>(rules_.rates.size());
    member_index u = up_[from];
    for (std::uint32_t level = 1; u != none && level <= depth; ++level, u = up_[u])
      if (eligible_[u] && (unlocked_.empty() || level <= unlocked_[u])) pay(level, u, rules_.rates[level - 1]);
  }
  bool eligible(member_index m) const noexcept { return eligible_[m]; }

 private:
  const level_rules& rules_;
  std::vector<member_index> up_;
  std::vector<std::uint8_t> eligible_;
  std::vector<std::uint32_t> unlocked_;  // levels each member may earn on; empty: all
};

/// Σ exact += rate × base, into out.exact[earner], with an explanation line when asked.
inline void credit(bonus_result& out, bool explain, member_index earner, member_index source, std::uint32_t line,
                   std::uint32_t level, base_t base, rate_t rate) {
  exact_t amount = static_cast<exact_t>(rate) * base;
  out.exact[earner] += amount;
  if (explain) out.lines.push_back({earner, source, line, level, base, rate, amount});
}

}  // namespace detail
DOWNLINE_END_NAMESPACE
