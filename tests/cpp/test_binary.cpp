// SPDX-License-Identifier: MIT
// The binary bonus (SPEC §5.2) and carry between periods (SPEC §7).
#include "downline/bonuses/binary.hpp"

#include <catch2/catch.hpp>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "downline/decimal.hpp"
#include "downline/error.hpp"
#include "downline/generate.hpp"
#include "downline/rounding.hpp"
#include "placement_test_support.hpp"

using namespace downline;
using namespace placement_test;

namespace {

/// Points (or currency units) in base units (millionths).
constexpr base_t pts(std::int64_t points) { return points * 1'000'000; }
/// Currency units as exact amounts (10^-12).
constexpr exact_t money(std::int64_t units) { return static_cast<exact_t>(units) * 1'000'000'000'000; }

plan binary_plan(const std::string& bonus_keys, const std::string& extra = "") {
  return plan::from_json(R"({"name": "t", "qualification": {"active_pv": "0"}, )" + extra + R"("bonuses": [
      {"name": "team", "type": "binary", "base": "volume", )" + bonus_keys + "}]}");
}

const binary_bonus& binary_of(const plan& p) { return dynamic_cast<const binary_bonus&>(*p.bonuses[0]); }

binary_legs paired(const plan& p, base_t carry_l, base_t carry_r, base_t vol_l, base_t vol_r, bool qualified = true) {
  binary_legs l;
  l.carry_in[0] = carry_l;
  l.carry_in[1] = carry_r;
  l.volume[0] = vol_l;
  l.volume[1] = vol_r;
  REQUIRE(binary_of(p).pair(l, qualified) == nullptr);
  return l;
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  REQUIRE(in);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string payouts_csv(const result& r, int money_decimals) {
  std::string s = "member_id,bonus,amount\n";
  for (const payout_line& p : r.payouts)
    s += fmt::format("{},{},{}\n", r.net->id(p.member), r.bonus_names[p.bonus], format_fixed(p.amount, money_decimals));
  return s;
}

/// One member's binary carry of one bonus (ten-thousandths), as tests write and read it.
struct carry_entry {
  std::string member_id, bonus;
  volume_t left = 0, right = 0;
};

/// The binary carry entries of a result's state for the next period, in file order.
std::vector<carry_entry> carries(const result& r) {
  std::vector<carry_entry> out;
  for (const state_row& row : r.state().rows) {
    const bool left = row.key.starts_with("carry_left:");
    const std::string bonus = row.key.substr(row.key.find(':') + 1);
    volume_t v = 0;
    REQUIRE(parse_decimal(row.value, volume_decimals, v) == parse_status::ok);
    if (out.empty() || out.back().member_id != row.member_id || out.back().bonus != bonus)
      out.push_back({row.member_id, bonus, 0, 0});
    (left ? out.back().left : out.back().right) = v;
  }
  return out;
}

/// A state holding these carry entries, resolved against the plan and network.
member_state carry_state(const std::vector<carry_entry>& entries, const plan& rules, const network& net) {
  state_text text;
  for (const carry_entry& e : entries) {
    text.rows.push_back({e.member_id, "carry_left:" + e.bonus, format_trimmed(e.left, volume_decimals)});
    text.rows.push_back({e.member_id, "carry_right:" + e.bonus, format_trimmed(e.right, volume_decimals)});
  }
  return read_state(text, rules, net);
}

/// The state file a result writes (SPEC §7.2), from its text rows.
std::string state_csv(const state_text& state) {
  std::string s = "member_id,key,value\n,period," + state.period + "\n";
  for (const state_row& r : state.rows) s += fmt::format("{},{},{}\n", r.member_id, r.key, r.value);
  return s;
}

/// "key=value" pairs of a binary line's detail, values in base units.
std::map<std::string, std::int64_t> parse_detail(const std::string& detail) {
  std::map<std::string, std::int64_t> out;
  std::istringstream in(detail);
  std::string item;
  while (in >> item) {
    const auto eq = item.find('=');
    REQUIRE(eq != std::string::npos);
    std::int64_t v = 0;
    const int decimals = item.substr(0, eq) == "capped" ? 0 : base_decimals;
    if (decimals == 0) continue;  // money, checked elsewhere
    REQUIRE(parse_decimal(item.substr(eq + 1), decimals, v) == parse_status::ok);
    out[item.substr(0, eq)] = v;
  }
  return out;
}

}  // namespace

TEST_CASE("rate pairing: min(L, R) at the rate, the rest carried", "[binary]") {
  const plan p = binary_plan(R"("rate": "10%")");
  const binary_legs l = paired(p, pts(0), pts(200), pts(1500), pts(1600));
  CHECK(l.matched[0] == pts(1500));
  CHECK(l.matched[1] == pts(1500));
  CHECK(l.pay == money(150));
  CHECK(l.carry_out[0] == 0);
  CHECK(l.carry_out[1] == pts(300));
  CHECK(l.flushed[1] == 0);
}

TEST_CASE("cycle pairing with unequal sizes (450:900)", "[binary]") {
  const plan p = binary_plan(R"("cycle": {"left": "450", "right": "900", "pay": "40.00"})");
  SECTION("the right leg limits") {
    const binary_legs l = paired(p, 0, 0, pts(1400), pts(2000));  // ⌊1400/450⌋ = 3, ⌊2000/900⌋ = 2
    CHECK(l.cycles == 2);
    CHECK(l.matched[0] == pts(900));
    CHECK(l.matched[1] == pts(1800));
    CHECK(l.pay == money(80));
    CHECK(l.carry_out[0] == pts(500));
    CHECK(l.carry_out[1] == pts(200));
  }
  SECTION("the left leg limits; fractions of a cycle stay") {
    const binary_legs l = paired(p, pts(100), 0, pts(349), pts(5000));  // ⌊449/450⌋ = 0
    CHECK(l.cycles == 0);
    CHECK(l.pay == 0);
    CHECK(l.carry_out[0] == pts(449));
    CHECK(l.carry_out[1] == pts(5000));
  }
}

TEST_CASE("the cap cuts the pay but the matched volume is consumed in full", "[binary]") {
  const plan p = binary_plan(R"("rate": "10%", "cap": "100.00")");
  const binary_legs l = paired(p, 0, 0, pts(2500), pts(2000));
  CHECK(l.matched[0] == pts(2000));
  CHECK(l.pay == money(100));
  CHECK(l.capped == money(100));
  CHECK(l.carry_out[0] == pts(500));
  CHECK(l.carry_out[1] == 0);
  const plan cycles = binary_plan(R"("cycle": {"left": "100", "right": "100", "pay": "30"}, "cap": "75.50")");
  const binary_legs c = paired(cycles, 0, 0, pts(300), pts(300));
  CHECK(c.cycles == 3);
  CHECK(c.pay == money(75) + money(1) / 2);
  CHECK(c.capped == money(14) + money(1) / 2);
  CHECK(c.carry_out[0] == 0);
}

TEST_CASE("max_carry clips a positive side, negative legs carry and pair nothing", "[binary]") {
  const plan p = binary_plan(R"("rate": "10%", "max_carry": "500")");
  binary_legs l = paired(p, 0, 0, pts(3000), pts(1000));
  CHECK(l.pay == money(100));
  CHECK(l.carry_out[0] == pts(500));
  CHECK(l.flushed[0] == pts(1500));
  l = paired(p, pts(-50), 0, pts(20), pts(800));  // left is -30 after a refund
  CHECK(l.pay == 0);
  CHECK(l.matched[1] == 0);
  CHECK(l.carry_out[0] == pts(-30));
  CHECK(l.carry_out[1] == pts(500));
  CHECK(l.flushed[0] == 0);
  CHECK(l.flushed[1] == pts(300));
}

TEST_CASE("an unqualified member carries everything, or nothing with flush_inactive", "[binary]") {
  const plan keep = binary_plan(R"("rate": "10%")");
  binary_legs l = paired(keep, pts(100), 0, pts(300), pts(200), false);
  CHECK(l.pay == 0);
  CHECK(l.carry_out[0] == pts(400));
  CHECK(l.carry_out[1] == pts(200));
  const plan flush = binary_plan(R"("rate": "10%", "flush_inactive": true)");
  l = paired(flush, pts(100), pts(-40), pts(300), 0, false);
  CHECK(l.carry_out[0] == 0);
  CHECK(l.carry_out[1] == 0);
  CHECK(l.flushed[0] == pts(400));
  CHECK(l.flushed[1] == pts(-40));
  l = paired(flush, pts(100), 0, pts(300), pts(200), true);  // qualified: nothing flushed
  CHECK(l.carry_out[0] == pts(200));
  CHECK(l.flushed[0] == 0);
}

TEST_CASE("per side, carry_in + volume = matched + carry_out + flushed (random legs)", "[binary][invariant]") {
  dice d(99);
  const std::vector<std::string> variants{
      R"("rate": "10%")",
      R"("rate": "7.5%", "cap": "25", "max_carry": "120")",
      R"("cycle": {"left": "45", "right": "90", "pay": "4.50"}, "max_carry": "300", "flush_inactive": true)",
      R"("cycle": {"left": "0.5", "right": "1.25", "pay": "0.05"}, "cap": "3.10")"};
  for (const std::string& v : variants) {
    const plan p = binary_plan(v);
    for (int i = 0; i < 2000; ++i) {
      auto some = [&] { return (static_cast<base_t>(d.below(200001)) - 60000) * 100; };  // ±, 4 decimals
      const bool qualified = d.chance(80);
      const binary_legs l = paired(p, some(), some(), some(), some(), qualified);
      for (int s = 0; s < 2; ++s) {
        INFO(v << " side " << s);
        CHECK(l.carry_in[s] + l.volume[s] == l.matched[s] + l.carry_out[s] + l.flushed[s]);
        CHECK(l.matched[s] >= 0);
        CHECK(l.carry_out[s] % 100 == 0);  // representable with volume decimals
      }
      CHECK(l.pay >= 0);
      CHECK(l.capped >= 0);
      if (!qualified) CHECK(l.pay + l.matched[0] + l.matched[1] == 0);
    }
  }
}

TEST_CASE("binary plan keys are checked with their JSON path", "[binary][plan]") {
  auto fails = [](const std::string& keys, const std::string& path, const std::string& value) {
    INFO(keys);
    const std::string m = error_of<plan_error>([&] { binary_plan(keys); });
    CHECK_THAT(m, Catch::Contains(path) && Catch::Contains("'" + value + "'"));
  };
  fails(R"("rate": "10%", "placement": "middle")", "bonuses[0].placement", "middle");
  fails(R"("rate": "10%", "cycle": {"left": "1", "right": "1", "pay": "1"})", "bonuses[0].cycle", "cycle");
  fails(R"("cap": "5")", "bonuses[0]", "team");
  fails(R"("cycle": {"left": "0", "right": "1", "pay": "1"})", "bonuses[0].cycle.left", "0");
  fails(R"("cycle": {"left": "1", "right": "1", "pay": "1.005"})", "bonuses[0].cycle.pay", "1.005");
  fails(R"("rate": "10%", "cap": "-1")", "bonuses[0].cap", "-1");
  fails(R"("rate": "10%", "max_carry": "1.00001")", "bonuses[0].max_carry", "1.00001");
  fails(R"("rate": "10%", "require_sponsored": -1)", "bonuses[0].require_sponsored", "-1");
  fails(R"("rate": "10%", "flush": true)", "bonuses[0]", "flush");
  CHECK_THAT(error_of<plan_error>([] {
               plan::from_json(R"({"name": "t", "money_decimals": 6, "bonuses": [
                   {"name": "team", "type": "binary", "rate": "10%"}]})");
             }),
             Catch::Contains("bonuses[0]") && Catch::Contains("'6'"));
}

namespace {

const std::string three_ranks =
    R"("ranks": [{"name": "Bronze", "pv": "100"}, {"name": "Silver", "pv": "200"}, {"name": "Gold", "pv": "300"}], )";

binary_legs paired_as(const plan& p, rank_index rank, base_t vol_l, base_t vol_r) {
  binary_legs l;
  l.volume[0] = vol_l;
  l.volume[1] = vol_r;
  REQUIRE(binary_of(p).pair(l, true, rank) == nullptr);
  return l;
}

}  // namespace

TEST_CASE("rate_by_rank and cap_by_rank: the highest listed rank at or below the paid-as rank, else the plain key",
          "[binary][by_rank]") {
  // netready-style 2 / 4 / 6 % of the weak leg; cap 10.00, Gold 80.00.
  const plan p = binary_plan(R"("rate": "2%", "rate_by_rank": {"Gold": "6%", "Silver": "4%"},
                                "cap": "10.00", "cap_by_rank": {"Gold": "80.00"})",
                             three_ranks);
  const rank_index bronze = 0, silver = 1, gold = 2;
  // Weak leg 1000 points.
  CHECK(paired_as(p, no_rank, pts(1000), pts(1500)).pay == money(10));  // 2% = 20.00, capped at 10.00
  CHECK(paired_as(p, no_rank, pts(1000), pts(1500)).capped == money(10));
  CHECK(paired_as(p, bronze, pts(400), pts(1500)).pay == money(8));      // below Silver: 2% of 400
  CHECK(paired_as(p, silver, pts(200), pts(1500)).pay == money(8));      // 4% of 200
  CHECK(paired_as(p, gold, pts(1000), pts(1500)).pay == money(60));      // 6% of 1000, under 80.00
  const binary_legs capped = paired_as(p, gold, pts(1500), pts(1500));   // 90.00 → 80.00
  CHECK(capped.pay == money(80));
  CHECK(capped.matched[0] == pts(1500));  // consumed in full
}

TEST_CASE("pay_by_rank per cycle, cap_by_rank without a plain cap leaves lower ranks uncapped", "[binary][by_rank]") {
  // HB Naturals-style $8 / $16 / $24 per cycle of 100 : 100.
  const plan p = binary_plan(R"("cycle": {"left": "100", "right": "100", "pay": "8.00"},
                                "pay_by_rank": {"Silver": "16.00", "Gold": "24.00"},
                                "cap_by_rank": {"Silver": "40.00"})",
                             three_ranks);
  CHECK(paired_as(p, no_rank, pts(1000), pts(1000)).pay == money(80));  // 10 × 8.00, uncapped
  CHECK(paired_as(p, 0, pts(1000), pts(1000)).pay == money(80));        // Bronze: below every listed rank
  CHECK(paired_as(p, 1, pts(200), pts(300)).pay == money(32));          // 2 × 16.00
  CHECK(paired_as(p, 1, pts(1000), pts(1000)).pay == money(40));        // 160.00 capped at Silver's 40.00
  CHECK(paired_as(p, 2, pts(1000), pts(1000)).pay == money(40));        // Gold: 240.00, Silver's cap applies
}

TEST_CASE("by-rank tables explain which value applied, and why, in lines.csv detail", "[binary][by_rank]") {
  const auto dir = std::filesystem::path(DOWNLINE_TEST_DATA) / "golden" / "43_binary_rate_pay_cap_by_rank";
  const network net = network::from_csv(dir / "network.csv");
  run_options options;
  options.explain = true;
  const result r = run(plan::from_file(dir / "plan.json"), net, ledger::from_csv(dir / "sales.csv", net), options);
  std::map<std::string, std::string> detail;  // "member bonus" → detail
  for (const explanation& e : r.lines)
    detail[std::string(net.id(e.earner)) + " " + r.bonus_names[e.bonus]] = r.details[e.detail];
  CHECK_THAT(detail["R weak_leg"], Catch::EndsWith(" rate=6% (rate_by_rank Gold, paid-as rank Gold)"
                                                   " cap=80.00 (cap_by_rank Gold, paid-as rank Gold)"));
  CHECK_THAT(detail["A weak_leg"], Catch::EndsWith(" rate=4% (rate_by_rank Silver, paid-as rank Silver)"
                                                   " cap=10.00 (cap: paid-as rank Silver is below cap_by_rank)"));
  CHECK_THAT(detail["B weak_leg"], Catch::EndsWith(" rate=2% (rate: paid-as rank none is below rate_by_rank)"
                                                   " cap=10.00 (cap: paid-as rank none is below cap_by_rank)"));
  CHECK_THAT(detail["R cycles"], Catch::EndsWith(" pay=24.00 (pay_by_rank Gold, paid-as rank Gold)"
                                                 " cap=300.00 (cap_by_rank Gold, paid-as rank Gold)"));
  CHECK_THAT(detail["B cycles"], Catch::EndsWith(" pay=8.00 (cycle.pay: paid-as rank none is below pay_by_rank)"
                                                 " cap=none (cap: paid-as rank none is below cap_by_rank)"));
  CHECK_THAT(detail["B cycles"], Catch::Contains("cycles=4 capped=0 "));
}

TEST_CASE("rate, pay and cap by rank equal a scan of the tables, on random tables and legs",
          "[binary][by_rank][invariant]") {
  dice d(2718);
  const char* const names[] = {"Bronze", "Silver", "Gold"};
  using table = std::vector<std::pair<rank_index, std::int64_t>>;  // listed rank → value
  // A random table of whole numbers (as JSON text via `text`); empty when no rank was drawn.
  auto random_table = [&](table& t, const char* key, std::int64_t below, const char* suffix) {
    std::string json;
    for (rank_index r = 0; r < 3; ++r) {
      if (!d.chance(50)) continue;
      t.emplace_back(r, d.below(static_cast<std::uint32_t>(below)));
      json += fmt::format(R"({}"{}": "{}{}")", json.empty() ? "" : ", ", names[r], t.back().second, suffix);
    }
    return json.empty() ? std::string() : fmt::format(R"(, "{}": {{{}}})", key, json);
  };
  // SPEC §5.2: the entry of the highest listed rank at or below the rank, else the plain value.
  auto scan = [](const table& t, rank_index rank, std::int64_t plain) {
    for (auto it = t.rbegin(); it != t.rend(); ++it)
      if (it->first <= rank) return it->second;
    return plain;
  };
  int by_rank_differs = 0;
  for (int round = 0; round < 400; ++round) {
    const bool cycles = d.chance(50);
    const bool plain_cap = d.chance(50);
    table values, caps;
    std::string keys = cycles ? R"("cycle": {"left": "100", "right": "100", "pay": "3"})" : R"("rate": "5%")";
    keys += cycles ? random_table(values, "pay_by_rank", 50, "") : random_table(values, "rate_by_rank", 20, "%");
    if (plain_cap) keys += R"(, "cap": "40")";
    keys += random_table(caps, "cap_by_rank", 500, "");
    INFO("round " << round << ": " << keys);
    const plan p = binary_plan(keys, three_ranks);
    for (rank_index rank = no_rank; rank < 3; ++rank) {
      const base_t l = pts(d.below(2000)), r = pts(d.below(2000));
      exact_t pay = 0;
      if (cycles) {
        pay = money(scan(values, rank, 3)) * std::min(l / pts(100), r / pts(100));
      } else {
        pay = static_cast<exact_t>(scan(values, rank, 5)) * 10'000 * std::min(l, r);
      }
      const std::int64_t cap = scan(caps, rank, plain_cap ? 40 : -1);
      if (cap >= 0) pay = std::min(pay, money(cap));
      CHECK(paired_as(p, rank, l, r).pay == pay);
      by_rank_differs += scan(values, rank, -1) >= 0 || scan(caps, rank, -1) >= 0;
    }
  }
  CHECK(by_rank_differs > 500);  // the tables were used, not only the plain keys
}

TEST_CASE("by-rank table errors name the JSON path", "[binary][by_rank][plan]") {
  auto fails = [](const std::string& keys, const std::string& path, const std::string& value) {
    INFO(keys);
    const std::string m = error_of<plan_error>([&] { binary_plan(keys, three_ranks); });
    CHECK_THAT(m, Catch::Contains(path + ":") && Catch::Contains("'" + value + "'"));
  };
  // A table for the other pairing.
  fails(R"("cycle": {"left": "1", "right": "1", "pay": "1"}, "rate_by_rank": {"Gold": "5%"})", "bonuses[0].rate_by_rank",
        "rate_by_rank");
  fails(R"("rate": "10%", "pay_by_rank": {"Gold": "5.00"})", "bonuses[0].pay_by_rank", "pay_by_rank");
  // A rank the plan does not define; a bad value; an empty table.
  fails(R"("rate": "10%", "rate_by_rank": {"Platinum": "12%"})", "bonuses[0].rate_by_rank.Platinum", "Platinum");
  fails(R"("rate": "10%", "rate_by_rank": {"Gold": "120%"})", "bonuses[0].rate_by_rank.Gold", "120%");
  fails(R"("rate": "10%", "cap_by_rank": {"Gold": "1.005"})", "bonuses[0].cap_by_rank.Gold", "1.005");
  fails(R"("rate": "10%", "cap_by_rank": {"Gold": "-5"})", "bonuses[0].cap_by_rank.Gold", "-5");
  fails(R"("rate": "10%", "cap_by_rank": {})", "bonuses[0].cap_by_rank", "{}");
}

namespace {

// A small binary tree (bfs): A on top; B, C its legs; D, E below B; F below C.
//          A
//        /   \
//       B     C
//      / \   /
//     D   E F
const std::vector<row> small_tree{{"A", ""}, {"B", "A"}, {"C", "A"}, {"D", "B"}, {"E", "B"}, {"F", "C"}};

}  // namespace

TEST_CASE("leg volume comes from the placement subtree, own sales excluded, refunds included", "[binary]") {
  const network net = make_network(small_tree);
  const ledger sales = make_ledger(net, {{"A", "1000", "1000"},   // A's own: in no leg of A
                                         {"B", "100", "100"},
                                         {"D", "300", "300"},
                                         {"E", "200", "200"},
                                         {"E", "-50", "-50"},    // a refund in B's right leg
                                         {"C", "250", "250"},
                                         {"F", "-400", "-400"}}); // C's left leg goes negative
  const plan p = binary_plan(R"("rate": "10%")");
  run_options o;
  o.explain = true;
  const result r = run(p, net, sales, o);
  // A: L = B+D+E = 100+300+150 = 550, R = C+F = -150 → nothing pairs.
  // B: L = 300, R = 150 → 15.00.  C: L = -400, R = 0 → nothing.
  CHECK(payouts_csv(r, 2) == "member_id,bonus,amount\nB,team,15.00\n");
  CHECK(state_csv(r.state()) ==
        "member_id,key,value\n,period,\n"
        "A,carry_left:team,550\nA,carry_right:team,-150\n"
        "B,carry_left:team,150\n"
        "C,carry_left:team,-400\n");
  REQUIRE(r.lines.size() == 1);
  CHECK(r.lines[0].base == pts(150));
  CHECK(r.lines[0].rate == 100'000);
  CHECK(r.details[r.lines[0].detail] ==
        "carry_in_L=0 carry_in_R=0 volume_L=300 volume_R=150 matched_L=150 matched_R=150 carry_out_L=150 "
        "carry_out_R=0 flushed_L=0 flushed_R=0 capped=0");
  const auto& figures = r.totals.bonuses[0].figures;
  REQUIRE(figures.size() == 5);
  CHECK(figures[1] == std::pair<std::string, std::string>("volume_matched", "300"));
  CHECK(figures[2] == std::pair<std::string, std::string>("volume_carried", "150"));  // 550-150+150-400
}

TEST_CASE("require_sponsored counts active recruits in each placement leg", "[binary]") {
  // A sponsors B (left) and C (right); D, sponsored by B, sits below B.
  const network net = make_network({{"A", ""}, {"B", "A"}, {"C", "A"}, {"D", "B"}});
  const std::string keys = R"("rate": "10%", "require_sponsored": 1)";
  const plan p = binary_plan(keys, R"("ranks": [], )");
  const plan active50 = plan::from_json(R"({"name": "t", "qualification": {"active_pv": "50"}, "bonuses": [
      {"name": "team", "type": "binary", "base": "volume", )" + keys + "}]}");
  const ledger sales = make_ledger(net, {{"A", "60", "60"}, {"B", "100", "100"}, {"C", "40", "40"}, {"D", "10", "10"}});
  // active_pv 0: everyone is active; A has B left and C right: qualified. B has D only on the left.
  CHECK(payouts_csv(run(p, net, sales), 2) == "member_id,bonus,amount\nA,team,4.00\n");
  // active_pv 50: C (40) is not active, so A lacks an active recruit on the right.
  const result r = run(active50, net, sales);
  CHECK(r.payouts.empty());
  CHECK(state_csv(r.state()) ==
        "member_id,key,value\n,period,\nA,carry_left:team,110\nA,carry_right:team,40\nB,carry_left:team,10\n");
}

TEST_CASE("two periods with carry through the C++ API equal the published examples", "[binary][state]") {
  // The cases of tests/data/periods (also run through the CLI by tests/cli/test_state.py).
  auto period_of = [](const std::filesystem::path& args) {
    std::istringstream in(slurp(args));
    std::string flag, value;
    in >> flag >> value;
    REQUIRE(flag == "--period");
    auto p = parse_period(value);
    REQUIRE(p);
    return p;
  };
  int cases = 0;
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(DOWNLINE_TEST_DATA) / "periods")) {
    const std::filesystem::path dir = entry.path();
    INFO("case " << dir.filename().string());
    ++cases;
    const plan rules = plan::from_file(dir / "plan.json");
    const network net = network::from_csv(dir / "network.csv");
    const ledger sales = ledger::from_csv(dir / "sales.csv", net);
    run_options o;
    o.period = period_of(dir / "args_1");
    const result first = run(rules, net, sales, o);
    CHECK(payouts_csv(first, rules.money_decimals) == slurp(dir / "expected_payouts_1.csv"));
    CHECK(state_csv(first.state()) == slurp(dir / "expected_state_1.csv"));
    // Carry in from the published state of period 1, read from its CSV.
    const member_state published = read_state(dir / "expected_state_1.csv", rules, net);
    o.period = period_of(dir / "args_2");
    o.state_in = &published;
    const result second = run(rules, net, sales, o);
    CHECK(payouts_csv(second, rules.money_decimals) == slurp(dir / "expected_payouts_2.csv"));
    CHECK(state_csv(second.state()) == slurp(dir / "expected_state_2.csv"));
    // The in-memory state of period 1 works the same as its file.
    const member_state first_state = read_state(first.state(), rules, net);
    o.state_in = &first_state;
    CHECK(state_csv(run(rules, net, sales, o).state()) == state_csv(second.state()));
    // Re-running period 1 is idempotent.
    o.period = period_of(dir / "args_1");
    o.state_in = nullptr;
    const result again = run(rules, net, sales, o);
    CHECK(state_csv(again.state()) == state_csv(first.state()));
    CHECK(payouts_csv(again, rules.money_decimals) == payouts_csv(first, rules.money_decimals));
  }
  CHECK(cases >= 2);
}

TEST_CASE("a state naming an unknown member or bonus, a non-binary bonus or a pair twice is refused", "[binary][state]") {
  const network net = make_network(small_tree);
  const ledger sales = make_ledger(net, {{"D", "10", "10"}});
  const plan p = plan::from_json(R"({"name": "t", "bonuses": [
      {"name": "level", "type": "unilevel", "rates": ["10%"]},
      {"name": "team", "type": "binary", "base": "volume", "rate": "10%"}]})");
  auto refused = [&](std::vector<state_row> rows, const std::string& where, const std::string& value) {
    const state_text text{"", std::move(rows)};
    CHECK_THAT(error_of<input_error>([&] { read_state(text, p, net); }),
               Catch::StartsWith(where + ": ") && Catch::EndsWith("'" + value + "'"));
  };
  refused({{"A", "carry_left:team", "1"}, {"Z", "carry_left:team", "1"}}, "state row 1", "Z");
  refused({{"A", "carry_left:nope", "1"}}, "state row 0", "carry_left:nope");
  refused({{"A", "carry_right:level", "1"}}, "state row 0", "carry_right:level");
  refused({{"A", "carry_left:team", "1"}, {"A", "carry_left:team", "2"}}, "state row 1", "A");
  refused({{"A", "carry_left:team", "1.23456"}}, "state row 0", "1.23456");
  const member_state good = read_state(state_text{"", {{"B", "carry_left:team", "5"}, {"B", "carry_right:team", "-2"}}}, p, net);
  run_options o;
  o.state_in = &good;
  // B: left 5 + D's 10 = 15, right -2 → nothing pairs; the carry goes on.
  CHECK(state_csv(run(p, net, sales, o).state()) ==
        "member_id,key,value\n,period,\nA,carry_left:team,10\nB,carry_left:team,15\nB,carry_right:team,-2\n");
}

namespace {

struct naive_options {
  std::string keys;
  rate_t rate = 0;                 // rate pairing when cycle_l == 0
  base_t cycle_l = 0, cycle_r = 0;
  exact_t cycle_pay = 0, cap = -1;
  base_t max_carry = -1;
  bool flush = false;
  std::uint32_t sponsored = 0;
  volume_t active_pv = 0;
};

}  // namespace

TEST_CASE("engine results match a naive model on random networks (payouts, carry, invariant)", "[binary][invariant]") {
  dice d(4242);
  const std::vector<naive_options> variants{
      {R"("rate": "10%")", 100'000},
      {R"("rate": "12.5%", "cap": "40", "max_carry": "250", "placement": "outer_left")", 125'000, 0, 0, 0, money(40),
       pts(250)},
      {R"("cycle": {"left": "30", "right": "60", "pay": "7.25"}, "flush_inactive": true, "require_sponsored": 1,
          "placement": "outer_right")",
       0, pts(30), pts(60), money(725) / 100, -1, -1, true, 1, 10'000 * 20},
      {R"("cycle": {"left": "50", "right": "50", "pay": "5"}, "cap": "12", "max_carry": "75")", 0, pts(50), pts(50),
       money(5), money(12), pts(75), false, 0, 10'000 * 15}};
  int paid_members = 0;
  for (int round = 0; round < 60; ++round) {
    const naive_options& v = variants[static_cast<std::size_t>(round) % variants.size()];
    const placement_rule rule = v.keys.find("outer_left") != std::string::npos    ? placement_rule::outer_left
                                : v.keys.find("outer_right") != std::string::npos ? placement_rule::outer_right
                                                                                  : placement_rule::bfs;
    const std::uint32_t n = 1 + d.below(120);
    const auto rows = random_rows(d, n, 2, true, 20);
    const network net = make_network(rows);
    std::vector<sale> sale_rows;
    for (std::uint32_t i = 0, lines = d.below(3 * n + 1); i < lines; ++i) {
      const int points = static_cast<int>(d.below(60)) - (d.chance(15) ? 70 : 0);
      sale_rows.push_back({"m" + std::to_string(d.below(n)), std::to_string(points), std::to_string(points)});
    }
    const ledger sales = make_ledger(net, sale_rows);
    std::vector<carry_entry> carried_in;
    for (std::uint32_t i = 0; i < n; ++i)
      if (d.chance(30))
        carried_in.push_back({"m" + std::to_string(i), "team", (static_cast<volume_t>(d.below(100)) - 20) * 10'000,
                              static_cast<volume_t>(d.below(100)) * 10'000});
    const plan p = plan::from_json(fmt::format(
        R"({{"name": "t", "qualification": {{"active_pv": "{}"}}, "bonuses": [
            {{"name": "team", "type": "binary", "base": "volume", {}}}]}})",
        format_trimmed(v.active_pv, volume_decimals), v.keys));
    const member_state state_in = carry_state(carried_in, p, net);
    run_options o;
    o.explain = true;
    o.state_in = &state_in;
    const result r = run(p, net, sales, o);

    // The naive model: placement from the reference, legs by walking up from each buyer.
    const auto spots = reference_placement(rows, 2, true, rule);
    std::map<std::string, int> row_of;
    for (std::size_t i = 0; i < rows.size(); ++i) row_of[rows[i].id] = static_cast<int>(i);
    std::vector<std::array<base_t, 2>> leg(n, {0, 0}), carry(n, {0, 0});
    std::vector<volume_t> pv(n, 0);
    for (const sale& s : sale_rows) {
      const int b = row_of[s.id];
      const base_t v = pts(std::stoi(s.volume));
      pv[b] += std::stoi(s.volume) * 10'000;
      for (int c = b; !spots[c].parent.empty(); c = row_of[spots[c].parent]) leg[row_of[spots[c].parent]][spots[c].slot] += v;
    }
    for (const carry_entry& e : carried_in) carry[row_of[e.member_id]] = {e.left * 100, e.right * 100};
    std::vector<std::array<std::uint32_t, 2>> recruits(n, {0, 0});
    for (std::uint32_t c = 0; c < n; ++c) {
      if (rows[c].sponsor.empty() || pv[c] < v.active_pv) continue;
      const int s = row_of[rows[c].sponsor];
      for (int x = static_cast<int>(c); !spots[x].parent.empty(); x = row_of[spots[x].parent])
        if (row_of[spots[x].parent] == s) ++recruits[s][spots[x].slot];
    }
    std::map<std::string, std::pair<volume_t, volume_t>> expected_state;
    std::map<std::string, minor_t> expected_pay;
    for (std::uint32_t m = 0; m < n; ++m) {
      const base_t L = carry[m][0] + leg[m][0], R = carry[m][1] + leg[m][1];
      const bool ok = pv[m] >= v.active_pv && recruits[m][0] >= v.sponsored && recruits[m][1] >= v.sponsored;
      base_t ml = 0, mr = 0;
      exact_t pay = 0;
      if (ok && L > 0 && R > 0) {
        if (v.cycle_l == 0) {
          ml = mr = std::min(L, R);
          pay = static_cast<exact_t>(v.rate) * ml;
        } else {
          const base_t cycles = std::min(L / v.cycle_l, R / v.cycle_r);
          ml = cycles * v.cycle_l;
          mr = cycles * v.cycle_r;
          pay = v.cycle_pay * cycles;
        }
        if (v.cap >= 0) pay = std::min(pay, v.cap);
      }
      base_t cl = L - ml, cr = R - mr;
      if (!ok && v.flush) cl = cr = 0;
      if (v.max_carry >= 0) {
        cl = std::min(cl, v.max_carry);
        cr = std::min(cr, v.max_carry);
      }
      if (cl != 0 || cr != 0) expected_state[rows[m].id] = {cl / 100, cr / 100};
      if (pay != 0) expected_pay[rows[m].id] = round_to_minor(pay, 2, rounding_mode::half_even);
    }
    INFO("round " << round << ", " << n << " members, " << v.keys);
    std::map<std::string, std::pair<volume_t, volume_t>> got_state;
    for (const carry_entry& e : carries(r)) got_state[e.member_id] = {e.left, e.right};
    CHECK(got_state == expected_state);
    std::map<std::string, minor_t> got_pay;
    for (const payout_line& pl : r.payouts) got_pay[std::string(net.id(pl.member))] = pl.amount;
    CHECK(got_pay == expected_pay);
    paid_members += static_cast<int>(got_pay.size());
    // Every explanation's detail balances on both sides.
    for (const explanation& e : r.lines) {
      auto f = parse_detail(r.details.at(e.detail));
      for (const char* side : {"_L", "_R"}) {
        const std::string s = side;
        CHECK(f["carry_in" + s] + f["volume" + s] == f["matched" + s] + f["carry_out" + s] + f["flushed" + s]);
      }
    }
  }
  CHECK(paid_members > 100);  // the random cases do pay
}

TEST_CASE("payouts do not depend on sales order, nor on network order when placement is explicit", "[binary]") {
  dice d(31337);
  for (int round = 0; round < 20; ++round) {
    const std::uint32_t n = 2 + d.below(80);
    // Every member but the roots placed explicitly (under an earlier member, free position).
    auto rows = random_rows(d, n, 2, true, 100);
    std::map<std::string, int> at;
    for (std::size_t i = 0; i < rows.size(); ++i) at[rows[i].id] = static_cast<int>(i);
    const network net0 = make_network(rows);
    const placement_tree t0 = placement_tree::build(net0, {true, 2, placement_rule::bfs});
    for (auto& r : rows) {  // pin the automatic ones where they landed
      const member_index m = net0.find(r.id);
      if (t0.parent_member(m) != none && r.placement.empty()) {
        r.placement = std::string(net0.id(t0.parent_member(m)));
        r.position = t0.position(m) == position_left ? "L" : "R";
      }
    }
    std::vector<sale> sale_rows;
    for (std::uint32_t i = 0, lines = d.below(4 * n); i < lines; ++i) {
      const int points = static_cast<int>(d.below(90)) - 10;
      sale_rows.push_back({"m" + std::to_string(d.below(n)), std::to_string(points), std::to_string(points)});
    }
    const plan p = binary_plan(R"("cycle": {"left": "20", "right": "35", "pay": "3.33"}, "cap": "10")");
    auto outcome = [&](const std::vector<row>& rs, const std::vector<sale>& ss) {
      const network net = make_network(rs);
      const result r = run(p, net, make_ledger(net, ss));
      std::map<std::string, std::string> out;
      for (const payout_line& pl : r.payouts) out[std::string(net.id(pl.member))] = format_fixed(pl.amount, 2);
      for (const carry_entry& e : carries(r))
        out[e.member_id + "/carry"] = format_trimmed(e.left, 4) + "|" + format_trimmed(e.right, 4);
      return out;
    };
    const auto base = outcome(rows, sale_rows);
    auto shuffled_rows = rows;
    auto shuffled_sales = sale_rows;
    for (std::size_t i = shuffled_rows.size(); i > 1; --i) std::swap(shuffled_rows[i - 1], shuffled_rows[d.below(static_cast<std::uint32_t>(i))]);
    for (std::size_t i = shuffled_sales.size(); i > 1; --i) std::swap(shuffled_sales[i - 1], shuffled_sales[d.below(static_cast<std::uint32_t>(i))]);
    INFO("round " << round);
    CHECK(outcome(shuffled_rows, sale_rows) == base);
    CHECK(outcome(rows, shuffled_sales) == base);
  }
}

TEST_CASE("a million-wide star and a million-deep chain run through the binary bonus", "[binary][scale]") {
  constexpr std::uint32_t n = 1'000'000;
  const plan p = binary_plan(R"("rate": "10%")");
  SECTION("star: every member sponsored by the root, placed breadth-first") {
    std::vector<row> rows{{"s1", ""}};
    std::vector<sale> sales;
    for (std::uint32_t i = 2; i <= n; ++i) rows.push_back({"s" + std::to_string(i), "s1"});
    for (std::uint32_t i = 1; i <= n; ++i) sales.push_back({"s" + std::to_string(i), "1", "1"});
    const network net = make_network(rows);
    const result r = run(p, net, make_ledger(net, sales));
    // Heap numbering: the subtree of k holds the k' whose binary prefix is k.
    std::vector<std::int64_t> size(n + 2, 1);
    size[0] = 0;
    for (std::uint32_t k = n; k >= 2; --k) size[k / 2] += size[k];
    auto expect = [&](std::uint32_t k) {
      const std::int64_t l = 2 * k <= n ? size[2 * k] : 0, rr = 2 * k + 1 <= n ? size[2 * k + 1] : 0;
      return std::min(l, rr) * 10;  // 10% of min(L, R) points, in cents
    };
    std::map<std::string, minor_t> got;
    for (const payout_line& pl : r.payouts) got[std::string(net.id(pl.member))] = pl.amount;
    for (std::uint32_t k : {1u, 2u, 3u, 5u, 1000u, 262143u, 499999u}) {
      INFO("s" << k);
      CHECK(got["s" + std::to_string(k)] == expect(k));
    }
    // With explanations: one line per payout, and each line's detail is its own member's
    // (members pair on two threads; their details are joined with the right offsets).
    run_options o;
    o.explain = true;
    const result e = run(p, net, make_ledger(net, sales), o);
    REQUIRE(e.lines.size() == e.payouts.size());
    for (std::size_t i = 0; i < e.lines.size(); ++i) {
      const explanation& x = e.lines[i];
      REQUIRE(x.earner == e.payouts[i].member);
      const std::string points = std::to_string(x.base / 1'000'000);
      INFO(net.id(x.earner) << ": " << e.details[x.detail]);
      REQUIRE(e.details[x.detail].find(" matched_L=" + points + " matched_R=" + points + " ") != std::string::npos);
      const auto k = static_cast<std::uint32_t>(std::stoul(std::string(net.id(x.earner).substr(1))));
      const std::int64_t l = 2 * k <= n ? size[2 * k] : 0, rr = 2 * k + 1 <= n ? size[2 * k + 1] : 0;
      REQUIRE(e.details[x.detail].find(fmt::format(" volume_L={} volume_R={} ", l, rr)) != std::string::npos);
    }
  }
  SECTION("chain: each member sponsors the next, all on the left") {
    std::vector<row> rows;
    std::vector<sale> sales;
    for (std::uint32_t i = 0; i < n; ++i) {
      rows.push_back({"c" + std::to_string(i), i ? "c" + std::to_string(i - 1) : ""});
      sales.push_back({"c" + std::to_string(i), "1", "1"});
    }
    const network net = make_network(rows);
    const result r = run(p, net, make_ledger(net, sales));
    CHECK(r.payouts.empty());                   // nothing on any right leg
    const std::vector<carry_entry> state = carries(r);
    REQUIRE(state.size() == n - 1);   // everyone but the last carries its left leg
    CHECK(state[0].left == static_cast<volume_t>(n - 1) * 10'000);
    CHECK(state.back().left == 10'000);
  }
}

TEST_CASE("two binary bonuses in one plan keep their own placement, carry and explanation details", "[binary][state]") {
  // A sponsors B, C, D. bfs: B at A/L, C at A/R, D at B/L. outer_left: B, C, D down A's left line.
  const network net = make_network({{"A", ""}, {"B", "A"}, {"C", "A"}, {"D", "A"}});
  const ledger sales = make_ledger(net, {{"B", "100", "100"}, {"C", "60", "60"}, {"D", "30", "30"}});
  const plan p = plan::from_json(R"({"name": "t", "bonuses": [
      {"name": "wide", "type": "binary", "base": "volume", "rate": "10%"},
      {"name": "level", "type": "unilevel", "rates": ["1%"]},
      {"name": "deep", "type": "binary", "base": "volume", "rate": "20%", "placement": "outer_left"}]})");
  const member_state in = carry_state({{"A", "deep", 0, 10'000 * 40}}, p, net);
  run_options o;
  o.explain = true;
  o.state_in = &in;
  const result r = run(p, net, sales, o);
  // wide: A has L = 130, R = 60 → 6.00, carries 70; B has L = 30, R = 0.
  // deep: A has L = 190 and R = 40 carried in → 8.00, carries 150; B has L = 90, C has L = 30.
  CHECK(payouts_csv(r, 2) == "member_id,bonus,amount\nA,wide,6.00\nA,level,1.90\nA,deep,8.00\n");
  CHECK(state_csv(r.state()) ==
        "member_id,key,value\n,period,\nA,carry_left:wide,70\nA,carry_left:deep,150\nB,carry_left:wide,30\n"
        "B,carry_left:deep,90\nC,carry_left:deep,30\n");
  int binary_lines = 0;
  for (const explanation& e : r.lines) {
    if (r.bonus_names[e.bonus] == "level") {
      CHECK(e.detail == no_detail);
      continue;
    }
    ++binary_lines;
    auto f = parse_detail(r.details.at(e.detail));
    CHECK(f["matched_L"] == e.base);  // each line points at its own bonus's detail
    if (r.bonus_names[e.bonus] == "deep") CHECK(f["carry_in_R"] == pts(40));
    if (r.bonus_names[e.bonus] == "wide") CHECK(f["volume_L"] == pts(130));
  }
  CHECK(binary_lines == 2);
}

TEST_CASE("explanations of a network large enough to pair on two threads name each member's own legs", "[binary][scale]") {
  // Members pair in two halves on two threads; each half numbers its detail strings from 0,
  // and the halves are joined with an offset. A generated network pays members in both halves.
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / fmt::format("downline_test_binary_halves_{}", ::getpid());
  generate_options g;
  g.members = 300'000;
  g.placement = generated_placement::binary;
  generate(g, dir);
  const network net = network::from_csv(dir / "network.csv");
  const ledger sales = ledger::from_csv(dir / "sales.csv", net);
  std::filesystem::remove_all(dir);
  run_options o;
  o.explain = true;
  const result r = run(binary_plan(R"("rate": "10%")"), net, sales, o);
  bool first_half = false, second_half = false;
  for (const explanation& x : r.lines) {
    (x.earner < net.size() / 2 ? first_half : second_half) = true;
    std::string matched;
    append_trimmed(matched, x.base, base_decimals);
    INFO(net.id(x.earner) << ": " << r.details[x.detail]);
    REQUIRE(r.details[x.detail].find(" matched_L=" + matched + " matched_R=" + matched + " ") != std::string::npos);
  }
  CHECK(first_half);
  CHECK(second_half);
}
