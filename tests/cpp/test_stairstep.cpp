// SPDX-License-Identifier: MIT
// bonuses/stairstep.hpp: differentials, breakaway groups, generation overrides (SPEC §5.4).
// The linear-time sweep is checked against a brute-force per-sale walk written here from
// the SPEC text, on random small networks; golden cases by hand in tests/data/golden/3[01]_*.
#include "downline/bonuses/stairstep.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

#include "bonus_test_support.hpp"
#include "downline/error.hpp"

using namespace downline;
using namespace bonus_test;

namespace {

/// A random stairstep plan, and its parameters as the oracle reads them.
struct stair_plan {
  std::string json;
  std::vector<std::pair<rank_index, rate_t>> steps;
  bool include_personal = true;
  rank_index breakaway = no_rank;
  std::vector<rate_t> generations;
  bool on_volume = false;
};

const char* const rate_texts[] = {"0%", "1%", "2.5%", "3%", "5%", "8%", "10%", "12.5%", "20%"};
const rate_t rate_values[] = {0, 10'000, 25'000, 30'000, 50'000, 80'000, 100'000, 125'000, 200'000};

stair_plan random_plan(dice& d) {
  stair_plan p;
  const char* names[] = {"R0", "R1", "R2", "R3"};
  std::string ranks = fmt::format(
      R"([{{"name":"R0","pv":"{}"}},{{"name":"R1","gv":"{}"}},{{"name":"R2","pv":"1","gv":"{}"}},)"
      R"({{"name":"R3","gv":"{}","active":{}}}])",
      d.below(3) * 20, 20 + d.below(200), 100 + d.below(400), 200 + d.below(800), d.chance(70) ? "true" : "false");
  std::string steps;
  for (rank_index r = 0; r < 4; ++r) {
    if (!d.chance(65) && !(r == 3 && p.steps.empty())) continue;
    const std::uint32_t i = d.below(9);
    p.steps.emplace_back(r, rate_values[i]);
    steps += fmt::format(R"({}{{"rank":"{}","rate":"{}"}})", steps.empty() ? "" : ",", names[r], rate_texts[i]);
  }
  p.include_personal = !d.chance(30);
  p.on_volume = d.chance(40);
  std::string extra;
  if (d.chance(70)) {
    p.breakaway = static_cast<rank_index>(1 + d.below(3));
    std::string gens;
    for (std::uint32_t g = d.below(4); g > 0; --g) {
      const std::uint32_t i = d.below(9);
      p.generations.push_back(rate_values[i]);
      gens += fmt::format(R"({}"{}")", gens.empty() ? "" : ",", rate_texts[i]);
    }
    extra += fmt::format(R"(,"breakaway":{{"rank":"{}","generations":[{}]}})", names[p.breakaway], gens);
  }
  if (!p.include_personal) extra += R"(,"include_personal":false)";
  if (d.chance(20)) extra += fmt::format(R"(,"min_rank":"{}")", names[d.below(4)]);
  if (d.chance(20)) extra += R"(,"require_active":false)";
  p.json = fmt::format(
      R"({{"name":"random","money_decimals":6,"qualification":{{"active_pv":"{}"}},"ranks":{},)"
      R"("bonuses":[{{"name":"ss","type":"stairstep","base":"{}","steps":[{}]{}}}]}})",
      d.below(3) * 15, ranks, p.on_volume ? "volume" : "amount", steps, extra);
  return p;
}

/// The SPEC §5.4 walk, one sale at a time, straight from the text.
struct walk_oracle {
  const plan& rules;
  const network& net;
  const ledger& sales;
  const qualification& q;
  const stair_plan& p;

  rate_t rate(member_index m) const {
    if (!rules.bonuses[0]->qualified(m, q)) return 0;
    rate_t r = 0;
    for (auto [rank, rt] : p.steps)
      if (q.rank[m] >= rank) r = rt;
    return r;
  }
  bool heads(member_index m) const { return p.breakaway != no_rank && q.rank[m] >= p.breakaway; }
  base_t base(std::uint32_t line) const { return p.on_volume ? sales.volume(line) * 100 : sales.amount(line); }

  /// Per member exact pay; also, per line, the highest rate on the walked path.
  std::vector<exact_t> pay(std::vector<rate_t>& path_max) const {
    std::vector<exact_t> out(net.size(), 0);
    std::map<member_index, __int128> group;
    path_max.assign(sales.size(), 0);
    for (std::uint32_t line = 0; line < sales.size(); ++line) {
      const member_index b = sales.member(line);
      const base_t v = base(line);
      rate_t r = rate(b);
      if (p.include_personal) out[b] += static_cast<exact_t>(r) * v;
      member_index head = heads(b) ? b : none;
      for (member_index u = net.parent(b); head == none && u != none; u = net.parent(u)) {
        if (rate(u) > r) {
          out[u] += static_cast<exact_t>(rate(u) - r) * v;
          r = rate(u);
        }
        if (heads(u)) head = u;
      }
      path_max[line] = r;
      if (head != none) group[head] += v;
    }
    for (auto [h, volume] : group) {
      std::size_t generation = 0;
      for (member_index u = net.parent(h); u != none && generation < p.generations.size(); u = net.parent(u)) {
        if (!heads(u)) continue;
        if (rules.bonuses[0]->qualified(u, q)) out[u] += static_cast<exact_t>(p.generations[generation]) * volume;
        ++generation;
      }
    }
    return out;
  }
};

}  // namespace

TEST_CASE("stairstep: golden cases through the C++ API", "[stairstep][golden]") {
  auto names = golden_cases("30_");
  auto more = golden_cases("31_");
  names.insert(names.end(), more.begin(), more.end());
  REQUIRE(names.size() >= 4);
  for (const auto& name : names) check_golden_case(name);
}

TEST_CASE("stairstep: differentials by hand", "[stairstep]") {
  // A ── B ── C ── D (file order). Steps: Bronze 5%, Silver 8%, Gold 12%; ranks by PV.
  // PV: A 290 (Gold), B 10 (Bronze), C 150 (Silver), D 20 (Bronze; its second line of 100.00
  // has volume 0). On a sale of 100 by D: D 5% = 5.00; C 8 − 5 = 3% = 3.00; B 5% < 8%:
  // nothing; A 12 − 8 = 4% = 4.00; Σ = 12% = the highest rate on the path.
  const network net = make_network({{"A", "", ""}, {"B", "A", ""}, {"C", "B", ""}, {"D", "C", ""}});
  const ledger sales = make_ledger(net, {{"A", "290", "", ""}, {"B", "10", "", ""}, {"C", "150", "", ""},
                                         {"D", "20", "", ""}, {"D", "100", "0", ""}});
  const plan rules = plan::from_json(R"({"name":"t","ranks":[{"name":"Bronze","pv":"1"},{"name":"Silver","pv":"100"},
    {"name":"Gold","pv":"200"}],"bonuses":[{"name":"ss","type":"stairstep","base":"amount","steps":[
    {"rank":"Bronze","rate":"5%"},{"rank":"Silver","rate":"8%"},{"rank":"Gold","rate":"12%"}]}]})");
  const result r = run(rules, net, sales);
  CHECK(paid(r, "D", "ss") == minor("6.00", 2));   // 5% × (20 + 100)
  CHECK(paid(r, "C", "ss") == minor("15.60", 2));  // 8% × 150 + 3% × (20 + 100)
  CHECK(paid(r, "B", "ss") == minor("0.50", 2));   // 5% × 10 own; nothing on D (5% < 8%)
  // 12% × 290 own + 7% × 10 (B) + 4% × 150 (C) + 4% × 120 (D's sales after C took 8%)
  CHECK(paid(r, "A", "ss") == minor("34.80", 2) + minor("0.70", 2) + minor("6.00", 2) + minor("4.80", 2));
}

TEST_CASE("stairstep: plan errors name the path", "[stairstep]") {
  const std::string ranks = R"("ranks":[{"name":"Bronze","pv":"1"},{"name":"Gold","pv":"100"}])";
  auto error_of = [&](const std::string& bonuses) {
    try {
      plan::from_json(R"({"name":"t",)" + ranks + R"(,"bonuses":[)" + bonuses + "]}", "plan.json");
    } catch (const plan_error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK_THAT(error_of(R"({"name":"s","type":"stairstep","steps":[{"rank":"Gold","rate":"5%"},{"rank":"Bronze","rate":"3%"}]})"),
             Catch::Contains("bonuses[0].steps[1].rank") && Catch::Contains("'Bronze'"));
  CHECK_THAT(error_of(R"({"name":"s","type":"stairstep","steps":[]})"), Catch::Contains("bonuses[0].steps"));
  CHECK_THAT(error_of(R"({"name":"s","type":"stairstep","steps":[{"rank":"Emperor","rate":"5%"}]})"),
             Catch::Contains("bonuses[0].steps[0].rank") && Catch::Contains("'Emperor'"));
  CHECK_THAT(error_of(R"({"name":"s","type":"stairstep","steps":[{"rank":"Gold","rate":"5%","extra":1}]})"),
             Catch::Contains("'extra'"));
  CHECK_THAT(error_of(R"({"name":"s","type":"stairstep","steps":[{"rank":"Gold","rate":"5%"}],
               "breakaway":{"rank":"Gold","generations":["120%"]}})"),
             Catch::Contains("bonuses[0].breakaway.generations[0]") && Catch::Contains("'120%'"));
  // Two breakaways in one plan must agree: ranks use one GV.
  CHECK_THAT(error_of(R"({"name":"a","type":"stairstep","steps":[{"rank":"Gold","rate":"5%"}],"breakaway":{"rank":"Gold"}},
                         {"name":"b","type":"stairstep","steps":[{"rank":"Gold","rate":"5%"}],"breakaway":{"rank":"Bronze"}})"),
             Catch::Contains("bonuses[1].breakaway.rank") && Catch::Contains("'Bronze'"));
  CHECK(error_of(R"({"name":"a","type":"stairstep","steps":[{"rank":"Gold","rate":"5%"}],"breakaway":{"rank":"Gold"}},
                    {"name":"b","type":"stairstep","steps":[{"rank":"Gold","rate":"5%"}],"breakaway":{"rank":"Gold"}})") ==
        "no error");
  const plan p = plan::from_json(R"({"name":"t",)" + ranks +
                                 R"(,"bonuses":[{"name":"s","type":"stairstep","steps":[{"rank":"Gold","rate":"5%"}],
                                 "breakaway":{"rank":"Gold","generations":["5%","2.5%"]}}]})");
  CHECK(p.breakaway_rank == 1);
}

TEST_CASE("stairstep: linear sweep equals the per-sale walk, with invariants", "[stairstep][property]") {
  dice d(20260104);
  int with_groups = 0, with_generations = 0;
  for (int iteration = 0; iteration < 400; ++iteration) {
    const std::uint32_t n = 1 + d.below(40);
    const random_case c = make_random_case(d, n, d.below(3 * n + 1));
    const stair_plan p = random_plan(d);
    INFO("iteration " << iteration << "\nplan " << p.json);
    const plan rules = plan::from_json(p.json);
    REQUIRE(rules.breakaway_rank == p.breakaway);
    const network net = make_network(c.members);
    const ledger sales = make_ledger(net, c.sales);
    const result fast = run(rules, net, sales);
    run_options explain;
    explain.explain = true;
    const result slow = run(rules, net, sales, explain);
    const walk_oracle oracle{rules, net, sales, fast.q, p};
    std::vector<rate_t> path_max;
    const std::vector<exact_t> expected = oracle.pay(path_max);

    // money_decimals 6 with 2-decimal amounts and ≤ 4-decimal percent rates: nothing rounds.
    std::vector<exact_t> explained(n, 0);
    std::map<std::uint32_t, exact_t> per_line;
    for (const explanation& e : slow.lines) {
      explained[e.earner] += e.amount;
      if (e.line != none) {
        per_line[e.line] += e.amount;
        CHECK(e.rate > 0);  // a differential is never negative (nor a useless zero line)
        CHECK((e.base >= 0 ? e.amount >= 0 : e.amount <= 0));
        std::uint32_t level = 0;  // how far above the buyer the earner is
        for (member_index u = e.source; u != e.earner && u != none; u = net.parent(u)) ++level;
        CHECK(e.level == level);
      } else {
        ++with_generations;
      }
    }
    for (member_index m = 0; m < n; ++m) {
      INFO("member " << net.id(m));
      REQUIRE(expected[m] % 1'000'000 == 0);
      CHECK(fast.rounded[0][m] == static_cast<minor_t>(expected[m] / 1'000'000));
      CHECK(slow.rounded[0][m] == fast.rounded[0][m]);
      CHECK(explained[m] == expected[m]);
    }
    // On each sale the differentials add up to at most the highest rate on its path × base
    // (exactly that when the buyer is paid its own rate).
    for (std::uint32_t line = 0; line < sales.size(); ++line) {
      const exact_t bound = static_cast<exact_t>(path_max[line]) * oracle.base(line);
      const exact_t sum = per_line.count(line) ? per_line[line] : 0;
      INFO("line " << line);
      if (p.include_personal) CHECK(sum == bound);
      CHECK((oracle.base(line) >= 0 ? sum <= bound : sum >= bound));
    }
    // A breakaway group's volume never reaches an upline's GV: GV(u) is the PV of the
    // members below u reached without crossing a member at breakaway rank.
    for (member_index u = 0; u < n; ++u) {
      volume_t gv = 0;
      for (member_index m = u; m < net.subtree_end(u); ++m) {
        bool cut = false;
        for (member_index x = m; x != u; x = net.parent(x)) cut = cut || oracle.heads(x);
        if (!cut) gv += fast.q.pv[m];
      }
      INFO("member " << net.id(u));
      CHECK(fast.q.gv[u] == gv);
      with_groups += oracle.heads(u);
    }
  }
  CHECK(with_groups > 100);       // the loop did exercise breakaway groups
  CHECK(with_generations > 100);  // and generation overrides
}

TEST_CASE("stairstep: a million-deep chain, with and without explanations", "[stairstep][deep]") {
  // m0 ← m1 ← … ← m999999. Every member buys 1.00; members 1000k buy 2.00 and are Gold (PV ≥ 2,
  // the breakaway rank), the others Associate. Associate 5%, Gold 10%, generation 1%.
  // A Gold's group: its own 2.00 + the 999 × 1.00 below it → 10% × 2 + 5% × 999 = 50.15;
  // plus 1% of the next Gold's group (1001.00) = 10.01, except for the deepest Gold.
  const std::uint32_t n = 1'000'000;
  std::vector<member_row> rows;
  std::vector<sale_row> sales_rows;
  for (std::uint32_t i = 0; i < n; ++i) {
    rows.push_back({"m" + std::to_string(i), i ? "m" + std::to_string(i - 1) : "", ""});
    sales_rows.push_back({rows.back().id, i % 1000 == 0 ? "2" : "1", "", ""});
  }
  const network net = make_network(rows);
  const ledger sales = make_ledger(net, sales_rows);
  const plan rules = plan::from_json(R"({"name":"deep","ranks":[{"name":"Associate","pv":"1"},{"name":"Gold","pv":"2"}],
    "bonuses":[{"name":"ss","type":"stairstep","steps":[{"rank":"Associate","rate":"5%"},{"rank":"Gold","rate":"10%"}],
    "breakaway":{"rank":"Gold","generations":["1%"]}}]})");
  for (bool explain : {false, true}) {
    run_options options;
    options.explain = explain;
    const result r = run(rules, net, sales, options);
    CHECK(paid(r, "m0", "ss") == minor("60.16", 2));
    CHECK(paid(r, "m998000", "ss") == minor("60.16", 2));
    CHECK(paid(r, "m999000", "ss") == minor("50.15", 2));
    CHECK(paid(r, "m1", "ss") == minor("0.05", 2));
    CHECK(paid(r, "m999999", "ss") == minor("0.05", 2));
    CHECK(r.totals.total_payout == 999 * minor("60.16", 2) + minor("50.15", 2) + 999'000 * minor("0.05", 2));
  }
}
