// SPDX-License-Identifier: MIT
// A compensation plan: qualification, ranks and bonus components, loaded from JSON.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "downline/bonus.hpp"
#include "downline/payout_rules.hpp"
#include "downline/rounding.hpp"
#include "downline/types.hpp"

DOWNLINE_BEGIN_NAMESPACE

/// The payout name of adjustments that name no plan bonus (SPEC §7.4); no bonus may use it.
inline constexpr std::string_view adjustment_payout_name = "adjustment";

/// `legs: [{ "count": 2, "rank": "Manager" }]` (SPEC §4).
struct leg_requirement {
  std::uint32_t count = 0;
  rank_index rank = no_rank;
  bool operator==(const leg_requirement&) const = default;
};

/// One rank, lowest first in plan::ranks; every present requirement must hold.
struct rank_definition {
  std::string name;
  std::optional<volume_t> pv, gv;
  std::optional<rate_t> max_leg_share;
  std::vector<leg_requirement> legs;
  bool active = true;
  bool operator==(const rank_definition&) const = default;
};

/**
 * The plan file (SPEC §3), validated as a whole: every error names the JSON path.
 *
 *     plan p = plan::from_file("plan.json");
 *     for (auto& b : p.bonuses) std::cout << b->name() << '\n';
 */
class plan {
 public:
  static plan from_json(std::string_view text, const std::string& source = "plan");
  static plan from_file(const std::filesystem::path& path);

  std::string name;
  std::string currency;
  int money_decimals = 2;
  rounding_mode rounding = rounding_mode::half_even;
  volume_t active_pv = 0;
  /// A member is active when its PV reached active_pv in this or the previous
  /// active_periods − 1 periods (SPEC §7.3).
  int active_periods = 1;
  /// Periods a paid-as rank is kept by grace when the qualified rank falls below it.
  int grace_periods = 0;
  std::vector<rank_definition> ranks;
  std::vector<std::shared_ptr<const bonus>> bonuses;
  std::optional<rate_t> payout_cap;
  /// Minimum payout, fee and deductions of settlement (SPEC §11); all zero without a block.
  payout_rules payout;
  /// Members at or above this rank head breakaway groups (a stairstep's breakaway), or no_rank.
  rank_index breakaway_rank = no_rank;

  /// The rank with this name, or no_rank.
  rank_index find_rank(std::string_view rank_name) const noexcept;
  /// The index of the bonus with this name, or -1.
  int find_bonus(std::string_view bonus_name) const noexcept;
  /// The rank's name, "" for no_rank.
  std::string_view rank_name(rank_index r) const noexcept {
    return r == no_rank ? std::string_view() : std::string_view(ranks[static_cast<std::size_t>(r)].name);
  }
};

DOWNLINE_END_NAMESPACE
