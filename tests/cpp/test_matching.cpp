// SPDX-License-Identifier: MIT
// bonuses/matching.hpp: a share of the downline's earnings from an earlier bonus (SPEC §5.5).
// Checked against a brute-force walk written here from the SPEC text on random networks;
// golden cases by hand in tests/data/golden/32_*.
#include "downline/bonuses/matching.hpp"

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

const char* const rate_texts[] = {"0%", "1%", "2.5%", "5%", "10%", "20%", "33.3333%", "50%"};
const rate_t rate_values[] = {0, 10'000, 25'000, 50'000, 100'000, 200'000, 333'333, 500'000};
const char* const roundings[] = {"half_even", "half_up", "down", "up"};

/// A random unilevel + matching plan and the matching's parameters.
struct match_plan {
  std::string json;
  std::vector<rate_t> rates;
  bool dynamic = false, generous = false;
  rank_index generation_rank = no_rank;
  std::vector<std::pair<rank_index, std::uint32_t>> levels_by_rank;  // empty: all levels
};

match_plan random_plan(dice& d) {
  match_plan p;
  const char* names[] = {"A", "B", "C"};
  std::string rates;
  for (std::uint32_t i = 1 + d.below(4); i > 0; --i) {
    const std::uint32_t k = d.below(8);
    p.rates.push_back(rate_values[k]);
    rates += fmt::format(R"({}"{}")", rates.empty() ? "" : ",", rate_texts[k]);
  }
  std::string extra;
  if (d.chance(40)) {
    p.generation_rank = static_cast<rank_index>(d.below(3));
    extra += fmt::format(R"(,"generation_rank":"{}")", names[p.generation_rank]);
  } else if (d.chance(50)) {
    p.dynamic = true;
    extra += R"(,"compression":"dynamic")";
  } else if (d.chance(50)) {
    p.generous = true;  // needs levels_by_rank, below
    extra += R"(,"compression":"generous")";
  }
  if (p.generous || d.chance(30)) {
    std::string lbr;
    for (rank_index r = 0; r < 3; ++r) {
      if (!d.chance(50) && !(r == 2 && lbr.empty())) continue;  // at least one rank listed
      const std::uint32_t levels = d.below(5);
      p.levels_by_rank.emplace_back(r, levels);
      lbr += fmt::format(R"({}"{}":{})", lbr.empty() ? "" : ",", names[r], levels);
    }
    extra += ",\"levels_by_rank\":{" + lbr + "}";
  }
  if (d.chance(25)) extra += fmt::format(R"(,"min_rank":"{}")", names[d.below(3)]);
  if (d.chance(20)) extra += R"(,"require_active":false)";
  p.json = fmt::format(
      R"({{"name":"random","money_decimals":{},"rounding":"{}","qualification":{{"active_pv":"{}"}},)"
      R"("ranks":[{{"name":"A","pv":"{}"}},{{"name":"B","gv":"{}"}},{{"name":"C","gv":"{}","active":false}}],)"
      R"("bonuses":[{{"name":"level","type":"unilevel","rates":["10%","7.5%","3.3333%"]}},)"
      R"({{"name":"match","type":"matching","of":"level","rates":[{}]{}}}]}})",
      d.below(4), roundings[d.below(4)], d.below(3) * 15, d.below(3) * 20, 50 + d.below(300), 150 + d.below(600),
      rates, extra);
  return p;
}

using line_key = std::tuple<member_index, member_index, std::uint32_t, rate_t>;  // earner, source, level, rate

/// SPEC §5.5 one downline earner at a time: (earner, source, level or generation, rate).
std::vector<line_key> oracle_lines(const plan& rules, const network& net, const qualification& q, const match_plan& p,
                                   const std::vector<minor_t>& earned) {
  const bonus& match = *rules.bonuses[1];
  auto unlocked = [&](member_index m) -> std::uint32_t {
    if (p.levels_by_rank.empty()) return 1000;
    std::uint32_t levels = 0;
    for (auto [rank, n] : p.levels_by_rank)
      if (rank <= q.rank[m]) levels = n;
    return levels;
  };
  std::vector<line_key> out;
  for (member_index d = 0; d < net.size(); ++d) {
    if (earned[d] == 0) continue;
    std::uint32_t level = 1;
    for (member_index u = net.parent(d); u != none && level <= p.rates.size(); u = net.parent(u)) {
      const bool qualified = match.qualified(u, q);
      if (p.generation_rank == no_rank) {
        if (p.dynamic && !qualified) continue;  // skipped, not a level
        // Generous: also skipped when its rank does not unlock the level it would fill.
        if (p.generous && (!qualified || unlocked(u) < level)) continue;
        if (qualified && level <= unlocked(u) && p.rates[level - 1] != 0) out.emplace_back(u, d, level, p.rates[level - 1]);
        ++level;
      } else {
        if (qualified && level <= unlocked(u) && p.rates[level - 1] != 0) out.emplace_back(u, d, level, p.rates[level - 1]);
        if (q.rank[u] >= p.generation_rank) ++level;  // a generation ends at, and includes, u
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string plan_error_of(const std::string& bonuses) {
  try {
    plan::from_json(R"({"name":"t","ranks":[{"name":"Gold","pv":"1"}],"bonuses":[)" + bonuses + "]}", "plan.json");
  } catch (const plan_error& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("matching: golden cases through the C++ API", "[matching][golden]") {
  const auto names = golden_cases("32_");
  REQUIRE(names.size() >= 3);
  for (const auto& name : names) check_golden_case(name);
}

TEST_CASE("matching: plan errors", "[matching]") {
  const std::string uni = R"({"name":"level","type":"unilevel","rates":["10%"]})";
  // `of` must name a bonus listed before it.
  CHECK_THAT(plan_error_of(R"({"name":"m","type":"matching","of":"level","rates":["10%"]},)" + uni),
             Catch::Contains("bonuses[0].of") && Catch::Contains("'level'"));
  CHECK_THAT(plan_error_of(uni + R"(,{"name":"m","type":"matching","of":"m","rates":["10%"]})"),
             Catch::Contains("bonuses[1].of") && Catch::Contains("'m'"));
  CHECK_THAT(plan_error_of(uni + R"(,{"name":"m","type":"matching","of":"nope","rates":["10%"]})"),
             Catch::Contains("bonuses[1].of") && Catch::Contains("'nope'"));
  // A matching of a matching is a cycle.
  CHECK_THAT(plan_error_of(uni + R"(,{"name":"m1","type":"matching","of":"level","rates":["10%"]},
                                   {"name":"m2","type":"matching","of":"m1","rates":["10%"]})"),
             Catch::Contains("bonuses[2].of") && Catch::Contains("cycle") && Catch::Contains("'m1'"));
  CHECK_THAT(plan_error_of(uni + R"(,{"name":"m","type":"matching","of":"level","rates":["10%"],
                                   "generation_rank":"Gold","compression":"dynamic"})"),
             Catch::Contains("bonuses[1].compression"));
  CHECK_THAT(plan_error_of(uni + R"(,{"name":"m","type":"matching","of":"level","rates":["10%"],"generation_rank":"Zed"})"),
             Catch::Contains("bonuses[1].generation_rank") && Catch::Contains("'Zed'"));
  CHECK_THAT(plan_error_of(uni + R"(,{"name":"m","type":"matching","of":"level","rates":["10%"],"paid_on":"active"})"),
             Catch::Contains("bonuses[1].paid_on"));
  CHECK_THAT(plan_error_of(uni + R"(,{"name":"m","type":"matching","of":"level","rates":[]})"),
             Catch::Contains("bonuses[1].rates"));
  CHECK(plan_error_of(uni + R"(,{"name":"m","type":"matching","of":"level","rates":["10%"],"generation_rank":"Gold",
                               "compression":"none","levels_by_rank":{"Gold":1}})") == "no error");
}

TEST_CASE("matching: rounded earnings by hand, negative included", "[matching]") {
  // R ── A ── B ── C. level: unilevel 10% on one level. Sales: C 100.05, B −30.00, A 0.
  // require_active false everywhere: B's PV is negative, so it is not active.
  // level: B earns 10% × 100.05 = 10.005 → half_even 10.00 (the matching reads the rounded
  // 10.00, not 10.005); A earns 10% × −30 = −3.00; R earns nothing (A bought nothing).
  // match 50% / 25%: A: 50% × B's 10.00 = 5.00; R: 50% × A's −3.00 + 25% × B's 10.00 = 1.00.
  const network net = make_network({{"R", "", ""}, {"A", "R", ""}, {"B", "A", ""}, {"C", "B", ""}});
  const ledger sales = make_ledger(net, {{"C", "100.05", "", ""}, {"B", "-30", "", ""}});
  const plan rules = plan::from_json(R"({"name":"t","bonuses":[{"name":"level","type":"unilevel","rates":["10%"],"require_active":false},
    {"name":"match","type":"matching","of":"level","rates":["50%","25%"],"require_active":false}]})");
  const result r = run(rules, net, sales);
  CHECK(paid(r, "B", "level") == minor("10.00", 2));
  CHECK(paid(r, "A", "level") == minor("-3.00", 2));
  CHECK(paid(r, "A", "match") == minor("5.00", 2));
  CHECK(paid(r, "R", "match") == minor("1.00", 2));
  CHECK(paid(r, "B", "match") == 0);
}

TEST_CASE("matching: equals the brute-force walk on random networks", "[matching][property]") {
  dice d(5551212);
  std::size_t lines_seen = 0, generation_plans = 0, generous_plans = 0;
  for (int iteration = 0; iteration < 400; ++iteration) {
    const std::uint32_t n = 1 + d.below(40);
    const match_plan p = random_plan(d);
    INFO("iteration " << iteration << "\nplan " << p.json);
    const plan rules = plan::from_json(p.json);
    const random_case c = make_random_case(d, n, d.below(3 * n + 1), rules.money_decimals < 2);
    const network net = make_network(c.members);
    const ledger sales = make_ledger(net, c.sales);
    const result fast = run(rules, net, sales);
    run_options options;
    options.explain = true;
    const result slow = run(rules, net, sales, options);
    generation_plans += p.generation_rank != no_rank;
    generous_plans += p.generous;

    const std::vector<line_key> expected = oracle_lines(rules, net, fast.q, p, fast.rounded[0]);
    const std::int64_t scale = static_cast<std::int64_t>(pow10_i128(6 - rules.money_decimals));
    std::vector<exact_t> exact(n, 0);
    for (auto [earner, source, level, rate] : expected)
      exact[earner] += static_cast<exact_t>(rate) * fast.rounded[0][source] * scale;
    for (member_index m = 0; m < n; ++m) {
      INFO("member " << net.id(m));
      CHECK(fast.rounded[1][m] == round_to_minor(exact[m], rules.money_decimals, rules.rounding));
      CHECK(slow.rounded[1][m] == fast.rounded[1][m]);
    }
    // Explanation lines: one per (earner, downline earner) at its level, base = its
    // rounded earning, amount = base × rate.
    std::vector<line_key> explained;
    for (const explanation& e : slow.lines) {
      if (e.bonus != 1) continue;
      explained.emplace_back(e.earner, e.source, e.level, e.rate);
      CHECK(e.line == none);
      CHECK(e.base == fast.rounded[0][e.source] * scale);
      CHECK(e.amount == static_cast<exact_t>(e.rate) * e.base);
    }
    std::sort(explained.begin(), explained.end());
    CHECK(explained == expected);
    lines_seen += expected.size();
  }
  CHECK(lines_seen > 1000);
  CHECK(generation_plans > 100);
  CHECK(generous_plans > 40);
}

TEST_CASE("matching: generations on a million-deep chain", "[matching][deep]") {
  // m0 ← m1 ← … ← m999999, every member buys 10.00; unilevel 10% on level 1, so each member
  // but the deepest earns 1.00. Every 1000th member (m0, m1000, …) is Gold (PV ≥ 11: it buys
  // 1.00 more, so its sponsor earns 1.10). Matching 10% / 5% by generations of Gold, min_rank
  // Gold: a Gold earns 10% on its first generation (the 999 members below it down to, and
  // including, the next Gold) and 5% on the next 1000.
  const std::uint32_t n = 1'000'000;
  std::vector<member_row> rows;
  std::vector<sale_row> sales_rows;
  for (std::uint32_t i = 0; i < n; ++i) {
    rows.push_back({"m" + std::to_string(i), i ? "m" + std::to_string(i - 1) : "", ""});
    sales_rows.push_back({rows.back().id, i % 1000 == 0 ? "11" : "10", "", ""});
  }
  const network net = make_network(rows);
  const ledger sales = make_ledger(net, sales_rows);
  const plan rules = plan::from_json(R"({"name":"deep","ranks":[{"name":"Gold","pv":"11"}],"bonuses":[
    {"name":"level","type":"unilevel","rates":["10%"]},
    {"name":"match","type":"matching","of":"level","rates":["10%","5%"],"generation_rank":"Gold","min_rank":"Gold"}]})");
  for (bool explain : {false, true}) {
    run_options options;
    options.explain = explain;
    const result r = run(rules, net, sales, options);
    // Earnings from `level`: m(k) earns 10% of m(k+1)'s purchase: 1.10 when m(k+1) is Gold.
    // Gold m(1000j), j < 999: generation 1 = m(1000j+1) … m(1000j+1000): 998 × 1.00 + the
    // member just above the next Gold (1.10) + that Gold (1.00) = 1000.10 → 100.01;
    // generation 2 = the same shape one block down → 5% × 1000.10 = 50.005.
    // j = 998: generation 2 holds m999001 … m999999, where m999999 earns nothing: 998.00 → 49.90.
    CHECK(paid(r, "m0", "match") == minor("150.02", 2));  // 100.01 + 50.005 = 150.015 → half_even 150.02
    CHECK(paid(r, "m998000", "match") == minor("149.91", 2));  // 100.01 + 49.90
    CHECK(paid(r, "m999000", "match") == minor("99.80", 2));   // 10% × 998.00 (m999999 earns nothing)
    CHECK(paid(r, "m999", "match") == 0);                       // not Gold
  }
}
