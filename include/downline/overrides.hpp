// SPDX-License-Identifier: MIT
// What a back office keys in before closing a period (SPEC §7.4): overrides of paid-as rank and
// activity, and manual adjustments of payouts.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "downline/bonus.hpp"
#include "downline/types.hpp"

DOWNLINE_BEGIN_NAMESPACE

class plan;
class network;

/// One row of an overrides file as text: `rank` a rank name, `-` for no rank, or "" (not
/// overridden); `active` `true`, `false` or "".
struct override_row {
  std::string member_id, rank, active, note;
};

/// One member's override, resolved against the plan and network.
struct member_override {
  member_index member = none;
  std::optional<rank_index> rank;
  std::optional<bool> active;
  std::string note;
};

/**
 * Overrides of one period (`--overrides F`, CSV `member_id,rank,active,note`). Errors name the
 * file and line (or "overrides row <i>") and the value: unknown member or rank, a member twice,
 * a malformed `active`.
 */
struct overrides {
  std::vector<member_override> entries;

  static overrides from_csv(const std::filesystem::path& path, const plan& rules, const network& net);
  static overrides from_rows(const std::vector<override_row>& rows, const plan& rules, const network& net);
};

/// Replaces paid-as ranks and activity after ranks are computed, without cascading; records
/// each note in q.override_note (SPEC §7.4).
void apply_overrides(const overrides& given, qualification& q);

/// One row of an adjustments file as text.
struct adjustment_row {
  std::string member_id, bonus, amount, note;
};

/// One manual amount: `bonus` indexes the plan's bonuses, or equals their count for the
/// `adjustment` payout.
struct member_adjustment {
  member_index member = none;
  std::uint16_t bonus = 0;
  minor_t amount = 0;
  std::string note;
};

/**
 * Adjustments of one period (`--adjustments F`, CSV `member_id,bonus,amount,note`): exact money
 * with at most money_decimals decimals, added after the payout cap. Several rows for one
 * (member, bonus) add up.
 */
struct adjustments {
  std::vector<member_adjustment> entries;

  static adjustments from_csv(const std::filesystem::path& path, const plan& rules, const network& net);
  static adjustments from_rows(const std::vector<adjustment_row>& rows, const plan& rules, const network& net);
  /// True when a row names the `adjustment` payout (it then gets a payout column of its own).
  bool uses_adjustment_payout(const plan& rules) const noexcept;
};

DOWNLINE_END_NAMESPACE
