// SPDX-License-Identifier: MIT
#include "downline/payout_rules.hpp"

#include <fmt/format.h>

#include "downline/decimal.hpp"

DOWNLINE_BEGIN_NAMESPACE

namespace {
// A non-negative amount with at most the plan's money_decimals, in minor units.
minor_t read_money(const config_node& node, int money_decimals) {
  std::string text;
  if (node.is_string() || node.json().is_binary() || node.json().is_number_integer()) text = node.text();
  else node.fail("money must be a decimal string like \"20.00\"");
  minor_t v = 0;
  const parse_status s = parse_decimal(text, money_decimals, v);
  if (s == parse_status::too_many_decimals)
    node.fail(fmt::format("money has more decimals than the plan's money_decimals ({})", money_decimals), text);
  if (s != parse_status::ok) node.fail(fmt::format("money {}", describe(s)), text);
  if (v < 0) node.fail("money must not be negative", text);
  return v;
}
}  // namespace

payout_rules parse_payout_rules(const config_node& node, int money_decimals) {
  node.allow_keys({"minimum", "fee", "deductions"});
  payout_rules rules;
  if (auto v = node.get("minimum")) rules.minimum = read_money(*v, money_decimals);
  if (auto v = node.get("fee")) rules.fee = read_money(*v, money_decimals);
  if (auto list = node.get("deductions")) {
    list->expect_array();
    rate_t sum = 0;
    for (std::size_t i = 0; i < list->size(); ++i) {
      const config_node d = list->at(i);
      d.allow_keys({"name", "rate"});
      deduction_rule rule{d["name"].as_string(), d["rate"].as_rate()};
      if (rule.name.empty()) d["name"].fail("deduction name is empty");
      for (const deduction_rule& earlier : rules.deductions)
        if (earlier.name == rule.name) d["name"].fail("duplicate deduction name", rule.name);
      sum += rule.rate;
      // Rates of 100% or more would take everything (or more) before the fee.
      if (sum >= rate_one) d["rate"].fail(fmt::format("deduction rates must sum below 100% (they reach {})", format_rate(sum)));
      rules.deductions.push_back(std::move(rule));
    }
  }
  return rules;
}

DOWNLINE_END_NAMESPACE
