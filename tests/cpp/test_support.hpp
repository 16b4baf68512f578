// SPDX-License-Identifier: MIT
// Small helpers shared by the Catch2 test files.
#pragma once

#include <exception>
#include <map>
#include <string>
#include <utility>

#include <catch2/catch.hpp>

#include "downline/decimal.hpp"
#include "downline/plan.hpp"
#include "downline/result.hpp"

namespace downline_test {

/// The message of the exception E that `f` throws (a failed test when it throws none or another type).
template <class E, class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  } catch (const std::exception& e) {
    FAIL("unexpected exception type: " << e.what());
  }
  FAIL("expected an exception");
  return {};
}

/// (member id, bonus name) → amount text, from a result's payout lines.
using payout_map = std::map<std::pair<std::string, std::string>, std::string>;

inline payout_map payouts(const downline::result& r, const downline::plan& rules) {
  payout_map out;
  for (const downline::payout_line& p : r.payouts)
    out[{std::string(r.net->id(p.member)), r.bonus_names[p.bonus]}] =
        downline::format_fixed(p.amount, rules.money_decimals);
  return out;
}

}  // namespace downline_test
