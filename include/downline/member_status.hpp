// SPDX-License-Identifier: MIT
// A member's standing with the company (network.csv `status`, SPEC §2): settlement only.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "downline/base.hpp"

DOWNLINE_BEGIN_NAMESPACE

/// `active` is paid as usual, `hold` keeps its total as a balance, `terminated` forfeits it
/// (SPEC §11). Held and terminated members still qualify, earn and count as levels.
enum class member_status : std::uint8_t { active, hold, terminated };

/// "active" (or empty), "hold", "terminated"; anything else is nullopt.
constexpr std::optional<member_status> parse_member_status(std::string_view text) noexcept {
  if (text.empty() || text == "active") return member_status::active;
  if (text == "hold") return member_status::hold;
  if (text == "terminated") return member_status::terminated;
  return std::nullopt;
}

constexpr std::string_view to_string(member_status s) noexcept {
  switch (s) {
    case member_status::hold: return "hold";
    case member_status::terminated: return "terminated";
    case member_status::active: break;
  }
  return "active";
}

DOWNLINE_END_NAMESPACE
