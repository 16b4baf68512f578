// SPDX-License-Identifier: MIT
// `pool`: a share of the period's total base, split among qualified members (SPEC §5.7).
#pragma once

#include <memory>

#include "downline/bonus.hpp"

DOWNLINE_BEGIN_NAMESPACE

/**
 * A leadership pool: `share` of the period's total base (every sale line of the period,
 * refunds included; no pool when the total is not positive) goes to the qualified members,
 * split `equal`ly (the default) or in proportion to their `gv` (members with GV ≤ 0 get
 * nothing):
 *
 *     { "name": "leaders", "type": "pool", "share": "2%", "split": "gv", "min_rank": "Director" }
 *
 * The pool is a money amount: share × total, truncated to whole minor units. Each member's
 * part is truncated toward zero whatever the plan's rounding, so the amounts handed to the
 * engine are already whole minor units; what no one gets is breakage (bonus_result::breakage,
 * summed into the summary): Σ parts + breakage = pool.
 *
 * Explanation lines: one per earner, no source or sale line; `base` = the pool, `rate` = the
 * earner's fraction of it (truncated to 0.0001 %), `amount` = its part.
 * O(members + lines).
 */
class pool_bonus : public bonus {
 public:
  enum class split_rule { equal, gv };

  static std::shared_ptr<bonus> from_config(const config_node& node, const bonus_context& ctx);
  void evaluate(const period_input& in, bonus_result& out) const override;

  rate_t share() const noexcept { return share_; }
  split_rule split() const noexcept { return split_; }

 private:
  bool on_volume_ = false;
  rate_t share_ = 0;
  split_rule split_ = split_rule::equal;
};

DOWNLINE_END_NAMESPACE
