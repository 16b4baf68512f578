// SPDX-License-Identifier: MIT
#include "downline/bonuses/builtin.hpp"

#include "downline/bonuses/unilevel.hpp"

DOWNLINE_BEGIN_NAMESPACE

void register_builtin_bonuses(const std::function<void(std::string, bonus_factory)>& add) {
  add("unilevel", &unilevel_bonus::from_config);
}

DOWNLINE_END_NAMESPACE
