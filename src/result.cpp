// SPDX-License-Identifier: MIT
#include "downline/result.hpp"

#include "downline/network.hpp"
#include "downline/plan.hpp"

DOWNLINE_BEGIN_NAMESPACE

state_text result::state() const {
  if (!net || !rules) return {};  // a default-constructed result
  return to_text(next_state, *rules, *net);
}

DOWNLINE_END_NAMESPACE
