// SPDX-License-Identifier: MIT
// `stairstep`: differential rates by paid rank, with breakaway groups and generation
// overrides (SPEC §5.4).
#pragma once

#include <memory>
#include <vector>

#include "downline/bonus.hpp"

DOWNLINE_BEGIN_NAMESPACE

/**
 * A stairstep (differential) bonus, as Amway-style plans run it:
 *
 *     { "name": "performance", "type": "stairstep", "base": "volume",
 *       "steps": [ { "rank": "Bronze", "rate": "3%" }, { "rank": "Silver", "rate": "6%" },
 *                  { "rank": "Gold", "rate": "9%" } ],
 *       "include_personal": true,
 *       "breakaway": { "rank": "Gold", "generations": ["4%", "2%"] } }
 *
 * A member's rate is that of the highest step at or below its paid rank (0 below the first
 * step or when it is not qualified). On a sale of base v by b, b earns rate(b) × v (unless
 * `include_personal` is false); going up with r = rate(b), each upline u with rate(u) > r
 * earns (rate(u) − r) × v and r becomes rate(u). The walk stops after the first member at or
 * above the breakaway rank (b itself included): that member heads the line's breakaway group.
 * The n-th breakaway-rank upline above a group's head earns generations[n-1] × the group's
 * volume (the bases of the lines that stopped at the head), when it is qualified; every
 * breakaway-rank upline counts as a generation.
 *
 * Complexity, with K = the number of distinct step rates + 1 (a handful):
 * - without explanations O(members × K + lines) time, one reverse sweep of the preorder that
 *   carries, per depth, the volume still moving up bucketed by the highest rate it has met
 *   (no per-sale walk); memory O(members + max depth × K);
 * - with explanations O(members × K + lines × K): each sale walks up through "next upline
 *   with a higher rate or a breakaway rank" pointers, so it makes at most K + 1 jumps.
 * Generation overrides: one forward sweep keeping the stack of breakaway-rank ancestors,
 * O(members + groups × generations).
 *
 * Explanation lines: one per (sale line, earner) with `level` = how many levels above the
 * buyer the earner is (empty for the buyer's own rate) and `rate` = the differential; one per
 * (group, earner) for generation overrides, after the earner's sale lines, with `source` =
 * the group's head, `level` = the generation, `base` = the group volume and no sale line.
 * Summary figures: `breakaway_groups`, `group_volume`. See docs/rank-driven-bonuses.md.
 */
class stairstep_bonus : public bonus {
 public:
  struct step {
    rank_index rank;
    rate_t rate;
  };

  static std::shared_ptr<bonus> from_config(const config_node& node, const bonus_context& ctx);
  void evaluate(const period_input& in, bonus_result& out) const override;
  bool pays_from_subtree() const noexcept override { return true; }
  rank_index breakaway_rank() const noexcept override { return breakaway_rank_; }

  const std::vector<step>& steps() const noexcept { return steps_; }
  const std::vector<rate_t>& generations() const noexcept { return generations_; }
  bool include_personal() const noexcept { return include_personal_; }
  bool on_volume() const noexcept { return on_volume_; }

 private:
  bool on_volume_ = false;
  bool include_personal_ = true;
  std::vector<step> steps_;  // ranks strictly increasing
  rank_index breakaway_rank_ = no_rank;
  std::vector<rate_t> generations_;
};

DOWNLINE_END_NAMESPACE
