// SPDX-License-Identifier: MIT
// `pool`: a share of the period's total base, split among qualified members (SPEC §5.7).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "downline/bonus.hpp"
#include "downline/detail/by_rank.hpp"

DOWNLINE_BEGIN_NAMESPACE

/**
 * A leadership pool: `share` of the period's total base (every sale line of the period,
 * refunds included; no pool when the total is not positive) goes to the qualified members,
 * split `equal`ly (the default) or in proportion to their `gv` (members with GV ≤ 0 get
 * nothing):
 *
 *     { "name": "leaders", "type": "pool", "share": "2%", "split": "gv", "min_rank": "Director" }
 *
 * or by shares (`split: "shares"`): a qualified member holds the whole number of shares of
 * the highest rank listed in `shares_by_rank` at or below its paid-as rank (none: 0); the
 * share value is the pool over all shares held, truncated to minor units, and a member gets
 * its shares × the share value (MMLM-style: $100,000 over 17 shares pays 5,882 a share):
 *
 *     { "name": "global", "type": "pool", "share": "3%", "split": "shares",
 *       "shares_by_rank": { "Gold": 1, "Platinum": 2, "Diamond": 3 } }
 *
 * The pool is a money amount: share × total, truncated to whole minor units. Each member's
 * part is truncated toward zero whatever the plan's rounding, so the amounts handed to the
 * engine are already whole minor units; what no one gets is breakage (bonus_result::breakage,
 * summed into the summary): Σ parts + breakage = pool.
 *
 * Explanation lines: one per earner, no source or sale line; `base` = the pool, `rate` = the
 * earner's fraction of it (truncated to 0.0001 %), `amount` = its part; with shares, `detail`
 * gives the shares held, the rank they come from and the share value.
 * O(members + lines).
 */
class pool_bonus : public bonus {
 public:
  enum class split_rule { equal, gv, shares };

  static std::shared_ptr<bonus> from_config(const config_node& node, const bonus_context& ctx);
  void evaluate(const period_input& in, bonus_result& out) const override;

  rate_t share() const noexcept { return share_; }
  split_rule split() const noexcept { return split_; }

 private:
  bool on_volume_ = false;
  rate_t share_ = 0;
  split_rule split_ = split_rule::equal;
  detail::by_rank<std::int64_t> shares_by_rank_;  ///< split shares: shares held by paid-as rank
  static constexpr std::int64_t max_shares = 1'000'000;  ///< per member

  std::int64_t shares_of(member_index m, const qualification& q) const noexcept;
  std::string describe_shares(member_index m, const qualification& q, const plan& rules,
                              const std::string& share_value) const;
};

DOWNLINE_END_NAMESPACE
