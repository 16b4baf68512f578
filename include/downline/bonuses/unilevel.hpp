// SPDX-License-Identifier: MIT
// `unilevel`: level rates up the sponsor tree (SPEC §5.1).
#pragma once

#include <memory>

#include "downline/bonus.hpp"
#include "downline/detail/level_bases.hpp"
#include "downline/detail/levels.hpp"

DOWNLINE_BEGIN_NAMESPACE

/**
 * Pays rates[k-1] of each sale line's base to the buyer's level-k sponsor upline, with
 * compression none/dynamic, paid_on all/active and levels_by_rank.
 * O(members × levels) without explanations; O(lines × levels) with them.
 */
class unilevel_bonus : public bonus {
 public:
  static std::shared_ptr<bonus> from_config(const config_node& node, const bonus_context& ctx);
  void evaluate(const period_input& in, bonus_result& out) const override;
  bool pays_from_subtree() const noexcept override { return true; }
  /// Rates, compression, paid_on and levels_by_rank (a session keeps its level bases by them).
  const detail::level_rules& levels() const noexcept { return rules_; }
  /// Paid on volume (true) or on amount.
  bool on_volume() const noexcept { return on_volume_; }

 private:
  /// All that its pay depends on besides the rates (compare shares the level bases by it).
  detail::level_structure structure(const network& net) const;

  bool on_volume_ = false;
  detail::level_rules rules_;
};

/// Reads `base`: "amount" (false) or "volume" (true).
bool read_base_is_volume(const config_node& node);

DOWNLINE_END_NAMESPACE
