// SPDX-License-Identifier: MIT
// ranks.hpp: active flags, GV and paid ranks, bottom-up (SPEC §4). Expectations by hand.
#include "downline/ranks.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "downline/decimal.hpp"

using namespace downline;

namespace {

/// A network from (id, sponsor) rows in the given order.
network make_network(const std::vector<std::pair<std::string, std::string>>& rows) {
  network_builder b("test", false);
  for (std::size_t i = 0; i < rows.size(); ++i) b.add(rows[i].first, rows[i].second, "", "", "", i);
  return std::move(b).build();
}

volume_t points(const std::string& text) {
  std::int64_t v = 0;
  REQUIRE(parse_decimal(text, volume_decimals, v) == parse_status::ok);
  return v;
}

/// PV per member index from decimal text per id (missing ids: 0).
std::vector<volume_t> pv_by_id(const network& net, const std::map<std::string, std::string>& pv) {
  std::vector<volume_t> out(net.size(), 0);
  for (auto& [id, text] : pv) {
    const member_index m = net.find(id);
    REQUIRE(m != none);
    out[m] = points(text);
  }
  return out;
}

plan plan_with_ranks(const std::string& active_pv, const std::string& ranks_json) {
  return plan::from_json(R"({"name":"r","qualification":{"active_pv":")" + active_pv + R"("},"ranks":)" + ranks_json +
                         R"(,"bonuses":[{"name":"b","type":"unilevel","rates":["1%"]}]})");
}

struct view {
  const plan& rules;
  const network& net;
  const qualification& q;
  std::string rank(const std::string& id) const { return std::string(rules.rank_name(q.rank[net.find(id)])); }
  volume_t gv(const std::string& id) const { return q.gv[net.find(id)]; }
  volume_t pv(const std::string& id) const { return q.pv[net.find(id)]; }
  bool active(const std::string& id) const { return q.active[net.find(id)] != 0; }
};
}  // namespace

TEST_CASE("ranks: pv, gv and active by hand", "[ranks]") {
  // R ─┬─ A ── C ── D
  //    └─ B
  // PV: R 10, A 60, B 50, C 0, D -5 (a refund). active_pv 50.
  // GV: D -5; C 0 + (-5) = -5; A 60 + (-5) = 55; B 50; R 10 + 55 + 50 = 115.
  // active: R no (10 < 50), A yes, B yes (50 ≥ 50), C no, D no.
  const network net = make_network({{"C", "A"}, {"R", ""}, {"A", "R"}, {"B", "R"}, {"D", "C"}});
  const plan rules = plan_with_ranks("50", "[]");
  const qualification q = qualify(rules, net, pv_by_id(net, {{"R", "10"}, {"A", "60"}, {"B", "50"}, {"D", "-5"}}));
  const view v{rules, net, q};
  CHECK(v.pv("R") == points("10"));
  CHECK(v.gv("D") == points("-5"));
  CHECK(v.gv("C") == points("-5"));
  CHECK(v.gv("A") == points("55"));
  CHECK(v.gv("B") == points("50"));
  CHECK(v.gv("R") == points("115"));
  CHECK_FALSE(v.active("R"));
  CHECK(v.active("A"));
  CHECK(v.active("B"));
  CHECK_FALSE(v.active("C"));
  CHECK_FALSE(v.active("D"));
  for (const char* id : {"R", "A", "B", "C", "D"}) CHECK(v.rank(id).empty());  // no ranks defined

  SECTION("active_pv 0: PV 0 is active, a negative PV is not") {
    const plan zero = plan_with_ranks("0", "[]");
    const qualification q0 = qualify(zero, net, pv_by_id(net, {{"D", "-0.0001"}}));
    const view v0{zero, net, q0};
    CHECK(v0.active("C"));
    CHECK(v0.active("R"));
    CHECK_FALSE(v0.active("D"));
    CHECK(v0.gv("R") == -1);
  }
}

TEST_CASE("ranks: a higher rank without the lower one", "[ranks]") {
  // Bronze: pv ≥ 100. Silver: gv ≥ 500 (no pv requirement). active_pv 0.
  // S (pv 0) sponsors X (pv 300) and Y (pv 250): GV(S) = 550 → Silver though S is not Bronze.
  // X: pv 300 ≥ 100 → Bronze; GV 300 < 500 → not Silver. Y likewise Bronze.
  // T (pv 120, no downline): Bronze; GV 120.
  const network net = make_network({{"S", ""}, {"X", "S"}, {"Y", "S"}, {"T", ""}});
  const plan rules = plan_with_ranks("0", R"([{"name":"Bronze","pv":"100"},{"name":"Silver","gv":"500"}])");
  const qualification q = qualify(rules, net, pv_by_id(net, {{"X", "300"}, {"Y", "250"}, {"T", "120"}}));
  const view v{rules, net, q};
  CHECK(v.rank("S") == "Silver");
  CHECK(v.rank("X") == "Bronze");
  CHECK(v.rank("Y") == "Bronze");
  CHECK(v.rank("T") == "Bronze");
  CHECK(v.gv("S") == points("550"));
}

TEST_CASE("ranks: the active requirement", "[ranks]") {
  // active_pv 20. Passive: pv ≥ 10, active not required. Starter: pv ≥ 10, active required (default).
  // P (pv 15): inactive → Starter fails, Passive holds. Q (pv 25): active → Starter (highest).
  // Z (pv 5): neither.
  const network net = make_network({{"P", ""}, {"Q", ""}, {"Z", ""}});
  const plan rules =
      plan_with_ranks("20", R"([{"name":"Passive","pv":"10","active":false},{"name":"Starter","pv":"10"}])");
  const qualification q = qualify(rules, net, pv_by_id(net, {{"P", "15"}, {"Q", "25"}, {"Z", "5"}}));
  const view v{rules, net, q};
  CHECK(v.rank("P") == "Passive");
  CHECK(v.rank("Q") == "Starter");
  CHECK(v.rank("Z").empty());
  CHECK(q.rank[net.find("Z")] == no_rank);
}

TEST_CASE("ranks: gv with max_leg_share", "[ranks]") {
  // Manager: gv ≥ 100 with max_leg_share 50% (each leg counts at most 50), active not required.
  // M1: pv 10, legs 80 and 30 → 10 + 50 + 30 = 90 < 100: no (plain GV 120 would qualify).
  // M2: pv 20, legs 80 and 30 → 20 + 50 + 30 = 100: Manager (the boundary).
  // M3: pv 0, one leg Z of 1000 → 50: no. Z itself: pv 1000, no legs → 1000: Manager.
  // M4: pv 0, legs 60 and 60 → 50 + 50 = 100: Manager.
  // M5: pv 60, legs 80 and -10 → 60 + 50 - 10 = 100: Manager (a negative leg counts as it is).
  // M6: pv 0, one leg P (pv 30) ─ Q (pv 40): the leg's GV is 70 → 50: no.
  const network net = make_network({{"M1", ""}, {"a1", "M1"}, {"b1", "M1"}, {"M2", ""}, {"a2", "M2"}, {"b2", "M2"},
                                    {"M3", ""}, {"Z", "M3"}, {"M4", ""}, {"a4", "M4"}, {"b4", "M4"},
                                    {"M5", ""}, {"a5", "M5"}, {"b5", "M5"}, {"M6", ""}, {"P", "M6"}, {"Q", "P"}});
  const plan rules =
      plan_with_ranks("0", R"([{"name":"Manager","gv":"100","max_leg_share":"50%","active":false}])");
  const qualification q = qualify(rules, net,
                                  pv_by_id(net, {{"M1", "10"}, {"a1", "80"}, {"b1", "30"},
                                                 {"M2", "20"}, {"a2", "80"}, {"b2", "30"},
                                                 {"Z", "1000"},
                                                 {"a4", "60"}, {"b4", "60"},
                                                 {"M5", "60"}, {"a5", "80"}, {"b5", "-10"},
                                                 {"P", "30"}, {"Q", "40"}}));
  const view v{rules, net, q};
  CHECK(v.gv("M1") == points("120"));
  CHECK(v.rank("M1").empty());
  CHECK(v.rank("M2") == "Manager");
  CHECK(v.rank("M3").empty());
  CHECK(v.rank("Z") == "Manager");
  CHECK(v.rank("M4") == "Manager");
  CHECK(v.rank("M5") == "Manager");
  CHECK(v.gv("M6") == points("70"));
  CHECK(v.rank("M6").empty());
  CHECK(v.rank("a1").empty());

  SECTION("a share with decimals: 33.3333% of 300 = 99.9999 per leg") {
    // Manager: gv ≥ 300, max_leg_share 33.3333%. N: pv 0.0003, three legs of 200 → 3 × 99.9999 + 0.0003 = 300.
    // N2: pv 0.0002, same legs → 299.9999: no.
    const network n2 = make_network({{"N", ""}, {"x", "N"}, {"y", "N"}, {"z", "N"},
                                     {"N2", ""}, {"x2", "N2"}, {"y2", "N2"}, {"z2", "N2"}});
    const plan share =
        plan_with_ranks("0", R"([{"name":"Manager","gv":"300","max_leg_share":"33.3333%","active":false}])");
    const qualification qs = qualify(share, n2,
                                     pv_by_id(n2, {{"N", "0.0003"}, {"x", "200"}, {"y", "200"}, {"z", "200"},
                                                   {"N2", "0.0002"}, {"x2", "200"}, {"y2", "200"}, {"z2", "200"}}));
    const view vs{share, n2, qs};
    CHECK(vs.rank("N") == "Manager");
    CHECK(vs.rank("N2").empty());
  }
}

TEST_CASE("ranks: legs requirements", "[ranks]") {
  // Manager: pv ≥ 100. Director: 2 legs each holding a Manager (or higher) anywhere in the leg.
  // active_pv 0, so everyone with PV ≥ 0 is active.
  //
  // D3 ─┬─ D ─┬─ L1 ── X1 ── X2 (100)        D: L1 holds X2 (deep), L2 holds Y1/Y2 → 2 legs: Director
  //     │     ├─ L2 ─┬─ Y1 (100)
  //     │     │      └─ Y2 (100)
  //     │     └─ L3
  //     └─ W (100)                            D3: leg D holds a Director (≥ Manager), leg W is a Manager: Director
  // E ─┬─ K1 ─┬─ Ma (100)                     E: two Managers but both in leg K1 → 1 leg: no rank
  //    │      └─ Mb (100)
  //    └─ K2
  // F (100) ── G (100)                        F: Manager (pv), only one leg → not Director
  const network net = make_network({{"D3", ""}, {"D", "D3"}, {"L1", "D"}, {"X1", "L1"}, {"X2", "X1"}, {"L2", "D"},
                                    {"Y1", "L2"}, {"Y2", "L2"}, {"L3", "D"}, {"W", "D3"},
                                    {"E", ""}, {"K1", "E"}, {"Ma", "K1"}, {"Mb", "K1"}, {"K2", "E"},
                                    {"F", ""}, {"G", "F"}});
  const plan rules = plan_with_ranks(
      "0", R"([{"name":"Manager","pv":"100"},{"name":"Director","legs":[{"count":2,"rank":"Manager"}]}])");
  const qualification q = qualify(rules, net,
                                  pv_by_id(net, {{"X2", "100"}, {"Y1", "100"}, {"Y2", "100"}, {"W", "100"},
                                                 {"Ma", "100"}, {"Mb", "100"}, {"F", "100"}, {"G", "100"}}));
  const view v{rules, net, q};
  CHECK(v.rank("D") == "Director");
  CHECK(v.rank("D3") == "Director");
  CHECK(v.rank("X2") == "Manager");
  CHECK(v.rank("L1").empty());
  CHECK(v.rank("L2") == "Director");  // its own two legs Y1, Y2 are Managers
  CHECK(v.rank("L3").empty());
  CHECK(v.rank("W") == "Manager");
  CHECK(v.rank("K1") == "Director");  // legs Ma and Mb
  CHECK(v.rank("E").empty());         // every Manager below E is in the one leg K1
  CHECK(v.rank("F") == "Manager");
  CHECK(v.rank("G") == "Manager");
}

TEST_CASE("ranks: the highest rank whose requirements all hold", "[ranks]") {
  // A: pv ≥ 10. B: pv ≥ 20 and gv ≥ 100. C: pv ≥ 30 and gv ≥ 1000. active_pv 0.
  // u (pv 35, GV 35 + 70 = 105): C fails gv, B holds → B. k (pv 70): B fails gv (70) → A... and C fails → A.
  // w (pv 15, GV 15 + 2000 = 2015): C fails pv, B fails pv → A. big (pv 2000): C.
  const network net = make_network({{"u", ""}, {"k", "u"}, {"w", ""}, {"big", "w"}});
  const plan rules = plan_with_ranks(
      "0", R"([{"name":"A","pv":"10"},{"name":"B","pv":"20","gv":"100"},{"name":"C","pv":"30","gv":"1000"}])");
  const qualification q =
      qualify(rules, net, pv_by_id(net, {{"u", "35"}, {"k", "70"}, {"w", "15"}, {"big", "2000"}}));
  const view v{rules, net, q};
  CHECK(v.rank("u") == "B");
  CHECK(v.rank("k") == "A");
  CHECK(v.rank("w") == "A");
  CHECK(v.rank("big") == "C");
  CHECK(q.rank[net.find("big")] == 2);
}
