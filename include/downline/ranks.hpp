// SPDX-License-Identifier: MIT
// Qualification and paid ranks, bottom-up over the sponsor tree (SPEC §4).
#pragma once

#include <vector>

#include "downline/bonus.hpp"
#include "downline/network.hpp"
#include "downline/plan.hpp"

DOWNLINE_BEGIN_NAMESPACE

/**
 * From each member's PV: active flags, GV (without breakaway groups when the plan has a
 * breakaway rank) and the highest rank whose every requirement holds. One reverse sweep
 * of the preorder; O(members × ranks + Σ children × leg requirements), no recursion.
 */
qualification qualify(const plan& rules, const network& net, std::vector<volume_t> pv);

DOWNLINE_END_NAMESPACE
