// SPDX-License-Identifier: MIT
// `binary`: pairing of left and right leg volume over a binary placement tree (SPEC §5.2).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "downline/bonus.hpp"
#include "downline/detail/by_rank.hpp"
#include "downline/placement.hpp"

DOWNLINE_BEGIN_NAMESPACE

/// One member's legs in one period and what pairing made of them (SPEC §5.2). Volumes are
/// in the bonus's base unit (millionths); per side, carry_in + volume = matched + carry_out +
/// flushed.
struct binary_legs {
  base_t carry_in[2] = {0, 0};  ///< [0] left, [1] right
  base_t volume[2] = {0, 0};    ///< the period's sale lines in each placement leg
  base_t matched[2] = {0, 0};   ///< volume given up by pairing
  base_t carry_out[2] = {0, 0};
  base_t flushed[2] = {0, 0};   ///< lost to max_carry or flush_inactive
  std::int64_t cycles = 0;      ///< cycle pairing only
  exact_t pay = 0;              ///< after the cap
  exact_t capped = 0;           ///< pay removed by the cap
};

/**
 * Pays each qualified member on the volume its two placement legs have in common: `rate` ×
 * min(L, R), or `cycle` pay × min(⌊L/left⌋, ⌊R/right⌋); `cap` per member; what is left on
 * each side is carried into the next period (clipped to `max_carry`); negative legs
 * (refunds) carry as negative and pair nothing. An unqualified member (inactive, below
 * `min_rank`, or short of `require_sponsored` active recruits in either leg) pairs nothing
 * and carries everything, or nothing with `flush_inactive`.
 *
 *     { "name": "team", "type": "binary", "base": "volume", "placement": "bfs",
 *       "cycle": { "left": "450", "right": "900", "pay": "40.00" }, "cap": "500.00",
 *       "max_carry": "10000", "require_sponsored": 1 }
 *
 * By the earner's paid-as rank (the entry of the highest listed rank at or below it, else
 * the plain key): `rate_by_rank` (with `rate`), `pay_by_rank` (with `cycle`), `cap_by_rank`
 * (without `cap`, a member below every listed rank is uncapped). Explanation lines then say
 * in `detail` which value applied and the rank it came from.
 *
 * Complexity: placement (see placement_tree) plus O(members + lines); memory O(members).
 */
class binary_bonus : public bonus {
 public:
  static std::shared_ptr<bonus> from_config(const config_node& node, const bonus_context& ctx);
  void evaluate(const period_input& in, bonus_result& out) const override;
  /// Carry per side between periods: `carry_left:<name>`, `carry_right:<name>` (volume).
  std::vector<state_key> state_keys() const override;

  /// The placement tree this bonus pays over.
  placement_options placement() const noexcept { return {true, 2, rule_}; }
  std::optional<placement_options> placement_need() const noexcept override { return placement(); }
  /// Pairs one member's legs (carry_in and volume filled in); `qualified` as SPEC §5.2 says,
  /// `rank` the member's paid-as rank (for the by-rank tables).
  /// Returns nullptr, or what left the fixed-point range ("binary leg volume", ...) for the
  /// caller's message (the member's id is looked up only then: a cache miss per member).
  [[nodiscard]] const char* pair(binary_legs& legs, bool qualified, rank_index rank = no_rank) const;

 private:
  bool on_volume_ = false;
  placement_rule rule_ = placement_rule::bfs;
  std::optional<rate_t> rate_;               ///< rate pairing
  base_t cycle_size_[2] = {0, 0};            ///< cycle pairing: left, right
  amount_t cycle_pay_ = 0;                   ///< cycle pairing: money per cycle (millionths)
  std::optional<amount_t> cap_;              ///< money per member per period (millionths)
  detail::by_rank<rate_t> rate_by_rank_;     ///< rate pairing: the rate by paid-as rank
  detail::by_rank<amount_t> pay_by_rank_;    ///< cycle pairing: money per cycle by paid-as rank
  detail::by_rank<amount_t> cap_by_rank_;    ///< the cap by paid-as rank
  std::optional<base_t> max_carry_;          ///< per side
  bool flush_inactive_ = false;
  std::uint32_t require_sponsored_ = 0;

  /// The rate, cycle pay and cap (nullptr: uncapped) for a member of paid-as rank r.
  rate_t rate_for(rank_index r) const noexcept {
    const rate_t* by = rate_by_rank_.find(r);
    return by ? *by : rate_.value_or(0);
  }
  amount_t pay_for(rank_index r) const noexcept {
    const amount_t* by = pay_by_rank_.find(r);
    return by ? *by : cycle_pay_;
  }
  const amount_t* cap_for(rank_index r) const noexcept {
    const amount_t* by = cap_by_rank_.find(r);
    return by ? by : cap_ ? &*cap_ : nullptr;
  }
  /// lines.csv `detail`: the by-rank values that applied to a member of paid-as rank r.
  std::string describe_by_rank(rank_index r, const plan& rules) const;
};

DOWNLINE_END_NAMESPACE
