// SPDX-License-Identifier: MIT
// Settlement (SPEC §11): from what members earned to what the company pays them.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "downline/member_status.hpp"
#include "downline/payout_rules.hpp"
#include "downline/types.hpp"

DOWNLINE_BEGIN_NAMESPACE

class network;

/// payables.csv `status`: why a member was, or was not, paid.
enum class payable_status : std::uint8_t { paid, hold, below_minimum, negative, forfeited };

std::string_view to_string(payable_status s) noexcept;

/// One member's settlement, in minor units. Always
/// earned + balance_in == fee + deductions + paid + balance_out + forfeited.
struct payable {
  member_index member = none;
  minor_t earned = 0, balance_in = 0, fee = 0, deductions = 0, paid = 0, balance_out = 0, forfeited = 0;
  payable_status status = payable_status::below_minimum;

  /// A member with every figure zero has no payables row.
  bool is_zero() const noexcept {
    return earned == 0 && balance_in == 0 && fee == 0 && deductions == 0 && paid == 0 && balance_out == 0 &&
           forfeited == 0;
  }
};

/// The summary's settlement figures (sums over every member, minor units).
struct settlement_totals {
  minor_t earned = 0, balance_in = 0, paid = 0, fees = 0;
  std::vector<std::string> deduction_names;  ///< payout_rules::deductions' names, plan order
  std::vector<minor_t> deductions;           ///< the total of each, by the same index
  minor_t carried_positive = 0, carried_negative = 0, forfeited = 0;
  std::uint64_t paid_members = 0;
};

/// What settlement hands on: the payables rows and the balances for the state.
struct settlement {
  std::vector<payable> payables;     ///< members with any non-zero figure, in the order settled
  std::vector<minor_t> balance_out;  ///< per member (its index); engine::run moves it into the state
  settlement_totals totals;
};

/**
 * Settles one member: SPEC §11's checks in order (terminated, hold, deductions, not
 * enough to pay, paid). `deduction_amounts` (one per rule) receives each deduction taken,
 * all zero unless paid. Throws overflow_error when the total leaves 64 bits.
 */
payable settle_member(const payout_rules& rules, member_status status, minor_t earned, minor_t balance_in,
                      std::span<minor_t> deduction_amounts);

/**
 * Settles every member. Per member index: `status` (empty: all active), `earned`, and
 * `balance_in` (empty: all 0). Members are visited in `order` (e.g. network-file order;
 * empty: index order), which is the order of the payables rows. Without `keep_payables`
 * only the totals and balances are kept (compare reads no rows), from parts of the members
 * settled side by side on large inputs. O(members × deductions).
 */
settlement settle(const payout_rules& rules, std::span<const member_status> status, std::span<const minor_t> earned,
                  std::span<const minor_t> balance_in, std::span<const member_index> order = {},
                  bool keep_payables = true);

/// The engine's settlement stage: every member of `net` in network-file order (the payables
/// rows' order; index order without rows), its status from the network. `balance_in` may be
/// empty (no state).
settlement settle_period(const payout_rules& rules, const network& net, std::span<const minor_t> earned,
                         std::span<const minor_t> balance_in, bool keep_payables = true);

DOWNLINE_END_NAMESPACE
