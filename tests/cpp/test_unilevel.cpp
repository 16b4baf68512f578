// SPDX-License-Identifier: MIT
// The unilevel bonus through engine::run on hand-built networks (SPEC §5.1, §6).
#include "downline/bonuses/unilevel.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "downline/decimal.hpp"
#include "downline/engine.hpp"
#include "downline/error.hpp"
#include "downline/rounding.hpp"
#include "test_support.hpp"

using namespace downline;

namespace {

struct sale {
  std::string id, amount, volume = "";
};

network make_network(const std::vector<std::pair<std::string, std::string>>& rows) {
  network_builder b("network", false);
  for (std::size_t i = 0; i < rows.size(); ++i) b.add(rows[i].first, rows[i].second, "", "", "", i);
  return std::move(b).build();
}

ledger make_ledger(const network& net, const std::vector<sale>& sales) {
  ledger_builder b(net, "sales", false);
  for (std::size_t i = 0; i < sales.size(); ++i)
    b.add_text(sales[i].id, sales[i].amount, sales[i].volume, "", "", fmt::format("o{}", i), i);
  return std::move(b).build();
}

using downline_test::payout_map;
using downline_test::payouts;

payout_map run_payouts(const std::string& plan_json, const network& net, const std::vector<sale>& sales) {
  const plan rules = plan::from_json(plan_json, "plan");
  const ledger l = make_ledger(net, sales);
  return payouts(run(rules, net, l), rules);
}

std::string unilevel_plan(const std::string& active_pv, const std::string& bonus_extra,
                          const std::string& ranks = "[]", const std::string& rates = R"(["10%","5%","2%"])") {
  return R"({"name":"u","qualification":{"active_pv":")" + active_pv + R"("},"ranks":)" + ranks +
         R"(,"bonuses":[{"name":"level","type":"unilevel","rates":)" + rates + (bonus_extra.empty() ? "" : ",") +
         bonus_extra + "}]}";
}

}  // namespace

TEST_CASE("unilevel: compression none vs dynamic around an inactive upline", "[unilevel]") {
  // R ── A ── B ── C. active_pv 50. Sales: R 100, B 100, C 100; A buys nothing (inactive).
  // Rates 10%, 5%, 2%.
  const network net = make_network({{"R", ""}, {"A", "R"}, {"B", "A"}, {"C", "B"}});
  const std::vector<sale> sales = {{"R", "100"}, {"B", "100"}, {"C", "100"}};
  SECTION("none: levels are physical, A's level is kept by the company") {
    // C's 100: L1 B 10.00; L2 A inactive (not paid); L3 R 2% = 2.00.
    // B's 100: L1 A not paid; L2 R 5% = 5.00. R's own line pays nobody.
    const payout_map got = run_payouts(unilevel_plan("50", R"("compression":"none")"), net, sales);
    CHECK(got == payout_map{{{"R", "level"}, "7.00"}, {{"B", "level"}, "10.00"}});
  }
  SECTION("none is the default") {
    const payout_map got = run_payouts(unilevel_plan("50", ""), net, sales);
    CHECK(got == payout_map{{{"R", "level"}, "7.00"}, {{"B", "level"}, "10.00"}});
  }
  SECTION("dynamic: A is skipped and is not a level") {
    // C's 100: qualified uplines B (L1) 10.00, R (L2) 5% = 5.00. B's 100: R is L1: 10.00.
    const payout_map got = run_payouts(unilevel_plan("50", R"("compression":"dynamic")"), net, sales);
    CHECK(got == payout_map{{{"R", "level"}, "15.00"}, {{"B", "level"}, "10.00"}});
  }
}

TEST_CASE("unilevel: paid_on active", "[unilevel]") {
  // R ── A ── B. active_pv 50. Sales: R 100, A 20 (inactive), B 100. Rates 10%, 10% (equal, so
  // whether an excluded A still occupies a level cannot matter).
  const network net = make_network({{"R", ""}, {"A", "R"}, {"B", "A"}});
  const std::vector<sale> sales = {{"R", "100"}, {"A", "20"}, {"B", "100"}};
  const std::string rates = R"(["10%","10%"])";
  SECTION("all (default), require_active true: A's line pays R; A earns nothing") {
    // A's 20: R L1 2.00. B's 100: A not qualified; R L2 10.00. R = 12.00.
    CHECK(run_payouts(unilevel_plan("50", "", "[]", rates), net, sales) == payout_map{{{"R", "level"}, "12.00"}});
  }
  SECTION("active: an inactive buyer generates nothing") {
    // A's 20: A inactive → nothing. B's 100: R 10.00.
    CHECK(run_payouts(unilevel_plan("50", R"("paid_on":"active")", "[]", rates), net, sales) ==
          payout_map{{{"R", "level"}, "10.00"}});
  }
  SECTION("active with require_active false: the inactive member still earns nothing") {
    CHECK(run_payouts(unilevel_plan("50", R"("paid_on":"active","require_active":false)", "[]", rates), net, sales) ==
          payout_map{{{"R", "level"}, "10.00"}});
  }
  SECTION("all with require_active false: the inactive member earns") {
    // B's 100: A L1 10.00; R L2 10.00. A's 20: R L1 2.00.
    CHECK(run_payouts(unilevel_plan("50", R"("require_active":false)", "[]", rates), net, sales) ==
          payout_map{{{"R", "level"}, "12.00"}, {{"A", "level"}, "10.00"}});
  }
}

TEST_CASE("unilevel: levels_by_rank", "[unilevel]") {
  // G ── B ── N ── S. Bronze pv ≥ 100, Gold pv ≥ 200; levels_by_rank {Bronze: 1, Gold: 3}.
  // PV = sales: G 200 (Gold), B 100 (Bronze), N 60 (no rank → 0 levels), S 60. active_pv 50.
  // Rates 10% × 3. Everyone is qualified, so none and dynamic agree.
  // S's 60: L1 N (0 levels) no; L2 B (1 level) no; L3 G 6.00.
  // N's 60: L1 B 6.00; L2 G 6.00.   B's 100: L1 G 10.00.
  // G = 22.00, B = 6.00.
  const network net = make_network({{"G", ""}, {"B", "G"}, {"N", "B"}, {"S", "N"}});
  const std::vector<sale> sales = {{"G", "200"}, {"B", "100"}, {"N", "60"}, {"S", "60"}};
  const std::string ranks = R"([{"name":"Bronze","pv":"100"},{"name":"Gold","pv":"200"}])";
  const std::string rates = R"(["10%","10%","10%"])";
  const payout_map expected = {{{"G", "level"}, "22.00"}, {{"B", "level"}, "6.00"}};
  for (const char* compression : {"none", "dynamic"}) {
    INFO("compression " << compression);
    CHECK(run_payouts(unilevel_plan("50",
                                    fmt::format(R"("compression":"{}","levels_by_rank":{{"Bronze":1,"Gold":3}})",
                                                compression),
                                    ranks, rates),
                      net, sales) == expected);
  }
  SECTION("a member beyond its depth still counts as a level under dynamic") {
    // Same, plus an inactive X between N and S (X buys nothing): dynamic skips X, so S's line is
    // as before: N (L1, 0 levels), B (L2, 1 level), G (L3) 6.00.
    const network net2 = make_network({{"G", ""}, {"B", "G"}, {"N", "B"}, {"X", "N"}, {"S", "X"}});
    CHECK(run_payouts(unilevel_plan("50", R"("compression":"dynamic","levels_by_rank":{"Bronze":1,"Gold":3})", ranks,
                                    rates),
                      net2, sales) == expected);
    // With none, X occupies L1, so G is L4 of S and gets nothing from S: G = 16.00.
    CHECK(run_payouts(unilevel_plan("50", R"("compression":"none","levels_by_rank":{"Bronze":1,"Gold":3})", ranks,
                                    rates),
                      net2, sales) == payout_map{{{"G", "level"}, "16.00"}, {{"B", "level"}, "6.00"}});
  }
}

TEST_CASE("unilevel: min_rank with none and dynamic", "[unilevel]") {
  // G ── B ── N ── S as above (G Gold, B Bronze, N none). min_rank Bronze. Rates 10%, 5%, 1%.
  // none:    S's 60: L1 N unqualified; L2 B 5% = 3.00; L3 G 1% = 0.60.
  //          N's 60: L1 B 6.00; L2 G 5% = 3.00.   B's 100: G 10.00.   → B 9.00, G 13.60.
  // dynamic: S's 60: B is L1 6.00, G is L2 3.00.  N's 60: B 6.00, G 3.00.  B's 100: G 10.00.
  //          → B 12.00, G 16.00.
  const network net = make_network({{"G", ""}, {"B", "G"}, {"N", "B"}, {"S", "N"}});
  const std::vector<sale> sales = {{"G", "200"}, {"B", "100"}, {"N", "60"}, {"S", "60"}};
  const std::string ranks = R"([{"name":"Bronze","pv":"100"},{"name":"Gold","pv":"200"}])";
  const std::string rates = R"(["10%","5%","1%"])";
  CHECK(run_payouts(unilevel_plan("50", R"("min_rank":"Bronze")", ranks, rates), net, sales) ==
        payout_map{{{"B", "level"}, "9.00"}, {{"G", "level"}, "13.60"}});
  CHECK(run_payouts(unilevel_plan("50", R"("min_rank":"Bronze","compression":"dynamic")", ranks, rates), net, sales) ==
        payout_map{{{"B", "level"}, "12.00"}, {{"G", "level"}, "16.00"}});
  // min_rank Gold, dynamic: only G qualifies; it is L1 of everyone below it.
  // S 60 × 10% + N 60 × 10% + B 100 × 10% = 22.00.
  CHECK(run_payouts(unilevel_plan("50", R"("min_rank":"Gold","compression":"dynamic")", ranks, rates), net, sales) ==
        payout_map{{{"G", "level"}, "22.00"}});
}

TEST_CASE("unilevel: base amount vs base volume", "[unilevel]") {
  // R ── A. A sells amount 100 with volume 40. 10% on amount = 10.00; 10% on volume = 4.00
  // (a volume base gives money per point). R's own line (amount 3, volume 1000) pays nobody.
  const network net = make_network({{"R", ""}, {"A", "R"}});
  const std::vector<sale> sales = {{"A", "100", "40"}, {"R", "3", "1000"}};
  const std::string json = R"({"name":"b","bonuses":[
      {"name":"amt","type":"unilevel","rates":["10%"]},
      {"name":"vol","type":"unilevel","base":"volume","rates":["10%"]}]})";
  CHECK(run_payouts(json, net, sales) == payout_map{{{"R", "amt"}, "10.00"}, {{"R", "vol"}, "4.00"}});
}

TEST_CASE("unilevel: refunds reduce pay and can claw back", "[unilevel]") {
  // R ── A ── B: B sells 100 and refunds 30 → base 70: A 10% = 7.00, R 5% = 3.50.
  // Q ── C: C only refunds 50 → Q's level-1 pay is 10% × -50 = -5.00 (a clawback line).
  // active_pv 0 and require_active false so the negative PV of C does not matter to anyone.
  const network net = make_network({{"R", ""}, {"A", "R"}, {"B", "A"}, {"Q", ""}, {"C", "Q"}});
  const std::vector<sale> sales = {{"B", "100"}, {"B", "-30"}, {"C", "-50"}};
  CHECK(run_payouts(unilevel_plan("0", R"("require_active":false)", "[]", R"(["10%","5%"])"), net, sales) ==
        payout_map{{{"A", "level"}, "7.00"}, {{"R", "level"}, "3.50"}, {{"Q", "level"}, "-5.00"}});
}

TEST_CASE("unilevel: the buyer never earns on its own line", "[unilevel]") {
  const network solo = make_network({{"S", ""}});
  CHECK(run_payouts(unilevel_plan("0", "", "[]", R"(["100%"])"), solo, {{"S", "500"}}).empty());
  const network pair = make_network({{"P", ""}, {"K", "P"}});
  CHECK(run_payouts(unilevel_plan("0", "", "[]", R"(["100%"])"), pair, {{"P", "500"}}).empty());
  CHECK(run_payouts(unilevel_plan("0", "", "[]", R"(["100%"])"), pair, {{"K", "500"}}) ==
        payout_map{{{"P", "level"}, "500.00"}});
}

namespace {

/// A random forest with sales, and a random unilevel plan, described so that a brute-force
/// model of SPEC §5.1 can be computed without the library.
struct scenario {
  int n = 0;
  std::vector<int> parent;                     // generation index, -1 for roots
  std::vector<std::string> ids;
  std::vector<std::pair<int, std::int64_t>> lines;  // (buyer, amount in cents)
  std::vector<rate_t> rates;
  bool dynamic = false, generous = false, paid_on_active = false, require_active = true;
  std::int64_t active_pv_cents = 0;
  bool min_rank_bronze = false;
  int bronze_levels = -1;  // levels_by_rank {"Bronze": x} when >= 0
  int silver_levels = -1;  // and "Silver": y when >= 0 (with Bronze)
  int money_decimals = 2;
  rounding_mode rounding = rounding_mode::half_even;
};

const char* mode_name(rounding_mode m) {
  switch (m) {
    case rounding_mode::half_even: return "half_even";
    case rounding_mode::half_up: return "half_up";
    case rounding_mode::down: return "down";
    case rounding_mode::up: return "up";
  }
  return "";
}

scenario random_scenario(std::mt19937& rng, bool everyone_qualified) {
  scenario s;
  s.n = 1 + static_cast<int>(rng() % 40);
  for (int i = 0; i < s.n; ++i) {
    s.parent.push_back(i == 0 || rng() % 6 == 0 ? -1 : static_cast<int>(rng() % static_cast<unsigned>(i)));
    s.ids.push_back(fmt::format("id{}", i));
  }
  const int line_count = static_cast<int>(rng() % static_cast<unsigned>(3 * s.n + 1));
  for (int k = 0; k < line_count; ++k) {
    std::int64_t cents = static_cast<std::int64_t>(rng() % 20'000);
    if (!everyone_qualified && rng() % 8 == 0) cents = -cents;  // a refund
    s.lines.emplace_back(static_cast<int>(rng() % static_cast<unsigned>(s.n)), cents);
  }
  const int depth = 1 + static_cast<int>(rng() % 6);
  for (int k = 0; k < depth; ++k) s.rates.push_back(static_cast<rate_t>(rng() % 250'001));  // 0..25% in 0.0001%
  s.money_decimals = static_cast<int>(rng() % 7);
  // Amounts may not be more precise than the plan's money (engine check): whole units for 0 decimals.
  const std::int64_t quantum = s.money_decimals == 0 ? 100 : s.money_decimals == 1 ? 10 : 1;
  for (auto& line : s.lines) line.second -= line.second % quantum;
  s.rounding = static_cast<rounding_mode>(rng() % 4);
  if (!everyone_qualified) {
    s.dynamic = rng() % 2;
    s.paid_on_active = rng() % 3 == 0;
    s.require_active = rng() % 4 != 0;
    s.active_pv_cents = static_cast<std::int64_t>(rng() % 15'000);
    s.min_rank_bronze = rng() % 3 == 0;
    s.bronze_levels = rng() % 3 == 0 ? static_cast<int>(rng() % 4) : -1;
    // Generous compression (needs levels_by_rank) in a third of the cases.
    if (rng() % 3 == 0) {
      s.generous = s.dynamic = true;
      if (s.bronze_levels < 0) s.bronze_levels = static_cast<int>(rng() % 4);
      s.silver_levels = static_cast<int>(rng() % 7);
    }
  } else {
    s.dynamic = rng() % 2;  // with everyone qualified, dynamic compresses nothing
  }
  return s;
}

std::string plan_json(const scenario& s) {
  std::string rates;
  for (rate_t r : s.rates) rates += (rates.empty() ? "\"" : ",\"") + format_trimmed(r, 4) + "%\"";
  std::string bonus = fmt::format(R"({{"name":"level","type":"unilevel","rates":[{}],"compression":"{}","paid_on":"{}","require_active":{})",
                                  rates, s.generous ? "generous" : s.dynamic ? "dynamic" : "none",
                                  s.paid_on_active ? "active" : "all",
                                  s.require_active ? "true" : "false");
  if (s.min_rank_bronze) bonus += R"(,"min_rank":"Bronze")";
  if (s.silver_levels >= 0)
    bonus += fmt::format(R"(,"levels_by_rank":{{"Silver":{},"Bronze":{}}})", s.silver_levels, s.bronze_levels);
  else if (s.bronze_levels >= 0)
    bonus += fmt::format(R"(,"levels_by_rank":{{"Bronze":{}}})", s.bronze_levels);
  bonus += "}";
  return fmt::format(R"({{"name":"p","money_decimals":{},"rounding":"{}","qualification":{{"active_pv":"{}"}},)"
                     R"("ranks":[{{"name":"Bronze","pv":"80"}},{{"name":"Silver","pv":"160"}}],"bonuses":[{}]}})",
                     s.money_decimals, mode_name(s.rounding), format_fixed(s.active_pv_cents, 2), bonus);
}

/// SPEC §5.1 by brute force: per generation index, the exact pay in 10^-12 units.
std::vector<exact_t> brute_force(const scenario& s) {
  std::vector<std::int64_t> pv(static_cast<std::size_t>(s.n), 0);  // cents
  for (auto [b, cents] : s.lines) pv[static_cast<std::size_t>(b)] += cents;
  auto active = [&](int m) { return pv[static_cast<std::size_t>(m)] >= s.active_pv_cents; };
  auto bronze = [&](int m) { return active(m) && pv[static_cast<std::size_t>(m)] >= 8'000; };  // rank requires active
  auto qualified = [&](int m) { return (!s.require_active || active(m)) && (!s.min_rank_bronze || bronze(m)); };
  auto eligible = [&](int m) { return qualified(m) && (!s.paid_on_active || active(m)); };
  auto silver = [&](int m) { return active(m) && pv[static_cast<std::size_t>(m)] >= 16'000; };
  auto unlocked = [&](int m) -> std::size_t {
    if (s.bronze_levels < 0) return s.rates.size();
    if (s.silver_levels >= 0 && silver(m)) return static_cast<std::size_t>(s.silver_levels);
    return bronze(m) ? static_cast<std::size_t>(s.bronze_levels) : 0;
  };
  std::vector<exact_t> pay(static_cast<std::size_t>(s.n), 0);
  for (auto [b, cents] : s.lines) {
    if (s.paid_on_active && !active(b)) continue;
    const exact_t base = static_cast<exact_t>(cents) * 10'000;  // millionths
    std::size_t level = 0;
    for (int u = s.parent[static_cast<std::size_t>(b)]; u >= 0 && level < s.rates.size();
         u = s.parent[static_cast<std::size_t>(u)]) {
      if (s.dynamic && !eligible(u)) continue;  // skipped, not a level
      // Generous: an upline whose rank does not unlock the level it would fill is skipped too.
      if (s.generous && unlocked(u) < level + 1) continue;
      ++level;
      if (eligible(u) && level <= unlocked(u)) pay[static_cast<std::size_t>(u)] += base * s.rates[level - 1];
    }
  }
  return pay;
}

struct loaded {
  network net;
  ledger sales;
  plan rules;
};

loaded load(const scenario& s) {
  network_builder nb("net", false);
  for (int i = 0; i < s.n; ++i)
    nb.add(s.ids[static_cast<std::size_t>(i)],
           s.parent[static_cast<std::size_t>(i)] < 0 ? "" : s.ids[static_cast<std::size_t>(s.parent[static_cast<std::size_t>(i)])],
           "", "", "", static_cast<std::size_t>(i));
  network net = std::move(nb).build();
  ledger_builder lb(net, "sales", false);
  for (std::size_t k = 0; k < s.lines.size(); ++k)
    lb.add_text(s.ids[static_cast<std::size_t>(s.lines[k].first)], format_fixed(s.lines[k].second, 2), "", "", "", "",
                k);
  ledger sales = std::move(lb).build();
  return {std::move(net), std::move(sales), plan::from_json(plan_json(s), "plan")};
}

}  // namespace

TEST_CASE("unilevel property: the brute-force model of SPEC §5.1 on random forests", "[unilevel]") {
  std::mt19937 rng(5150);
  int generous_cases = 0;
  for (int iteration = 0; iteration < 300; ++iteration) {
    const scenario s = random_scenario(rng, false);
    generous_cases += s.generous;
    INFO("iteration " << iteration << " plan " << plan_json(s));
    const loaded in = load(s);
    run_options explain;
    explain.explain = true;
    const result r = run(in.rules, in.net, in.sales, explain);
    const result plain = run(in.rules, in.net, in.sales);
    const std::vector<exact_t> expected = brute_force(s);

    // Exact sums of the explanation lines per earner (one bonus here).
    std::vector<exact_t> explained(in.net.size(), 0);
    for (const explanation& e : r.lines) {
      REQUIRE(e.bonus == 0);
      REQUIRE(e.amount == static_cast<exact_t>(e.base) * e.rate);  // each line is base × rate
      REQUIRE(e.line < in.sales.size());
      REQUIRE(e.source == in.sales.member(e.line));
      REQUIRE(e.base == in.sales.amount(e.line));
      REQUIRE(e.level >= 1);
      REQUIRE(e.level <= s.rates.size());
      REQUIRE(e.rate == s.rates[e.level - 1]);
      explained[e.earner] += e.amount;
    }
    for (int i = 0; i < s.n; ++i) {
      const member_index m = in.net.find(s.ids[static_cast<std::size_t>(i)]);
      INFO("member " << s.ids[static_cast<std::size_t>(i)]);
      REQUIRE(explained[m] == expected[static_cast<std::size_t>(i)]);
      const minor_t rounded = round_to_minor(expected[static_cast<std::size_t>(i)], s.money_decimals, s.rounding);
      REQUIRE(r.rounded[0][m] == rounded);
      REQUIRE(plain.rounded[0][m] == rounded);
    }
    // Payout lines: exactly the non-zero rounded amounts, identical with and without explanations.
    REQUIRE(r.payouts.size() == plain.payouts.size());
    for (std::size_t k = 0; k < r.payouts.size(); ++k) {
      REQUIRE(r.payouts[k].member == plain.payouts[k].member);
      REQUIRE(r.payouts[k].amount == plain.payouts[k].amount);
      REQUIRE(r.payouts[k].amount == r.rounded[0][r.payouts[k].member]);
      REQUIRE(r.payouts[k].amount != 0);
    }
    // Explanation lines are sorted by the earner's file row, then plan order (SPEC §8).
    for (std::size_t k = 1; k < r.lines.size(); ++k)
      REQUIRE(in.net.row(r.lines[k - 1].earner) <= in.net.row(r.lines[k].earner));
    // Dynamic compression (and none) never pays an unqualified member.
    const bonus& level = *in.rules.bonuses[0];
    for (const explanation& e : r.lines) REQUIRE(level.qualified(e.earner, r.q));
    for (const payout_line& p : r.payouts) REQUIRE(level.qualified(p.member, r.q));
  }
  CHECK(generous_cases >= 50);
}

TEST_CASE("unilevel property: everyone qualified, no compression: Σ_k rate_k × level-k downline base",
          "[unilevel]") {
  std::mt19937 rng(777);
  for (int iteration = 0; iteration < 200; ++iteration) {
    scenario s = random_scenario(rng, true);
    s.dynamic = false;
    INFO("iteration " << iteration << " plan " << plan_json(s));
    const loaded in = load(s);
    run_options explain;
    explain.explain = true;
    const result r = run(in.rules, in.net, in.sales, explain);

    // Level-k downline base of each member, by walking down level by level from it.
    std::vector<std::vector<int>> children(static_cast<std::size_t>(s.n));
    for (int i = 0; i < s.n; ++i)
      if (s.parent[static_cast<std::size_t>(i)] >= 0)
        children[static_cast<std::size_t>(s.parent[static_cast<std::size_t>(i)])].push_back(i);
    std::vector<exact_t> base_of(static_cast<std::size_t>(s.n), 0);
    for (auto [b, cents] : s.lines) base_of[static_cast<std::size_t>(b)] += static_cast<exact_t>(cents) * 10'000;

    std::vector<exact_t> explained(in.net.size(), 0);
    for (const explanation& e : r.lines) explained[e.earner] += e.amount;
    for (int i = 0; i < s.n; ++i) {
      exact_t expected = 0;
      std::vector<int> frontier = {i};
      for (std::size_t k = 1; k <= s.rates.size(); ++k) {
        std::vector<int> next;
        for (int f : frontier)
          for (int c : children[static_cast<std::size_t>(f)]) next.push_back(c);
        exact_t level_base = 0;
        for (int c : next) level_base += base_of[static_cast<std::size_t>(c)];
        expected += level_base * s.rates[k - 1];
        frontier = std::move(next);
      }
      const member_index m = in.net.find(s.ids[static_cast<std::size_t>(i)]);
      REQUIRE(explained[m] == expected);
      REQUIRE(r.rounded[0][m] == round_to_minor(expected, s.money_decimals, s.rounding));
    }
  }
}

TEST_CASE("unilevel: generous compression skips uplines whose rank does not unlock the level", "[unilevel][generous]") {
  // R (Gold: 3) ── Z (no rank: 0) ── A (Silver: 2) ── B (Bronze: 1) ── S buys 100.
  // generous: B L1 10.00; A L2 5.00 (unlocks 2); Z never counts; R L3 2.00.
  // dynamic: B L1 10.00; A L2 5.00; Z L3 not paid; R is level 4: nothing.
  const std::string ranks =
      R"([{"name":"Bronze","pv":"10"},{"name":"Silver","pv":"20"},{"name":"Gold","pv":"30"}])";
  const std::string by_rank = R"("levels_by_rank":{"Bronze":1,"Silver":2,"Gold":3})";
  const network net = make_network({{"R", ""}, {"Z", "R"}, {"A", "Z"}, {"B", "A"}, {"S", "B"}});
  const std::vector<sale> sales{{"R", "30"}, {"Z", "5"}, {"A", "20"}, {"B", "10"}, {"S", "100"}};
  // Own purchases also pay upward: Z's 5: R L1 0.50 (A and B are below Z). A's 20: R L1 2.00
  // under generous (Z skipped), R L2 1.00 under dynamic. B's 10: A L1 1.00, R L2 0.50
  // (generous); A L1 1.00, Z L2 not paid, R L3 0.20 (dynamic).
  CHECK(run_payouts(unilevel_plan("0", R"("compression":"generous",)" + by_rank, ranks), net, sales) ==
        payout_map{{{"B", "level"}, "10.00"}, {{"A", "level"}, "6.00"}, {{"R", "level"}, "5.00"}});
  CHECK(run_payouts(unilevel_plan("0", R"("compression":"dynamic",)" + by_rank, ranks), net, sales) ==
        payout_map{{{"B", "level"}, "10.00"}, {{"A", "level"}, "6.00"}, {{"R", "level"}, "1.70"}});
}

TEST_CASE("unilevel: generous walks stay short on a long chain of uplines that unlock nothing",
          "[unilevel][generous][deep]") {
  // m0 (Gold) ← m1 ← … ← m199999, nobody but m0 ranked: every line's level 1 is m0, 10% of all.
  const std::uint32_t n = 200'000;
  std::vector<std::pair<std::string, std::string>> rows;
  std::vector<sale> sales;
  for (std::uint32_t i = 0; i < n; ++i) {
    rows.emplace_back("m" + std::to_string(i), i ? "m" + std::to_string(i - 1) : "");
    sales.push_back({rows.back().first, i ? "1" : "50"});
  }
  const network net = make_network(rows);
  const std::string plan = unilevel_plan("0", R"("compression":"generous","levels_by_rank":{"Gold":3})",
                                         R"([{"name":"Gold","pv":"50"}])");
  CHECK(run_payouts(plan, net, sales) == payout_map{{{"m0", "level"}, "19999.90"}});  // 10% × 199,999
}

TEST_CASE("unilevel: compression and by-rank keys are checked with their JSON path", "[unilevel][plan]") {
  const std::string ranks = R"([{"name":"Gold","pv":"50"}])";
  auto error = [&](const std::string& extra) {
    return downline_test::error_of<plan_error>([&] { plan::from_json(unilevel_plan("0", extra, ranks), "plan.json"); });
  };
  CHECK_THAT(error(R"("compression":"generous")"),
             Catch::Contains("bonuses[0].compression:") && Catch::Contains("levels_by_rank") &&
                 Catch::Contains("'generous'"));
  CHECK_THAT(error(R"("compression":"wide")"),
             Catch::Contains("bonuses[0].compression:") && Catch::Contains("generous") && Catch::Contains("'wide'"));
  CHECK_THAT(error(R"("levels_by_rank":{"Platinum":2})"),
             Catch::Contains("bonuses[0].levels_by_rank.Platinum:") && Catch::Contains("'Platinum'"));
  CHECK_THAT(error(R"("levels_by_rank":{"Gold":1.5})"), Catch::Contains("bonuses[0].levels_by_rank.Gold:"));
  CHECK_THAT(error(R"("levels_by_rank":{})"), Catch::Contains("bonuses[0].levels_by_rank:"));
  // A by-rank table on a bonus type that has no such key.
  CHECK_THAT(error(R"("rate_by_rank":{"Gold":"5%"})"),
             Catch::Contains("bonuses[0].rate_by_rank:") && Catch::Contains("unknown key"));
  CHECK_THAT(error(R"("shares_by_rank":{"Gold":1})"),
             Catch::Contains("bonuses[0].shares_by_rank:") && Catch::Contains("unknown key"));
  CHECK_THAT(downline_test::error_of<plan_error>([&] {
               plan::from_json(R"({"name":"t","ranks":)" + ranks + R"(,"bonuses":[{"name":"mx","type":"matrix",
                   "width":2,"depth":2,"rates":["5%"],"compression":"generous"}]})");
             }),
             Catch::Contains("bonuses[0].compression:") && Catch::Contains("levels_by_rank"));
  CHECK_THAT(downline_test::error_of<plan_error>([&] {
               plan::from_json(R"({"name":"t","ranks":)" + ranks + R"(,"bonuses":[{"name":"l","type":"unilevel",
                   "rates":["5%"]},{"name":"m","type":"matching","of":"l","rates":["5%"],"generation_rank":"Gold",
                   "compression":"generous","levels_by_rank":{"Gold":1}}]})");
             }),
             Catch::Contains("bonuses[1].compression:") && Catch::Contains("generations"));
  CHECK_THAT(downline_test::error_of<plan_error>([&] {
               plan::from_json(R"({"name":"t","ranks":)" + ranks + R"(,"bonuses":[{"name":"p","type":"pool",
                   "share":"5%","cap_by_rank":{"Gold":"1.00"}}]})");
             }),
             Catch::Contains("bonuses[0].cap_by_rank:") && Catch::Contains("unknown key"));
}
