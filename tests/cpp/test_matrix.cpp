// SPDX-License-Identifier: MIT
// The matrix bonus: level rates up a forced matrix with spillover (SPEC §5.3).
#include "downline/bonuses/matrix.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

#include "downline/decimal.hpp"
#include "downline/error.hpp"
#include "downline/rounding.hpp"
#include "placement_test_support.hpp"

using namespace downline;
using namespace placement_test;

namespace {

std::map<std::string, std::string> payouts(const result& r) {
  std::map<std::string, std::string> out;
  for (const payout_line& p : r.payouts)
    out[std::string(r.net->id(p.member)) + "/" + r.bonus_names[p.bonus]] = format_fixed(p.amount, 2);
  return out;
}

// A sponsors B..K; a 3-wide matrix places B C D below A, E F G below B, H I J below C, K below D.
std::vector<row> star_of_ten() {
  std::vector<row> rows{{"A", ""}};
  for (char c = 'B'; c <= 'K'; ++c) rows.push_back({std::string(1, c), "A"});
  return rows;
}

}  // namespace

TEST_CASE("matrix pays placement uplines by level, a unilevel of the same plan follows the sponsor", "[matrix]") {
  const network net = make_network(star_of_ten());
  const ledger sales = make_ledger(net, {{"K", "100.00"}, {"E", "40.00"}, {"B", "10.00"}});
  const plan p = plan::from_json(R"({"name": "m", "bonuses": [
      {"name": "mx", "type": "matrix", "width": 3, "depth": 3, "rates": ["5%", "3%", "1%"]},
      {"name": "uni", "type": "unilevel", "rates": ["10%", "4%"]}]})");
  // mx: K → D 5.00, A 3.00; E → B 2.00, A 1.20; B → A 0.50.  uni: everyone's sponsor is A.
  CHECK(payouts(run(p, net, sales)) == std::map<std::string, std::string>{
                                           {"A/mx", "4.70"}, {"A/uni", "15.00"}, {"B/mx", "2.00"}, {"D/mx", "5.00"}});
}

TEST_CASE("matrix compression none keeps an unqualified level, dynamic skips it", "[matrix]") {
  // Chain of placement: A ← B ← C ← D (each sponsors the next); B is inactive.
  const network net = make_network({{"A", ""}, {"B", "A"}, {"C", "B"}, {"D", "C"}});
  const ledger sales = make_ledger(net, {{"A", "50"}, {"B", "10"}, {"C", "50"}, {"D", "100"}});
  auto plan_with = [](const std::string& extra) {
    return plan::from_json(R"({"name": "m", "qualification": {"active_pv": "50"}, "bonuses": [
        {"name": "mx", "type": "matrix", "width": 2, "depth": 3, "rates": ["10%", "5%", "2%"])" + extra + "}]}");
  };
  // none: D → C 10.00, B (inactive, kept by the company), A 2.00; C → B –, A 2.50; B → A 1.00.
  CHECK(payouts(run(plan_with(""), net, sales)) ==
        std::map<std::string, std::string>{{"A/mx", "5.50"}, {"C/mx", "10.00"}});
  // dynamic: D → C 10.00, A (level 2) 5.00; C → A 5.00; B → A 1.00.
  CHECK(payouts(run(plan_with(R"(, "compression": "dynamic")"), net, sales)) ==
        std::map<std::string, std::string>{{"A/mx", "11.00"}, {"C/mx", "10.00"}});
  // paid_on active: B's own line generates nothing either.
  CHECK(payouts(run(plan_with(R"(, "compression": "dynamic", "paid_on": "active")"), net, sales)) ==
        std::map<std::string, std::string>{{"A/mx", "10.00"}, {"C/mx", "10.00"}});
}

TEST_CASE("matrix explanation lines name the buyer, order and placement level", "[matrix]") {
  const network net = make_network(star_of_ten());
  const ledger sales = make_ledger(net, {{"K", "100.00"}});
  const plan p = plan::from_json(R"({"name": "m", "bonuses": [
      {"name": "mx", "type": "matrix", "width": 3, "depth": 2, "rates": ["5%", "3%"]}]})");
  run_options o;
  o.explain = true;
  const result r = run(p, net, sales, o);
  REQUIRE(r.lines.size() == 2);
  CHECK(net.id(r.lines[0].earner) == "A");
  CHECK(r.lines[0].level == 2);
  CHECK(r.lines[0].rate == 30'000);
  CHECK(net.id(r.lines[1].earner) == "D");
  CHECK(r.lines[1].level == 1);
  for (const explanation& e : r.lines) {
    CHECK(net.id(e.source) == "K");
    CHECK(e.amount == static_cast<exact_t>(e.rate) * e.base);
    CHECK(e.detail == no_detail);
  }
}

TEST_CASE("matrix plan keys are checked with their JSON path", "[matrix][plan]") {
  auto fails = [](const std::string& keys, const std::string& path, const std::string& value) {
    INFO(keys);
    const std::string m = error_of<plan_error>([&] {
      plan::from_json(R"({"name": "m", "bonuses": [{"name": "mx", "type": "matrix", )" + keys + "}]}");
    });
    CHECK_THAT(m, Catch::Contains(path) && Catch::Contains("'" + value + "'"));
  };
  fails(R"("width": 3, "depth": 2, "rates": ["5%", "3%", "1%"])", "bonuses[0].rates", "3");
  fails(R"("width": 1, "depth": 2, "rates": ["5%"])", "bonuses[0].width", "1");
  fails(R"("width": 3, "depth": 0, "rates": ["5%"])", "bonuses[0].depth", "0");
  fails(R"("depth": 2, "rates": ["5%"])", "bonuses[0]", "width");
  fails(R"("width": 3, "depth": 2, "rates": ["5%"], "placement": "bfs")", "bonuses[0]", "placement");
}

TEST_CASE("matrix pay matches a naive walk over the reference placement", "[matrix][invariant]") {
  dice d(555);
  int earners = 0;
  for (int round = 0; round < 80; ++round) {
    const std::uint32_t width = 2 + d.below(4), n = 1 + d.below(150);
    // Compression none, dynamic, generous (levels_by_rank: PV ≥ 45 unlocks 1 level, ≥ 60 three).
    const int mode = round % 3;
    const bool dynamic = mode != 0, generous = mode == 2;
    const auto rows = random_rows(d, n, width, false, 15);
    const network net = make_network(rows);
    std::vector<sale> sale_rows;
    for (std::uint32_t i = 0, lines = d.below(2 * n + 1); i < lines; ++i) {
      const int v = static_cast<int>(d.below(80)) - 10;
      sale_rows.push_back({"m" + std::to_string(d.below(n)), std::to_string(v)});
    }
    const std::vector<rate_t> rates{70'000, 40'000, 25'000, 10'000};
    const plan p = plan::from_json(fmt::format(R"({{"name": "m", "qualification": {{"active_pv": "30"}},
        "ranks": [{{"name": "Bronze", "pv": "45"}}, {{"name": "Silver", "pv": "60"}}], "bonuses": [
        {{"name": "mx", "type": "matrix", "width": {}, "depth": 5, "rates": ["7%", "4%", "2.5%", "1%"],
          "compression": "{}"{}}}]}})",
                                               width, generous ? "generous" : dynamic ? "dynamic" : "none",
                                               generous ? R"(, "levels_by_rank": {"Bronze": 1, "Silver": 3})" : ""));
    const result r = run(p, net, make_ledger(net, sale_rows));

    const auto spots = reference_placement(rows, width, false, placement_rule::bfs);
    std::map<std::string, int> at;
    for (std::size_t i = 0; i < rows.size(); ++i) at[rows[i].id] = static_cast<int>(i);
    std::vector<std::int64_t> pv(n, 0);
    for (const sale& s : sale_rows) pv[at[s.id]] += std::stoi(s.amount);
    std::vector<exact_t> exact(n, 0);
    for (const sale& s : sale_rows) {
      std::uint32_t level = 0;
      for (int c = at[s.id]; !spots[c].parent.empty() && level < rates.size();) {
        c = at[spots[c].parent];
        const bool active = pv[c] >= 30;
        if (dynamic && !active) continue;
        const std::uint32_t unlocked = pv[c] >= 60 ? 3 : pv[c] >= 45 ? 1 : 0;
        if (generous && unlocked < level + 1) continue;  // skipped: does not unlock the level it would fill
        if (active) exact[c] += static_cast<exact_t>(rates[level]) * std::stoi(s.amount) * 1'000'000;
        ++level;
      }
    }
    std::map<std::string, std::string> expected;
    for (std::uint32_t m = 0; m < n; ++m) {
      const minor_t v = round_to_minor(exact[m], 2, rounding_mode::half_even);
      if (v != 0) expected[rows[m].id + "/mx"] = format_fixed(v, 2);
    }
    INFO("round " << round << ", width " << width << ", " << n << " members");
    CHECK(payouts(r) == expected);
    earners += static_cast<int>(expected.size());
  }
  CHECK(earners > 200);
}

TEST_CASE("a million-wide star spills over a 3-wide matrix", "[matrix][scale]") {
  constexpr std::uint32_t n = 1'000'000;
  std::vector<row> rows{{"s0", ""}};
  std::vector<sale> sales;
  for (std::uint32_t i = 1; i < n; ++i) rows.push_back({"s" + std::to_string(i), "s0"});
  for (std::uint32_t i = 0; i < n; ++i) sales.push_back({"s" + std::to_string(i), "1.00"});
  const network net = make_network(rows);
  const plan p = plan::from_json(R"({"name": "m", "bonuses": [
      {"name": "mx", "type": "matrix", "width": 3, "depth": 2, "rates": ["10%", "10%"]}]})");
  const result r = run(p, net, make_ledger(net, sales));
  // 0-based heap of width 3: s_k sits below s_((k-1)/3). s1 holds s4..s6 and their 9 children.
  const auto got = payouts(r);
  CHECK(got.at("s0/mx") == "1.20");   // 3 + 9 members at 0.10
  CHECK(got.at("s1/mx") == "1.20");
  CHECK(got.at("s111110/mx") == "0.90");  // s333331..3 below it, and 6 of their 9 positions filled
  CHECK(got.at("s333332/mx") == "0.30");  // the last full node: s999997..s999999
  CHECK(got.count("s333333/mx") == 0);
}
