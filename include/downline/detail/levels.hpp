// SPDX-License-Identifier: MIT
// Level-by-level payment up a tree: rates, compression, paid_on, levels_by_rank (SPEC §5.1),
// shared by unilevel (sponsor tree), matrix (placement tree), matching and fast_start.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "downline/bonus.hpp"
#include "downline/detail/by_rank.hpp"

DOWNLINE_BEGIN_NAMESPACE
namespace detail {

/// The level options of a unilevel-like bonus.
struct level_rules {
  std::vector<rate_t> rates;
  bool dynamic = false;          ///< compression "dynamic" (or "generous")
  bool generous = false;         ///< compression "generous": dynamic, and uplines whose rank
                                 ///< does not unlock the level they would occupy are skipped
  bool paid_on_active = false;   ///< paid_on "active"
  /// Levels unlocked by paid-as rank; empty means every level is unlocked.
  by_rank<std::uint32_t> levels_by_rank;

  /// Reads rates, compression, paid_on and levels_by_rank from a bonus object.
  static level_rules from_config(const config_node& node, const bonus_context& ctx, bool allow_paid_on = true);

  /// How many levels a member of paid rank r may earn on (at most rates.size()).
  std::uint32_t levels_unlocked(rank_index r) const noexcept;
};

/**
 * Walks up a tree (given by parent pointers, parents before children) paying level rates.
 * With dynamic compression the walk follows precomputed "nearest eligible ancestor"
 * pointers, so each walk is at most rates.size() steps. With generous compression it follows,
 * for the level it is filling, "nearest eligible ancestor that unlocks at least t levels"
 * pointers, one array per distinct t in levels_by_rank, so a walk is still at most
 * rates.size() steps however many uplines it skips. Build O(n × distinct unlocks); walk
 * O(levels).
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
    if (rules_.generous) {
      // Each upline reached unlocks the level it fills: it is paid and counts.
      member_index u = from;
      for (std::uint32_t level = 1; level <= depth; ++level) {
        const std::int32_t t = jump_for_level_[level];
        if (t < 0 || (u = jumps_[static_cast<std::size_t>(t)][u]) == none) return;
        pay(level, u, rules_.rates[level - 1]);
      }
      return;
    }
    member_index u = up_[from];
    for (std::uint32_t level = 1; u != none && level <= depth; ++level, u = up_[u])
      if (eligible_[u] && (unlocked_.empty() || level <= unlocked_[u])) pay(level, u, rules_.rates[level - 1]);
  }
  bool eligible(member_index m) const noexcept { return eligible_[m]; }

 private:
  void build_generous_jumps(const std::vector<member_index>& parent);

  const level_rules& rules_;
  std::vector<member_index> up_;
  std::vector<std::uint8_t> eligible_;
  std::vector<std::uint32_t> unlocked_;  // levels each member may earn on; empty: all
  // Generous: jumps_[t][m] = the nearest proper ancestor of m that is eligible and unlocks at
  // least thresholds[t] levels; jump_for_level_[k] = the smallest such t with
  // thresholds[t] ≥ k, or -1 when no rank unlocks level k.
  std::vector<std::vector<member_index>> jumps_;
  std::vector<std::int32_t> jump_for_level_;
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
