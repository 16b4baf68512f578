// SPDX-License-Identifier: MIT
// bonuses/fast_start.hpp: level rates on sales inside the buyer's first `days` (SPEC §5.6).
// Golden cases by hand in tests/data/golden/33_*.
#include "downline/bonuses/fast_start.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "bonus_test_support.hpp"
#include "downline/error.hpp"

using namespace downline;
using namespace bonus_test;

namespace {

std::string error_of(const network& net, const ledger& sales, const std::string& plan_json) {
  try {
    run(plan::from_json(plan_json, "plan.json"), net, sales);
  } catch (const error& e) {
    return e.what();
  }
  return "no error";
}

const std::string simple_plan =
    R"({"name":"t","bonuses":[{"name":"fs","type":"fast_start","days":30,"rates":["20%","10%"]}]})";

}  // namespace

TEST_CASE("fast_start: golden cases through the C++ API", "[fast_start][golden]") {
  const auto names = golden_cases("33_");
  REQUIRE(names.size() >= 1);
  for (const auto& name : names) check_golden_case(name);
}

TEST_CASE("fast_start: the window starts on the joined day and lasts `days` days", "[fast_start]") {
  // S ── N (joined 2026-01-10); 30 days: 2026-01-10 … 2026-02-08 count, 01-09 and 02-09 do not.
  const network net = make_network({{"S", "", "2025-06-01"}, {"N", "S", "2026-01-10"}});
  const ledger sales = make_ledger(net, {{"N", "1000", "", "2026-01-09"},
                                         {"N", "100", "", "2026-01-10"},
                                         {"N", "10", "", "2026-02-08"},
                                         {"N", "1", "", "2026-02-09"}});
  const result r = run(plan::from_json(simple_plan), net, sales);
  CHECK(paid(r, "S", "fs") == minor("22.00", 2));  // 20% × (100 + 10)
  CHECK(paid(r, "N", "fs") == 0);                  // the buyer never earns on its own line
}

TEST_CASE("fast_start: no compression, unqualified uplines' shares lapse", "[fast_start]") {
  // A ── B ── C (new). B is inactive (PV 0 < 10): level 1 lapses, A is still level 2.
  const network net = make_network({{"A", "", "2020-01-01"}, {"B", "A", "2020-01-01"}, {"C", "B", "2026-01-05"}});
  const ledger sales = make_ledger(net, {{"A", "10", "", "2026-01-01"}, {"C", "200", "", "2026-01-06"}});
  const result r = run(plan::from_json(R"({"name":"t","qualification":{"active_pv":"10"},"bonuses":[
    {"name":"fs","type":"fast_start","days":7,"rates":["20%","10%"]}]})"),
                       net, sales);
  CHECK(paid(r, "B", "fs") == 0);
  CHECK(paid(r, "A", "fs") == minor("20.00", 2));  // 10% × 200 at level 2, not 20%
  CHECK(r.totals.total_payout == minor("20.00", 2));
}

TEST_CASE("fast_start: dates are required", "[fast_start]") {
  const network net = make_network({{"S", "", "2025-06-01"}, {"N", "S", "2026-01-10"}, {"X", "S", ""}});
  // A line without a date: the error names sales.csv and its line (header = line 1).
  const ledger undated = make_ledger(net, {{"N", "100", "", "2026-01-10"}, {"N", "5", "", ""}});
  CHECK_THAT(error_of(net, undated, simple_plan), Catch::Contains("sales.csv:3") && Catch::Contains("''"));
  // A buyer without a joined date: the error names the network row and the member.
  const ledger no_joined = make_ledger(net, {{"N", "100", "", "2026-01-10"}, {"X", "5", "", "2026-01-11"}});
  CHECK_THAT(error_of(net, no_joined, simple_plan), Catch::Contains("network.csv:4") && Catch::Contains("'X'"));
  // The bonus is named as every value is quoted: a control character escaped.
  CHECK_THAT(error_of(net, undated, R"({"name":"t","bonuses":[{"name":"fast\tstart","type":"fast_start","days":30,"rates":["20%"]}]})"),
             Catch::Contains("the fast_start bonus 'fast\\x09start' needs a date"));
  // Without a fast_start bonus nobody needs dates.
  CHECK(error_of(net, undated, R"({"name":"t","bonuses":[{"name":"u","type":"unilevel","rates":["1%"]}]})") == "no error");
}

TEST_CASE("fast_start: plan errors", "[fast_start]") {
  auto plan_error_of = [](const std::string& bonus) {
    try {
      plan::from_json(R"({"name":"t","bonuses":[)" + bonus + "]}", "plan.json");
    } catch (const plan_error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK_THAT(plan_error_of(R"({"name":"fs","type":"fast_start","rates":["1%"]})"), Catch::Contains("days"));
  CHECK_THAT(plan_error_of(R"({"name":"fs","type":"fast_start","days":0,"rates":["1%"]})"),
             Catch::Contains("bonuses[0].days") && Catch::Contains("'0'"));
  CHECK_THAT(plan_error_of(R"({"name":"fs","type":"fast_start","days":30,"rates":["1%"],"compression":"dynamic"})"),
             Catch::Contains("'compression'"));
  CHECK_THAT(plan_error_of(R"({"name":"fs","type":"fast_start","days":30,"rates":[]})"), Catch::Contains("bonuses[0].rates"));
}

TEST_CASE("fast_start: equals a per-line walk on random networks", "[fast_start][property]") {
  dice d(424242);
  const char* const rate_texts[] = {"0%", "1%", "2.5%", "5%", "15%", "25%"};
  const rate_t rate_values[] = {0, 10'000, 25'000, 50'000, 150'000, 250'000};
  std::size_t paid_lines = 0;
  for (int iteration = 0; iteration < 300; ++iteration) {
    const std::uint32_t n = 1 + d.below(30);
    const random_case c = make_random_case(d, n, d.below(3 * n + 1));
    std::vector<rate_t> rates;
    std::string rates_json;
    for (std::uint32_t i = 1 + d.below(4); i > 0; --i) {
      const std::uint32_t k = d.below(6);
      rates.push_back(rate_values[k]);
      rates_json += fmt::format(R"({}"{}")", rates_json.empty() ? "" : ",", rate_texts[k]);
    }
    const std::int32_t days = static_cast<std::int32_t>(1 + d.below(20));
    const bool on_volume = d.chance(40);
    const std::string json = fmt::format(
        R"({{"name":"r","money_decimals":6,"qualification":{{"active_pv":"{}"}},"ranks":[{{"name":"A","pv":"{}"}}],)"
        R"("bonuses":[{{"name":"fs","type":"fast_start","base":"{}","days":{},"rates":[{}]{}}}]}})",
        d.below(3) * 20, d.below(3) * 30, on_volume ? "volume" : "amount", days, rates_json,
        d.chance(30) ? R"(,"min_rank":"A")" : "");
    INFO("iteration " << iteration << "\nplan " << json);
    const plan rules = plan::from_json(json);
    const network net = make_network(c.members);
    const ledger sales = make_ledger(net, c.sales);
    const result fast = run(rules, net, sales);
    run_options options;
    options.explain = true;
    const result slow = run(rules, net, sales, options);

    // (earner, line, level, rate) straight from SPEC §5.6.
    using key = std::tuple<member_index, std::uint32_t, std::uint32_t, rate_t>;
    std::vector<key> expected;
    std::vector<exact_t> exact(n, 0);
    for (std::uint32_t line = 0; line < sales.size(); ++line) {
      const member_index b = sales.member(line);
      if (sales.date(line) < net.joined(b) || sales.date(line) >= net.joined(b) + days) continue;
      const base_t base = on_volume ? sales.volume(line) * 100 : sales.amount(line);
      std::uint32_t level = 1;
      for (member_index u = net.parent(b); u != none && level <= rates.size(); u = net.parent(u), ++level) {
        if (!rules.bonuses[0]->qualified(u, fast.q) || rates[level - 1] == 0) continue;
        expected.emplace_back(u, line, level, rates[level - 1]);
        exact[u] += static_cast<exact_t>(rates[level - 1]) * base;
      }
    }
    std::vector<key> explained;
    for (const explanation& e : slow.lines) {
      explained.emplace_back(e.earner, e.line, e.level, e.rate);
      CHECK(e.source == sales.member(e.line));
    }
    std::sort(expected.begin(), expected.end());
    std::sort(explained.begin(), explained.end());
    CHECK(explained == expected);
    for (member_index m = 0; m < n; ++m) {
      INFO("member " << net.id(m));
      REQUIRE(exact[m] % 1'000'000 == 0);  // 6 money decimals: nothing rounds
      CHECK(fast.rounded[0][m] == static_cast<minor_t>(exact[m] / 1'000'000));
      CHECK(slow.rounded[0][m] == fast.rounded[0][m]);
    }
    paid_lines += expected.size();
  }
  CHECK(paid_lines > 300);
}
