// SPDX-License-Identifier: MIT
// `matching`: a share of what the downline earned from another bonus (SPEC §5.5).
#pragma once

#include <cstddef>
#include <memory>

#include "downline/bonus.hpp"
#include "downline/detail/levels.hpp"

DOWNLINE_BEGIN_NAMESPACE

/**
 * Pays rates[k-1] of what the earner's level-k sponsor-tree downline earned from the bonus
 * named by `of` (listed earlier in the plan), as rounded, before the payout cap, negative
 * amounts included:
 *
 *     { "name": "match", "type": "matching", "of": "level", "rates": ["20%", "10%"],
 *       "compression": "dynamic", "min_rank": "Manager" }
 *
 * `compression` (none / dynamic) and `levels_by_rank` work as for unilevel. With
 * `generation_rank`, levels become generations: a downline member d is in generation
 * 1 + (the members of at least that rank strictly between d and the earner); compression
 * does not apply, and `levels_by_rank` then unlocks generations. A matching of a matching
 * is a plan error (a cycle).
 *
 * Complexity, with L = rates.size(): O(members × L) time without explanations, one reverse
 * sweep of the preorder carrying, per depth, the matched amounts by level (no walks up the
 * tree), memory O(members + max depth × L); with explanations O(members × L + lines), each
 * walk jumping straight to the uplines that earn or close a level.
 *
 * Explanation lines: one per (earner, downline earner): `source` = the downline earner,
 * `level` = its level or generation, `base` = its rounded earning, no sale line.
 */
class matching_bonus : public bonus {
 public:
  static std::shared_ptr<bonus> from_config(const config_node& node, const bonus_context& ctx);
  void evaluate(const period_input& in, bonus_result& out) const override;
  bool pays_from_subtree() const noexcept override { return true; }

  /// Plan index of the matched bonus.
  std::size_t of() const noexcept { return of_; }
  rank_index generation_rank() const noexcept { return generation_rank_; }

 private:
  std::size_t of_ = 0;
  detail::level_rules rules_;
  rank_index generation_rank_ = no_rank;
};

DOWNLINE_END_NAMESPACE
