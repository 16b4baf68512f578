// SPDX-License-Identifier: MIT
// bonuses/pool.hpp: a share of the period's total base split among qualified members, each
// part truncated, the remainder reported as breakage (SPEC §5.7). Golden cases by hand in
// tests/data/golden/34_*; a combined plan in 35_*.
#include "downline/bonuses/pool.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "bonus_test_support.hpp"
#include "downline/error.hpp"

using namespace downline;
using namespace bonus_test;

TEST_CASE("pool: golden cases through the C++ API", "[pool][golden]") {
  auto names = golden_cases("34_");
  auto combined = golden_cases("35_");
  names.insert(names.end(), combined.begin(), combined.end());
  REQUIRE(names.size() >= 3);
  for (const auto& name : names) check_golden_case(name);
}

TEST_CASE("pool: golden cases' breakage (see their READMEs)", "[pool][golden]") {
  auto breakage_of = [](const std::string& name) {
    const auto dir = std::filesystem::path(DOWNLINE_TEST_DATA) / "golden" / name;
    const network net = network::from_csv(dir / "network.csv");
    return run(plan::from_file(dir / "plan.json"), net, ledger::from_csv(dir / "sales.csv", net)).totals.breakage;
  };
  CHECK(breakage_of("34_pool_equal_breakage") == minor("0.01", 2));
  CHECK(breakage_of("34_pool_gv_split") == minor("0.02", 2));
  CHECK(breakage_of("34_pool_not_positive") == 0);
  CHECK(breakage_of("35_combined_unilevel_matching_pool_cap") == 0);
}

TEST_CASE("pool: equal split truncates whatever the plan's rounding, breakage reported", "[pool]") {
  // Total amount 1000.01; 1% → 10.0001 → pool 10.00. Three members: 3.33 each, breakage 0.01,
  // also with rounding "up" (which would give 3.34 and overspend the pool).
  const network net = make_network({{"A", "", ""}, {"B", "A", ""}, {"C", "A", ""}});
  const ledger sales = make_ledger(net, {{"A", "500", "", ""}, {"B", "400.01", "", ""}, {"C", "100", "", ""}});
  for (const char* rounding : {"half_even", "up"}) {
    const plan rules = plan::from_json(fmt::format(
        R"({{"name":"t","rounding":"{}","bonuses":[{{"name":"pool","type":"pool","share":"1%"}}]}})", rounding));
    const result r = run(rules, net, sales);
    for (const char* id : {"A", "B", "C"}) CHECK(paid(r, id, "pool") == minor("3.33", 2));
    CHECK(r.totals.breakage == minor("0.01", 2));
    REQUIRE(r.totals.bonuses.size() == 1);
    const auto& figures = r.totals.bonuses[0].figures;
    CHECK(std::find(figures.begin(), figures.end(), std::pair<std::string, std::string>("pool", "10.00")) != figures.end());
    CHECK(std::find(figures.begin(), figures.end(), std::pair<std::string, std::string>("breakage", "0.01")) != figures.end());
  }
}

TEST_CASE("pool: split by GV (GV ≤ 0 gets nothing), and no pool when the total is not positive", "[pool]") {
  // A ─┬─ B ── D          PV: A 10, B 20, C -5, D 60 → GV: D 60, B 80, C -5, A 85.
  //    └─ C               Total 85.00; 10% → pool 8.50; weights A 85, B 80, D 60 (C ≤ 0) = 225.
  // A: 8.50 × 85/225 = 3.2111… → 3.21; B: 8.50 × 80/225 = 3.0222… → 3.02;
  // D: 8.50 × 60/225 = 2.2666… → 2.26; Σ 8.49, breakage 0.01.
  const network net = make_network({{"A", "", ""}, {"B", "A", ""}, {"C", "A", ""}, {"D", "B", ""}});
  const ledger sales =
      make_ledger(net, {{"A", "10", "", ""}, {"B", "20", "", ""}, {"C", "-5", "", ""}, {"D", "60", "", ""}});
  const plan rules = plan::from_json(
      R"({"name":"t","bonuses":[{"name":"pool","type":"pool","share":"10%","split":"gv","require_active":false}]})");
  const result r = run(rules, net, sales);
  CHECK(paid(r, "A", "pool") == minor("3.21", 2));
  CHECK(paid(r, "B", "pool") == minor("3.02", 2));
  CHECK(paid(r, "C", "pool") == 0);
  CHECK(paid(r, "D", "pool") == minor("2.26", 2));
  CHECK(r.totals.breakage == minor("0.01", 2));

  const ledger refunds = make_ledger(net, {{"A", "10", "", ""}, {"B", "-10", "", ""}});
  const result none_paid = run(rules, net, refunds);
  CHECK(none_paid.payouts.empty());
  CHECK(none_paid.totals.breakage == 0);
}

TEST_CASE("pool: nobody qualified → everything is breakage", "[pool]") {
  const network net = make_network({{"A", "", ""}});
  const ledger sales = make_ledger(net, {{"A", "100", "", ""}});
  const result r = run(plan::from_json(R"({"name":"t","ranks":[{"name":"Gold","pv":"1000"}],"bonuses":[
    {"name":"pool","type":"pool","share":"5%","min_rank":"Gold"}]})"),
                       net, sales);
  CHECK(r.payouts.empty());
  CHECK(r.totals.breakage == minor("5.00", 2));
}

TEST_CASE("pool: split by shares, the share value truncated first (golden 44, MMLM's $100,000 over 17 shares)",
          "[pool][shares]") {
  const auto dir = std::filesystem::path(DOWNLINE_TEST_DATA) / "golden" / "44_pool_shares_mmlm";
  check_golden_case("44_pool_shares_mmlm");
  const network net = network::from_csv(dir / "network.csv");
  run_options options;
  options.explain = true;
  const result r = run(plan::from_file(dir / "plan.json"), net, ledger::from_csv(dir / "sales.csv", net), options);
  CHECK(r.totals.breakage == 6);  // 100,000 − 17 × 5,882
  const auto& figures = r.totals.bonuses[0].figures;
  for (const auto& [key, value] : std::vector<std::pair<std::string, std::string>>{
           {"pool", "100000"}, {"sharers", "9"}, {"breakage", "6"}, {"shares", "17"}, {"share_value", "5882"}})
    CHECK(std::find(figures.begin(), figures.end(), std::make_pair(key, value)) != figures.end());
  // C1 is Crown, above every listed rank: it holds Diamond's 3 shares, and the line says so.
  bool seen = false;
  for (const explanation& e : r.lines) {
    if (net.id(e.earner) != "C1") continue;
    seen = true;
    CHECK(r.details[e.detail] == "shares=3 (shares_by_rank Diamond, paid-as rank Crown) share_value=5882");
  }
  CHECK(seen);
}

TEST_CASE("pool: shares held only by qualified members, no shares → the whole pool is breakage", "[pool][shares]") {
  // Total 1000.00, 10% → pool 100.00. A Gold and active; B Gold (the rank needs PV 30, not
  // activity) but inactive (PV 30 < 50); C no rank.
  const network net = make_network({{"A", "", ""}, {"B", "A", ""}, {"C", "A", ""}});
  const ledger sales = make_ledger(net, {{"A", "950", "", ""}, {"B", "30", "", ""}, {"C", "20", "", ""}});
  const std::string ranks = R"("qualification":{"active_pv":"50"},"ranks":[{"name":"Gold","pv":"30","active":false}],)";
  const plan rules = plan::from_json(R"({"name":"t",)" + ranks + R"("bonuses":[{"name":"pool","type":"pool","share":"10%",
      "split":"shares","shares_by_rank":{"Gold":3}}]})");
  const result r = run(rules, net, sales);
  // B (Gold, inactive) is not qualified: A alone holds 3 shares; 100.00 / 3 = 33.33 a share.
  CHECK(paid(r, "A", "pool") == minor("99.99", 2));
  CHECK(paid(r, "B", "pool") == 0);
  CHECK(r.totals.breakage == minor("0.01", 2));
  const plan nobody = plan::from_json(R"({"name":"t",)" + ranks + R"("bonuses":[{"name":"pool","type":"pool","share":"10%",
      "split":"shares","shares_by_rank":{"Gold":0}}]})");
  const result none_held = run(nobody, net, sales);
  CHECK(none_held.payouts.empty());
  CHECK(none_held.totals.breakage == minor("100.00", 2));
}

TEST_CASE("pool: plan errors", "[pool]") {
  auto plan_error_of = [](const std::string& bonus) {
    try {
      plan::from_json(R"({"name":"t","bonuses":[)" + bonus + "]}", "plan.json");
    } catch (const plan_error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK_THAT(plan_error_of(R"({"name":"p","type":"pool"})"), Catch::Contains("share"));
  CHECK_THAT(plan_error_of(R"({"name":"p","type":"pool","share":"101%"})"),
             Catch::Contains("bonuses[0].share") && Catch::Contains("'101%'"));
  CHECK_THAT(plan_error_of(R"({"name":"p","type":"pool","share":"1%","split":"rank"})"),
             Catch::Contains("bonuses[0].split") && Catch::Contains("'rank'"));
}

TEST_CASE("pool: shares_by_rank errors name the JSON path", "[pool][shares]") {
  auto plan_error_of = [](const std::string& keys) {
    try {
      plan::from_json(R"({"name":"t","ranks":[{"name":"Gold","pv":"1"}],"bonuses":[{"name":"p","type":"pool","share":"1%",)" +
                          keys + "}]}",
                      "plan.json");
    } catch (const plan_error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(plan_error_of(R"("split":"shares","shares_by_rank":{"Gold":2})") == "no error");
  CHECK_THAT(plan_error_of(R"("split":"shares")"), Catch::Contains("bonuses[0].split:") && Catch::Contains("shares_by_rank"));
  CHECK_THAT(plan_error_of(R"("split":"gv","shares_by_rank":{"Gold":2})"),
             Catch::Contains("bonuses[0].shares_by_rank:") && Catch::Contains("split"));
  CHECK_THAT(plan_error_of(R"("shares_by_rank":{"Gold":2})"), Catch::Contains("bonuses[0].shares_by_rank:"));
  // A share count is a whole number.
  CHECK_THAT(plan_error_of(R"("split":"shares","shares_by_rank":{"Gold":1.5})"),
             Catch::Contains("bonuses[0].shares_by_rank.Gold:") && Catch::Contains("'1.5'"));
  CHECK_THAT(plan_error_of(R"("split":"shares","shares_by_rank":{"Gold":"2"})"),
             Catch::Contains("bonuses[0].shares_by_rank.Gold:") && Catch::Contains("whole number"));
  CHECK_THAT(plan_error_of(R"("split":"shares","shares_by_rank":{"Gold":-1})"),
             Catch::Contains("bonuses[0].shares_by_rank.Gold:") && Catch::Contains("'-1'"));
  CHECK_THAT(plan_error_of(R"("split":"shares","shares_by_rank":{"Zed":1})"),
             Catch::Contains("bonuses[0].shares_by_rank.Zed:") && Catch::Contains("not defined") &&
                 Catch::Contains("'Zed'"));
}

TEST_CASE("pool: payouts plus breakage equal the pool on random networks", "[pool][property]") {
  dice d(777);
  const char* const roundings[] = {"half_even", "half_up", "down", "up"};
  int with_breakage = 0;
  for (int iteration = 0; iteration < 300; ++iteration) {
    const std::uint32_t n = 1 + d.below(40);
    const int md = static_cast<int>(d.below(4));
    const random_case c = make_random_case(d, n, d.below(3 * n + 1), md < 2);
    const int split = static_cast<int>(d.below(3));  // equal, gv, shares
    const bool by_gv = split == 1, by_shares = split == 2;
    const std::int64_t rank_shares = 1 + d.below(5);  // shares of rank A
    const rate_t share = static_cast<rate_t>(d.below(200'000) / 100 * 100);  // ≤ 4 decimals of a percent
    const std::string json = fmt::format(
        R"({{"name":"r","money_decimals":{},"rounding":"{}","qualification":{{"active_pv":"{}"}},)"
        R"("ranks":[{{"name":"A","gv":"{}"}}],"bonuses":[{{"name":"pool","type":"pool","share":"{}%","split":"{}"{}{}}}],)"
        R"("payout_cap":"{}%"}})",
        md, roundings[d.below(4)], d.below(3) * 20, d.below(300), format_trimmed(share, 4),
        by_gv ? "gv" : by_shares ? "shares" : "equal", d.chance(40) ? R"(,"min_rank":"A")" : "",
        by_shares ? fmt::format(R"(,"shares_by_rank":{{"A":{}}})", rank_shares) : "", 1 + d.below(100));
    INFO("iteration " << iteration << "\nplan " << json);
    const plan rules = plan::from_json(json);
    const network net = make_network(c.members);
    const ledger sales = make_ledger(net, c.sales);
    run_options options;
    options.explain = true;
    const result r = run(rules, net, sales, options);

    __int128 total = 0;
    for (std::uint32_t line = 0; line < sales.size(); ++line) total += sales.amount(line);
    const __int128 pool = total > 0 ? static_cast<__int128>(share) * total / pow10_i128(12 - md) : 0;
    __int128 weights = 0;
    std::vector<__int128> weight(n, 0);
    for (member_index m = 0; m < n; ++m) {
      if (!rules.bonuses[0]->qualified(m, r.q)) continue;
      weight[m] = by_gv       ? std::max<volume_t>(r.q.gv[m], 0)
                  : by_shares ? (r.q.rank[m] >= 0 ? rank_shares : 0)
                              : 1;
      weights += weight[m];
    }
    __int128 sum = 0;
    for (member_index m = 0; m < n; ++m) {
      INFO("member " << net.id(m));
      // Shares: the share value is truncated first (SPEC §5.7).
      const __int128 part = weights == 0 ? 0 : by_shares ? pool / weights * weight[m] : pool * weight[m] / weights;
      CHECK(r.rounded[0][m] == static_cast<minor_t>(part));  // before the cap
      sum += r.rounded[0][m];
    }
    CHECK(sum + r.totals.breakage == pool);  // payouts plus breakage equal the pool
    CHECK(r.totals.breakage >= 0);
    // Explanation lines carry the parts exactly.
    std::vector<exact_t> explained(n, 0);
    for (const explanation& e : r.lines) explained[e.earner] += e.amount;
    for (member_index m = 0; m < n; ++m) CHECK(explained[m] == minor_to_exact(r.rounded[0][m], md));
    with_breakage += r.totals.breakage > 0;
  }
  CHECK(with_breakage > 50);
}
