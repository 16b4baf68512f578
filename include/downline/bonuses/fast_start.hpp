// SPDX-License-Identifier: MIT
// `fast_start`: level rates on a new member's first days of sales (SPEC §5.6).
#pragma once

#include <cstdint>
#include <memory>

#include "downline/bonus.hpp"
#include "downline/detail/levels.hpp"

DOWNLINE_BEGIN_NAMESPACE

/**
 * Pays rates[k-1] of each sale line dated on or after the buyer's `joined` date and before
 * `joined` + `days` to the buyer's level-k sponsor upline, when that upline is qualified;
 * there is no compression, so an unpaid share lapses:
 *
 *     { "name": "fast_start", "type": "fast_start", "base": "amount", "days": 30,
 *       "rates": ["20%", "10%"] }
 *
 * Needs dates: a sale line without a date, or a buyer without a `joined` date, is an
 * input error naming its file and line.
 * O(lines + members × levels) without explanations (the in-window sums of each buyer, then
 * one bottom-up sweep: detail::sweep_levels); O(lines × levels) with them.
 */
class fast_start_bonus : public bonus {
 public:
  static std::shared_ptr<bonus> from_config(const config_node& node, const bonus_context& ctx);
  void evaluate(const period_input& in, bonus_result& out) const override;
  bool pays_from_subtree() const noexcept override { return true; }

  std::int32_t days() const noexcept { return days_; }

 private:
  bool on_volume_ = false;
  detail::level_rules rules_;
  std::int32_t days_ = 0;
};

DOWNLINE_END_NAMESPACE
