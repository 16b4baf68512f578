// SPDX-License-Identifier: MIT
#include "downline/bonuses/builtin.hpp"

#include "downline/bonuses/binary.hpp"
#include "downline/bonuses/fast_start.hpp"
#include "downline/bonuses/matching.hpp"
#include "downline/bonuses/matrix.hpp"
#include "downline/bonuses/pool.hpp"
#include "downline/bonuses/stairstep.hpp"
#include "downline/bonuses/unilevel.hpp"

DOWNLINE_BEGIN_NAMESPACE

void register_builtin_bonuses(const std::function<void(std::string, bonus_factory)>& add) {
  add("unilevel", &unilevel_bonus::from_config);
  add("stairstep", &stairstep_bonus::from_config);
  add("matching", &matching_bonus::from_config);
  add("fast_start", &fast_start_bonus::from_config);
  add("pool", &pool_bonus::from_config);
  add("binary", &binary_bonus::from_config);
  add("matrix", &matrix_bonus::from_config);
}

DOWNLINE_END_NAMESPACE
