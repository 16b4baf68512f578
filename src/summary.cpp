// SPDX-License-Identifier: MIT
#include <fmt/format.h>

#include "downline/config.hpp"
#include "downline/decimal.hpp"
#include "downline/result.hpp"
#include "downline/rounding.hpp"
#include "downline/summary_json.hpp"

DOWNLINE_BEGIN_NAMESPACE

std::string ratio_text(__int128 numerator, __int128 denominator, int decimals) {
  if (denominator <= 0) return "null";
  __int128 scaled = divide_rounded(numerator * pow10_i128(decimals), denominator, rounding_mode::half_even);
  return format_fixed(scaled, decimals);
}

namespace {

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

// Σ paid brought to the millionths of total_amount, for the ratio of paid to sales.
__int128 paid_millionths(const summary& s) {
  return static_cast<__int128>(s.settlement.paid) * pow10_i128(amount_decimals - s.money_decimals);
}

// SPEC §11's figures: money as exact decimal strings, deductions by name in plan order.
json_value settlement_json(const summary& s) {
  auto money = [&](minor_t v) { return format_fixed(v, s.money_decimals); };
  const settlement_totals& t = s.settlement;
  json_value deductions = json_value::object();
  for (std::size_t i = 0; i < t.deduction_names.size(); ++i) deductions[t.deduction_names[i]] = money(t.deductions[i]);
  json_value j = json_value::object();
  j["earned"] = money(t.earned);
  j["balance_in"] = money(t.balance_in);
  j["paid"] = money(t.paid);
  j["paid_members"] = t.paid_members;
  j["paid_ratio"] = s.total_amount > 0 ? json_value(ratio_text(paid_millionths(s), s.total_amount, 4)) : json_value();
  j["fees"] = money(t.fees);
  j["deductions"] = std::move(deductions);
  j["carried_forward"] = {{"positive", money(t.carried_positive)}, {"negative", money(t.carried_negative)}};
  j["forfeited"] = money(t.forfeited);
  return j;
}
}  // namespace

json_value summary_json(const summary& s) {
  auto money = [&](minor_t v) { return format_fixed(v, s.money_decimals); };
  auto share = [&](__int128 numerator, __int128 denominator) {
    return denominator <= 0 ? json_value(nullptr) : json_value(ratio_text(numerator, denominator, 4));
  };
  auto optional_text = [](const auto& v, auto text) { return v ? json_value(text(*v)) : json_value(nullptr); };
  const derived d = derive(s);

  json_value bonus_list = json_value::array();
  for (const bonus_summary& b : s.bonuses) {
    json_value entry = {{"name", b.name}, {"type", b.type}, {"total", money(b.total)}, {"earners", b.earners}};
    for (const auto& [key, value] : b.figures) entry[key] = value;
    bonus_list.push_back(std::move(entry));
  }

  json_value j;
  j["plan"] = s.plan_name;
  j["currency"] = s.currency;
  j["period"] = optional_text(s.period, [](const commission_period& p) { return p.to_string(); });
  j["members"] = s.members;
  j["sale_lines"] = s.sale_lines;
  j["total_amount"] = d.total_amount;
  j["total_payout"] = money(s.total_payout);
  j["payout_ratio"] = share(d.payout_millionths, s.total_amount);
  j["payout_cap"] = optional_text(s.payout_cap, [](rate_t r) { return format_rate(r); });
  j["cap_factor"] = d.cap_factor;
  j["capped"] = money(s.capped);
  j["breakage"] = money(s.breakage);
  j["earners"] = s.earners;
  j["active_members"] = s.active_members;
  j["bonuses"] = std::move(bonus_list);
  j["kind_shares"] = {{"retail", share(s.kind_amount[0], s.total_amount)},
                      {"personal", share(s.kind_amount[1], s.total_amount)},
                      {"fee", share(s.kind_amount[2], s.total_amount)}};
  j["earnings"] = {{"zero_share", share(s.zero_earners, s.members)}, {"median", money(s.median)}, {"p90", money(s.p90)},
                   {"p99", money(s.p99)}, {"max", money(s.max)}};
  j["settlement"] = settlement_json(s);
  return j;
}

std::string summary::to_json() const { return summary_json(*this).dump(2) + "\n"; }

std::string summary::to_text() const {
  const int md = money_decimals;
  auto money = [&](minor_t v) { return format_fixed(v, md) + (currency.empty() ? "" : " " + currency); };
  const derived d = derive(*this);
  std::string t;
  t += fmt::format("plan            {}{}\n", plan_name, period ? " — period " + period->to_string() : "");
  t += fmt::format("members         {} ({} active)\n", members, active_members);
  t += fmt::format("sale lines      {}\n", sale_lines);
  t += fmt::format("total amount    {}\n", d.total_amount + (currency.empty() ? "" : " " + currency));
  t += fmt::format("retail/personal/fee  {} / {} / {}\n", ratio_text(kind_amount[0], total_amount, 4),
                   ratio_text(kind_amount[1], total_amount, 4), ratio_text(kind_amount[2], total_amount, 4));
  for (const bonus_summary& b : bonuses)
    t += fmt::format("  {:<14}{:>18}  ({} earners)\n", b.name, money(b.total), b.earners);
  t += fmt::format("total payout    {}  (ratio {})\n", money(total_payout), ratio_text(d.payout_millionths, total_amount, 4));
  if (cap_applied)
    t += fmt::format("payout cap      factor {}, {} removed\n", d.cap_factor, money(capped));
  if (breakage) t += fmt::format("breakage        {}\n", money(breakage));
  t += fmt::format("earners         {} ({} earn nothing)\n", earners, ratio_text(zero_earners, members, 4));
  t += fmt::format("earnings        median {}, p90 {}, p99 {}, max {}\n", money(median), money(p90), money(p99), money(max));
  const settlement_totals& st = settlement;
  t += fmt::format("earned          {}  (balance in {})\n", money(st.earned), money(st.balance_in));
  t += fmt::format("paid            {}  ({} members, ratio to sales {})\n", money(st.paid), st.paid_members,
                   ratio_text(paid_millionths(*this), total_amount, 4));
  t += fmt::format("fees            {}\n", money(st.fees));
  for (std::size_t i = 0; i < st.deduction_names.size(); ++i)
    t += fmt::format("  {:<14}{:>18}\n", st.deduction_names[i], money(st.deductions[i]));
  t += fmt::format("carried forward {}  (negative balances {})\n", money(st.carried_positive),
                   money(st.carried_negative));
  t += fmt::format("forfeited       {}\n", money(st.forfeited));
  return t;
}

DOWNLINE_END_NAMESPACE
