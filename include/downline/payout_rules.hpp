// SPDX-License-Identifier: MIT
// The plan's `payout` block (SPEC §11): what is taken before a member is paid.
#pragma once

#include <string>
#include <vector>

#include "downline/config.hpp"
#include "downline/types.hpp"

DOWNLINE_BEGIN_NAMESPACE

/// A percentage charge on a member's total (tax, service charge), rounded toward zero.
struct deduction_rule {
  std::string name;
  rate_t rate = 0;
};

/**
 * `"payout": { "minimum": "20.00", "fee": "1.50", "deductions": [{ "name": "tax", "rate": "10%" }] }`.
 * Money in minor units of the plan's money_decimals. Without the block everything is 0:
 * every positive total is paid in full.
 */
struct payout_rules {
  minor_t minimum = 0;
  minor_t fee = 0;
  std::vector<deduction_rule> deductions;  ///< plan order; names unique, rates sum below 100%
};

/// Reads the `payout` node; every error names its JSON path ("payout.deductions[1].rate").
payout_rules parse_payout_rules(const config_node& node, int money_decimals);

DOWNLINE_END_NAMESPACE
