// SPDX-License-Identifier: MIT
#include <fmt/format.h>

#include "downline/config.hpp"
#include "downline/decimal.hpp"
#include "downline/result.hpp"
#include "downline/rounding.hpp"

DOWNLINE_BEGIN_NAMESPACE

namespace {
// numerator / denominator with `decimals` decimals, half-even; "null" when undefined.
std::string ratio(__int128 numerator, __int128 denominator, int decimals) {
  if (denominator <= 0) return "null";
  __int128 scaled = divide_rounded(numerator * pow10_i128(decimals), denominator, rounding_mode::half_even);
  return format_fixed(scaled, decimals);
}

// A ratio as a JSON value: a string, or null.
std::string json_ratio(__int128 numerator, __int128 denominator, int decimals) {
  return denominator <= 0 ? "null" : fmt::format("\"{}\"", ratio(numerator, denominator, decimals));
}

std::string json_string(std::string_view s) { return json_value(std::string(s)).dump(); }

// The figures both renderings derive from the summary's exact sums.
struct derived {
  std::string total_amount;  // rounded half-even to money_decimals
  __int128 payout_millionths;  // total_payout brought to the millionths of total_amount
  std::string cap_factor;    // 6 decimals, truncated; "1" when the cap did not apply
};
derived derive(const summary& s) {
  const __int128 to_millionths = pow10_i128(amount_decimals - s.money_decimals);
  return {format_fixed(divide_rounded(s.total_amount, to_millionths, rounding_mode::half_even), s.money_decimals),
          static_cast<__int128>(s.total_payout) * to_millionths,
          s.cap_applied ? format_fixed(s.cap_numerator * 1'000'000 / s.cap_denominator, 6) : "1"};
}
}  // namespace

std::string summary::to_json() const {
  const int md = money_decimals;
  auto money = [&](minor_t v) { return fmt::format("\"{}\"", format_fixed(v, md)); };
  const derived d = derive(*this);
  std::string j = "{\n";
  j += fmt::format("  \"plan\": {},\n", json_string(plan_name));
  j += fmt::format("  \"currency\": {},\n", json_string(currency));
  j += fmt::format("  \"period\": {},\n", period ? json_string(period->to_string()) : "null");
  j += fmt::format("  \"members\": {},\n", members);
  j += fmt::format("  \"sale_lines\": {},\n", sale_lines);
  j += fmt::format("  \"total_amount\": \"{}\",\n", d.total_amount);
  j += fmt::format("  \"total_payout\": {},\n", money(total_payout));
  j += fmt::format("  \"payout_ratio\": {},\n", json_ratio(d.payout_millionths, total_amount, 4));
  j += fmt::format("  \"payout_cap\": {},\n", payout_cap ? json_string(format_rate(*payout_cap)) : "null");
  j += fmt::format("  \"cap_factor\": \"{}\",\n", d.cap_factor);
  j += fmt::format("  \"capped\": {},\n", money(capped));
  j += fmt::format("  \"breakage\": {},\n", money(breakage));
  j += fmt::format("  \"earners\": {},\n", earners);
  j += fmt::format("  \"active_members\": {},\n", active_members);
  j += "  \"bonuses\": [";
  for (std::size_t i = 0; i < bonuses.size(); ++i) {
    const bonus_summary& b = bonuses[i];
    j += fmt::format("{}\n    {{\"name\": {}, \"type\": {}, \"total\": {}, \"earners\": {}", i ? "," : "", json_string(b.name),
                     json_string(b.type), money(b.total), b.earners);
    for (auto& [k, v] : b.figures) j += fmt::format(", {}: {}", json_string(k), json_string(v));
    j += "}";
  }
  j += bonuses.empty() ? "],\n" : "\n  ],\n";
  j += fmt::format("  \"kind_shares\": {{\"retail\": {}, \"personal\": {}, \"fee\": {}}},\n",
                   json_ratio(kind_amount[0], total_amount, 4), json_ratio(kind_amount[1], total_amount, 4),
                   json_ratio(kind_amount[2], total_amount, 4));
  j += fmt::format("  \"earnings\": {{\"zero_share\": {}, \"median\": {}, \"p90\": {}, \"p99\": {}, \"max\": {}}}\n",
                   json_ratio(zero_earners, members, 4), money(median), money(p90), money(p99), money(max));
  j += "}\n";
  return j;
}

std::string summary::to_text() const {
  const int md = money_decimals;
  auto money = [&](minor_t v) { return format_fixed(v, md) + (currency.empty() ? "" : " " + currency); };
  const derived d = derive(*this);
  std::string t;
  t += fmt::format("plan            {}{}\n", plan_name, period ? " — period " + period->to_string() : "");
  t += fmt::format("members         {} ({} active)\n", members, active_members);
  t += fmt::format("sale lines      {}\n", sale_lines);
  t += fmt::format("total amount    {}\n", d.total_amount + (currency.empty() ? "" : " " + currency));
  t += fmt::format("retail/personal/fee  {} / {} / {}\n", ratio(kind_amount[0], total_amount, 4),
                   ratio(kind_amount[1], total_amount, 4), ratio(kind_amount[2], total_amount, 4));
  for (const bonus_summary& b : bonuses)
    t += fmt::format("  {:<14}{:>18}  ({} earners)\n", b.name, money(b.total), b.earners);
  t += fmt::format("total payout    {}  (ratio {})\n", money(total_payout), ratio(d.payout_millionths, total_amount, 4));
  if (cap_applied)
    t += fmt::format("payout cap      factor {}, {} removed\n", d.cap_factor, money(capped));
  if (breakage) t += fmt::format("breakage        {}\n", money(breakage));
  t += fmt::format("earners         {} ({} earn nothing)\n", earners, ratio(zero_earners, members, 4));
  t += fmt::format("earnings        median {}, p90 {}, p99 {}, max {}\n", money(median), money(p90), money(p99), money(max));
  return t;
}

DOWNLINE_END_NAMESPACE
