// SPDX-License-Identifier: MIT
// `matrix`: level rates up a forced width × depth placement matrix (SPEC §5.3).
#pragma once

#include <cstdint>
#include <memory>

#include "downline/bonus.hpp"
#include "downline/detail/levels.hpp"
#include "downline/placement.hpp"

DOWNLINE_BEGIN_NAMESPACE

/**
 * Pays rates[k-1] of each sale line's base to the buyer's level-k upline in the placement
 * matrix (members placed explicitly, or breadth-first with spillover below the sponsor), with
 * the unilevel options compression none/dynamic, paid_on all/active and levels_by_rank.
 * `rates` has at most `depth` entries. Sponsor-tree bonuses of the same plan still follow
 * the sponsor.
 *
 *     { "name": "matrix", "type": "matrix", "base": "amount", "width": 3, "depth": 7,
 *       "rates": ["5%", "5%", "4%", "4%", "3%", "3%", "2%"], "compression": "dynamic" }
 *
 * Complexity: placement (see placement_tree) plus O(members × levels) without explanations,
 * O(lines × levels) with them.
 */
class matrix_bonus : public bonus {
 public:
  static std::shared_ptr<bonus> from_config(const config_node& node, const bonus_context& ctx);
  void evaluate(const period_input& in, bonus_result& out) const override;

  /// The placement tree this bonus pays over.
  placement_options placement() const noexcept { return {false, width_, placement_rule::bfs}; }
  std::optional<placement_options> placement_need() const noexcept override { return placement(); }

 private:
  bool on_volume_ = false;
  std::uint32_t width_ = 2, depth_ = 1;
  detail::level_rules rules_;
};

DOWNLINE_END_NAMESPACE
