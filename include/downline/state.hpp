// SPDX-License-Identifier: MIT
// State carried between periods: binary leg carry per member and bonus (SPEC §7).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "downline/io/output_file.hpp"
#include "downline/types.hpp"

DOWNLINE_BEGIN_NAMESPACE

struct carry_entry {
  std::string member_id;
  std::string bonus;
  volume_t left = 0, right = 0;
  std::string where;  ///< "state.csv:7", for messages
};

/**
 * CSV `member_id,bonus,left,right` (volume decimals). Rows with zero on both sides are
 * left out when writing. The engine checks members and bonuses against the run's inputs.
 */
struct carry_state {
  std::vector<carry_entry> entries;

  static carry_state from_csv(const std::filesystem::path& path);
  void write(output_file& out) const;
};

DOWNLINE_END_NAMESPACE
