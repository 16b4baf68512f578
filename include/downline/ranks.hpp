// SPDX-License-Identifier: MIT
// Qualification and paid ranks, bottom-up over the sponsor tree (SPEC §4).
#pragma once

#include <cstdint>
#include <vector>

#include "downline/bonus.hpp"
#include "downline/network.hpp"
#include "downline/plan.hpp"
#include "downline/state.hpp"

DOWNLINE_BEGIN_NAMESPACE

/// Whether a member is active (SPEC §3, §7.3): its PV reached the plan's active_pv, or it was
/// active within the look-back of `previous` (its last_active). Member by member, as qualify
/// decides it (a session keeps activity current as lines arrive).
class activity_rule {
 public:
  activity_rule(const plan& rules, const member_state& previous);
  bool operator()(member_index m, volume_t pv) const noexcept {
    if (pv >= active_pv_) return true;
    return last_active_ && (*last_active_)[m] >= 0 && (*last_active_)[m] + 1 <= look_back_;
  }

 private:
  volume_t active_pv_;
  std::int64_t look_back_;
  const std::vector<std::int64_t>* last_active_;
};

/**
 * From each member's PV: active flags (with the look-back of `previous`), GV (without
 * breakaway groups when the plan has a breakaway rank), the qualified rank (the highest
 * whose every requirement holds) and the paid-as rank and grace count from the previous
 * paid-as rank and grace (SPEC §7.3). A member's paid-as rank is what the members above it
 * see (legs, breakaway). One reverse sweep of the preorder; O(members × ranks + Σ children
 * × leg requirements), no recursion.
 */
qualification qualify(const plan& rules, const network& net, std::vector<volume_t> pv,
                      const member_state& previous = member_state());

/// True when `qualify` gives plans a and b the same qualification from the same PV and
/// state: the same activity rules, ranks and breakaway rank (names included).
bool qualify_alike(const plan& a, const plan& b) noexcept;

/**
 * The member history the next period needs (SPEC §7.2, §7.3), after overrides: the title
 * rank (the higher of the previous title and the paid-as rank, also set in q), and the keys
 * paid_rank, title_rank, grace and last_active written to `next`. O(members).
 */
void record_history(const plan& rules, qualification& q, const member_state& previous, member_state& next);

DOWNLINE_END_NAMESPACE
