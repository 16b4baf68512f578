// SPDX-License-Identifier: MIT
// plan.hpp / config.hpp: the plan file, validated with JSON paths in every message (SPEC §3).
#include "downline/plan.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "downline/bonuses/unilevel.hpp"
#include "downline/config.hpp"
#include "downline/detail/levels.hpp"
#include "downline/error.hpp"

using namespace downline;
namespace fs = std::filesystem;

namespace {

const char* full_plan = R"({
  "name": "Example",
  "currency": "EUR",
  "money_decimals": 3,
  "rounding": "half_up",
  "qualification": { "active_pv": "50.5" },
  "ranks": [
    { "name": "Associate", "pv": "50" },
    { "name": "Manager", "pv": 100, "gv": "2000", "max_leg_share": "50%", "active": false },
    { "name": "Director", "pv": "100.25", "gv": "10000",
      "legs": [ { "count": 2, "rank": "Manager" }, { "count": 1, "rank": "Director" } ] }
  ],
  "bonuses": [
    { "name": "level", "type": "unilevel", "base": "amount",
      "rates": ["10%", "5%", 12.5, 0.1, 33.3333, 100, "0%", "0.0001%", 0.29, 4.35, 0],
      "compression": "dynamic", "min_rank": "Associate", "require_active": false, "paid_on": "active",
      "levels_by_rank": { "Manager": 5, "Associate": 2 } },
    { "name": "vol", "type": "unilevel", "base": "volume", "rates": ["1%"] }
  ],
  "payout_cap": "45%"
})";

/// The plan_error message for `json` (source "p").
std::string plan_error_of(const std::string& json) {
  try {
    plan::from_json(json, "p");
  } catch (const plan_error& e) {
    CHECK(e.code() == errc::plan);
    return e.what();
  } catch (const std::exception& e) {
    FAIL("unexpected exception: " << e.what());
  }
  FAIL("expected a plan_error for " << json);
  return {};
}

/// A plan around one bonus object and optional extra top-level members.
std::string with_bonus(const std::string& bonus, const std::string& extra = "") {
  return R"({"name":"t",)" + extra + R"("ranks":[{"name":"Associate","pv":"50"},{"name":"Manager","pv":"100"}],)" +
         R"("bonuses":[)" + bonus + "]}";
}

/// A unilevel bonus with `extra` members added.
std::string unilevel(const std::string& extra) {
  return R"({"name":"lvl","type":"unilevel","rates":["10%"])" + (extra.empty() ? "" : "," + extra) + "}";
}

/// as_rate of a JSON value given as text.
rate_t rate_of(const std::string& json_text) {
  const std::string source = "r";
  json_value v = parse_plan_json(json_text, source);
  return config_node(v, "x", source).as_rate();
}

std::string rate_error(const std::string& json_text) {
  const std::string source = "r";
  json_value v = parse_plan_json(json_text, source);
  try {
    config_node(v, "x", source).as_rate();
  } catch (const plan_error& e) {
    return e.what();
  }
  FAIL("expected a plan_error for rate " << json_text);
  return {};
}
}  // namespace

TEST_CASE("plan: a full plan parses to the right fields", "[plan]") {
  const plan p = plan::from_json(full_plan, "plan.json");
  CHECK(p.name == "Example");
  CHECK(p.currency == "EUR");
  CHECK(p.money_decimals == 3);
  CHECK(p.rounding == rounding_mode::half_up);
  CHECK(p.active_pv == 505'000);
  REQUIRE(p.ranks.size() == 3);
  CHECK(p.ranks[0].name == "Associate");
  CHECK(p.ranks[0].pv == volume_t{500'000});
  CHECK_FALSE(p.ranks[0].gv.has_value());
  CHECK_FALSE(p.ranks[0].max_leg_share.has_value());
  CHECK(p.ranks[0].legs.empty());
  CHECK(p.ranks[0].active);
  CHECK(p.ranks[1].pv == volume_t{1'000'000});  // JSON integer 100
  CHECK(p.ranks[1].gv == volume_t{20'000'000});
  CHECK(p.ranks[1].max_leg_share == rate_t{500'000});
  CHECK_FALSE(p.ranks[1].active);
  CHECK(p.ranks[2].pv == volume_t{1'002'500});
  CHECK(p.ranks[2].gv == volume_t{100'000'000});
  REQUIRE(p.ranks[2].legs.size() == 2);
  CHECK(p.ranks[2].legs[0].count == 2);
  CHECK(p.ranks[2].legs[0].rank == 1);
  CHECK(p.ranks[2].legs[1].count == 1);
  CHECK(p.ranks[2].legs[1].rank == 2);  // a rank may require legs of its own rank
  CHECK(p.find_rank("Manager") == 1);
  CHECK(p.find_rank("Nobody") == no_rank);
  CHECK(p.rank_name(2) == "Director");
  CHECK(p.rank_name(no_rank).empty());
  REQUIRE(p.bonuses.size() == 2);
  CHECK(p.bonuses[0]->name() == "level");
  CHECK(p.bonuses[0]->type() == "unilevel");
  CHECK(p.bonuses[0]->min_rank() == 0);
  CHECK_FALSE(p.bonuses[0]->require_active());
  CHECK(p.bonuses[1]->name() == "vol");
  CHECK(p.bonuses[1]->min_rank() == no_rank);
  CHECK(p.bonuses[1]->require_active());
  CHECK(p.find_bonus("vol") == 1);
  CHECK(p.find_bonus("level") == 0);
  CHECK(p.find_bonus("nope") == -1);
  CHECK(p.payout_cap == rate_t{450'000});
  CHECK(p.breakaway_rank == no_rank);
}

TEST_CASE("plan: level options and rates as exact millionths", "[plan]") {
  const plan p = plan::from_json(full_plan, "plan.json");
  const std::string source = "plan.json";
  json_value json = parse_plan_json(full_plan, source);
  config_node root(json, "", source);
  bonus_context ctx{p};
  const auto level = detail::level_rules::from_config(root["bonuses"].at(0), ctx);
  // "10%", "5%", 12.5, 0.1, 33.3333, 100, "0%", "0.0001%", 0.29, 4.35, 0 — JSON numbers are read
  // from their text: 0.29 × 10000 in binary floating point is 2899.9999999999995.
  CHECK(level.rates == std::vector<rate_t>{100'000, 50'000, 125'000, 1'000, 333'333, 1'000'000, 0, 1, 2'900, 43'500, 0});
  CHECK(level.dynamic);
  CHECK(level.paid_on_active);
  CHECK(level.levels_by_rank.entries() == std::vector<std::pair<rank_index, std::uint32_t>>{{0, 2}, {1, 5}});
  CHECK(level.levels_unlocked(no_rank) == 0);
  CHECK(level.levels_unlocked(0) == 2);
  CHECK(level.levels_unlocked(1) == 5);
  CHECK(level.levels_unlocked(2) == 5);  // Director: the highest listed rank at or below it
  const auto vol = detail::level_rules::from_config(root["bonuses"].at(1), ctx);
  CHECK(vol.rates == std::vector<rate_t>{10'000});
  CHECK_FALSE(vol.dynamic);
  CHECK_FALSE(vol.paid_on_active);
  CHECK(vol.levels_by_rank.empty());
  CHECK(vol.levels_unlocked(no_rank) == 1);  // no levels_by_rank: every level
  CHECK_FALSE(read_base_is_volume(root["bonuses"].at(0)));
  CHECK(read_base_is_volume(root["bonuses"].at(1)));
}

TEST_CASE("plan: defaults of a minimal plan", "[plan]") {
  const plan p = plan::from_json(R"({"name":"m","bonuses":[{"name":"b","type":"unilevel","rates":[1]}]})");
  CHECK(p.name == "m");
  CHECK(p.currency.empty());
  CHECK(p.money_decimals == 2);
  CHECK(p.rounding == rounding_mode::half_even);
  CHECK(p.active_pv == 0);
  CHECK(p.ranks.empty());
  CHECK_FALSE(p.payout_cap.has_value());
  CHECK(p.breakaway_rank == no_rank);
  REQUIRE(p.bonuses.size() == 1);
  CHECK(p.bonuses[0]->min_rank() == no_rank);
  CHECK(p.bonuses[0]->require_active());
  for (const char* mode : {"half_even", "half_up", "down", "up"}) {
    const plan q = plan::from_json(fmt::format(R"({{"name":"m","rounding":"{}","bonuses":[{{"name":"b","type":"unilevel","rates":[1]}}]}})", mode));
    CHECK(to_string(q.rounding) == mode);
  }
  for (int d = 0; d <= 6; ++d) {
    const plan q = plan::from_json(fmt::format(R"({{"name":"m","money_decimals":{},"bonuses":[{{"name":"b","type":"unilevel","rates":[1]}}]}})", d));
    CHECK(q.money_decimals == d);
  }
}

TEST_CASE("config: rates never pass through double", "[plan]") {
  CHECK(rate_of(R"("12.5%")") == 125'000);
  CHECK(rate_of("12.5") == 125'000);
  CHECK(rate_of("0.1") == 1'000);
  CHECK(rate_of("33.3333") == 333'333);
  CHECK(rate_of(R"("33.3333%")") == 333'333);
  CHECK(rate_of("0.29") == 2'900);
  CHECK(rate_of("4.35") == 43'500);
  CHECK(rate_of("57.0001") == 570'001);
  CHECK(rate_of("100") == 1'000'000);
  CHECK(rate_of(R"("100%")") == 1'000'000);
  CHECK(rate_of(R"("100.0000%")") == 1'000'000);
  CHECK(rate_of("0") == 0);
  CHECK(rate_of(R"("0.0001%")") == 1);
  CHECK(rate_of("0.0001") == 1);
  CHECK(format_rate(125'000) == "12.5%");
  CHECK(format_rate(1) == "0.0001%");
  CHECK(format_rate(1'000'000) == "100%");
  CHECK(format_rate(0) == "0%");

  CHECK(rate_error(R"("120%")") == "r: x: rate is outside 0%..100% '120%'");
  CHECK(rate_error("100.0001") == "r: x: rate is outside 0%..100% '100.0001'");
  CHECK(rate_error(R"("-1%")") == "r: x: rate is outside 0%..100% '-1%'");
  CHECK(rate_error("-0.5") == "r: x: rate is outside 0%..100% '-0.5'");
  CHECK(rate_error(R"("12.34567%")") == "r: x: rate has too many decimals '12.34567%'");
  CHECK(rate_error("12.34567") == "r: x: rate has too many decimals '12.34567'");
  CHECK(rate_error(R"("12")") == "r: x: rate must be a percentage like \"12.5%\" '12'");
  CHECK(rate_error(R"("abc%")") == "r: x: rate is not a decimal number 'abc%'");
  CHECK(rate_error(R"("%")") == "r: x: rate is empty '%'");
  CHECK(rate_error(R"(" 5%")") == "r: x: rate is not a decimal number ' 5%'");
  CHECK(rate_error("1e1") == "r: x: rate is not a decimal number '1e1'");
  CHECK(rate_error("true") == "r: x: rate must be a percentage like \"12.5%\" 'true'");
  CHECK(rate_error("null") == "r: x: rate must be a percentage like \"12.5%\" 'null'");
}

TEST_CASE("config: volumes and money thresholds are exact", "[plan]") {
  const std::string source = "v";
  auto volume = [&](const std::string& text) {
    json_value v = parse_plan_json(text, source);
    return config_node(v, "t", source).as_volume();
  };
  CHECK(volume(R"("50")") == 500'000);
  CHECK(volume("50") == 500'000);
  CHECK(volume(R"("0.0001")") == 1);
  CHECK(volume(R"("-2.5")") == -25'000);
  CHECK(volume("0.29") == 2'900);
  json_value v = parse_plan_json(R"("0.00001")", source);
  CHECK_THROWS_WITH(config_node(v, "t", source).as_volume(), "v: t: volume has too many decimals '0.00001'");
  json_value big = parse_plan_json("18446744073709551615", source);
  CHECK_THROWS_WITH(config_node(big, "t", source).as_volume(),
                    "v: t: volume is out of range '18446744073709551615'");
}

TEST_CASE("plan errors name the JSON path and the value", "[plan]") {
  const std::string b = unilevel("");
  struct expectation {
    std::string json, message;
  };
  const std::vector<expectation> cases = {
      {R"({"name":"x","bonuses":[)" + b + R"(],"colour":1})", "p: colour: unknown key 'colour'"},
      {R"({"name":"x"})", R"(p: (top level): missing required key 'bonuses' in '{"name":"x"}')"},
      {R"({"name":"x","bonuses":[]})", "p: bonuses: a plan needs at least one bonus '[]'"},
      {R"({"name":"x","bonuses":{}})", "p: bonuses: expected a JSON array '{}'"},
      {R"({"name":"x","bonuses":[5]})", "p: bonuses[0]: expected a JSON object '5'"},
      {R"([])", "p: (top level): expected a JSON object '[]'"},
      {R"({"name":5,"bonuses":[)" + b + "]}", "p: name: expected a string '5'"},
      {R"({"name":"x","currency":1,"bonuses":[)" + b + "]}", "p: currency: expected a string '1'"},
      {R"({"name":"x","money_decimals":7,"bonuses":[)" + b + "]}",
       "p: money_decimals: expected an integer from 0 to 6 '7'"},
      {R"({"name":"x","money_decimals":-1,"bonuses":[)" + b + "]}",
       "p: money_decimals: expected an integer from 0 to 6 '-1'"},
      {R"({"name":"x","money_decimals":2.5,"bonuses":[)" + b + "]}", "p: money_decimals: expected an integer '2.5'"},
      {R"({"name":"x","money_decimals":"2","bonuses":[)" + b + "]}", "p: money_decimals: expected an integer '2'"},
      {R"({"name":"x","rounding":"banker","bonuses":[)" + b + "]}",
       "p: rounding: rounding must be half_even, half_up, down or up 'banker'"},
      {R"({"name":"x","qualification":{"min":1},"bonuses":[)" + b + "]}",
       "p: qualification.min: unknown key 'min'"},
      {R"({"name":"x","qualification":{"active_pv":"abc"},"bonuses":[)" + b + "]}",
       "p: qualification.active_pv: volume is not a decimal number 'abc'"},
      {R"({"name":"x","payout_cap":"150%","bonuses":[)" + b + "]}", "p: payout_cap: rate is outside 0%..100% '150%'"},
      // ranks
      {R"({"name":"x","ranks":[{"name":"A","bogus":1}],"bonuses":[)" + b + "]}", "p: ranks[0].bogus: unknown key 'bogus'"},
      {R"({"name":"x","ranks":[{"name":"A"},{"name":"A"}],"bonuses":[)" + b + "]}",
       "p: ranks[1].name: duplicate rank name 'A'"},
      {R"({"name":"x","ranks":[{"name":""}],"bonuses":[)" + b + "]}", "p: ranks[0].name: rank name is empty ''"},
      {R"({"name":"x","ranks":[{"name":"A","pv":"1e3"}],"bonuses":[)" + b + "]}",
       "p: ranks[0].pv: volume is not a decimal number '1e3'"},
      {R"({"name":"x","ranks":[{"name":"A","gv":"0.00001"}],"bonuses":[)" + b + "]}",
       "p: ranks[0].gv: volume has too many decimals '0.00001'"},
      {R"({"name":"x","ranks":[{"name":"A","pv":true}],"bonuses":[)" + b + "]}",
       "p: ranks[0].pv: volume must be a decimal string or a number 'true'"},
      {R"({"name":"x","ranks":[{"name":"A","max_leg_share":"50%"}],"bonuses":[)" + b + "]}",
       "p: ranks[0].max_leg_share: max_leg_share needs a gv requirement on the same rank '50%'"},
      {R"({"name":"x","ranks":[{"name":"A","gv":"10","max_leg_share":"150%"}],"bonuses":[)" + b + "]}",
       "p: ranks[0].max_leg_share: rate is outside 0%..100% '150%'"},
      {R"({"name":"x","ranks":[{"name":"A","active":"no"}],"bonuses":[)" + b + "]}",
       "p: ranks[0].active: expected true or false 'no'"},
      {R"({"name":"x","ranks":[{"name":"A"},{"name":"B","legs":[{"count":2,"rank":"C"}]}],"bonuses":[)" + b + "]}",
       "p: ranks[1].legs[0].rank: rank is not defined (ranks are listed lowest first) 'C'"},
      {R"({"name":"x","ranks":[{"name":"A","legs":[{"count":1,"rank":"B"}]},{"name":"B"}],"bonuses":[)" + b + "]}",
       "p: ranks[0].legs[0].rank: rank is not defined (ranks are listed lowest first) 'B'"},
      {R"({"name":"x","ranks":[{"name":"A"},{"name":"B","legs":[{"count":0,"rank":"A"}]}],"bonuses":[)" + b + "]}",
       "p: ranks[1].legs[0].count: expected an integer from 1 to 1000000 '0'"},
      {R"({"name":"x","ranks":[{"name":"A"},{"name":"B","legs":[{"count":1,"rank":"A","deep":true}]}],"bonuses":[)" + b + "]}",
       "p: ranks[1].legs[0].deep: unknown key 'deep'"},
      // bonuses
      {with_bonus(R"({"name":"b"})"), R"(p: bonuses[0]: missing required key 'type' in '{"name":"b"}')"},
      {with_bonus(R"({"type":"unilevel","rates":["1%"]})"),
       R"(p: bonuses[0]: missing required key 'name' in '{"type":"unilevel","rates":["1%"]}')"},
      {with_bonus(R"({"name":"","type":"unilevel","rates":["1%"]})"), "p: bonuses[0].name: bonus name is empty ''"},
      {with_bonus(b + "," + b), "p: bonuses[1].name: duplicate bonus name 'lvl'"},
      {with_bonus(R"({"name":"b","type":"foo"})"), "p: bonuses[0].type: unknown bonus type 'foo'"},
      {with_bonus(R"({"name":"b","type":"Unilevel","rates":["1%"]})"), "p: bonuses[0].type: unknown bonus type 'Unilevel'"},
      {with_bonus(unilevel(R"("depth":3)")), "p: bonuses[0].depth: unknown key 'depth'"},
      {with_bonus(R"({"name":"lvl","type":"unilevel"})"),
       R"(p: bonuses[0]: missing required key 'rates' in '{"name":"lvl","type":"unilevel"}')"},
      {with_bonus(R"({"name":"lvl","type":"unilevel","rates":[]})"),
       "p: bonuses[0].rates: rates must list at least one level '[]'"},
      {with_bonus(R"({"name":"lvl","type":"unilevel","rates":"10%"})"), "p: bonuses[0].rates: expected a JSON array '10%'"},
      {with_bonus(R"({"name":"lvl","type":"unilevel","rates":["10%","5%","4%","120%"]})"),
       "p: bonuses[0].rates[3]: rate is outside 0%..100% '120%'"},
      {with_bonus(R"({"name":"lvl","type":"unilevel","rates":["10%",100.5]})"),
       "p: bonuses[0].rates[1]: rate is outside 0%..100% '100.5'"},
      {with_bonus(R"({"name":"lvl","type":"unilevel","rates":["10%","-1%"]})"),
       "p: bonuses[0].rates[1]: rate is outside 0%..100% '-1%'"},
      {with_bonus(R"({"name":"lvl","type":"unilevel","rates":["12.34567%"]})"),
       "p: bonuses[0].rates[0]: rate has too many decimals '12.34567%'"},
      {with_bonus(unilevel(R"("compression":"static")")),
       "p: bonuses[0].compression: compression must be none, dynamic or generous 'static'"},
      {with_bonus(unilevel(R"("paid_on":"some")")), "p: bonuses[0].paid_on: paid_on must be all or active 'some'"},
      {with_bonus(unilevel(R"("base":"points")")), "p: bonuses[0].base: base must be amount or volume 'points'"},
      {with_bonus(unilevel(R"("min_rank":"Boss")")),
       "p: bonuses[0].min_rank: rank is not defined in the plan's ranks 'Boss'"},
      {with_bonus(unilevel(R"("min_rank":3)")), "p: bonuses[0].min_rank: expected a string '3'"},
      {with_bonus(unilevel(R"("require_active":"yes")")), "p: bonuses[0].require_active: expected true or false 'yes'"},
      {with_bonus(unilevel(R"("levels_by_rank":{"Boss":3})")),
       "p: bonuses[0].levels_by_rank.Boss: rank is not defined in the plan's ranks 'Boss'"},
      {with_bonus(unilevel(R"("levels_by_rank":{"Associate":-1})")),
       "p: bonuses[0].levels_by_rank.Associate: expected an integer from 0 to 1000000 '-1'"},
      {with_bonus(unilevel(R"("levels_by_rank":["Associate"])")),
       R"(p: bonuses[0].levels_by_rank: expected a JSON object '["Associate"]')"},
      {with_bonus(b + "," + R"({"name":"second","type":"unilevel","rates":["1%","2%","3%","4%","5%","6%","7%","8%","9%",200]})"),
       "p: bonuses[1].rates[9]: rate is outside 0%..100% '200'"},
  };
  for (const auto& c : cases) {
    INFO(c.json);
    CHECK(plan_error_of(c.json) == c.message);
  }
}

TEST_CASE("plan: the top-level missing name names the top level", "[plan]") {
  const std::string msg = plan_error_of(R"({"bonuses":[)" + unilevel("") + "]}");
  CHECK(msg.rfind("p: (top level): missing required key 'name' in '", 0) == 0);
}

TEST_CASE("plan: invalid JSON and duplicate keys", "[plan]") {
  CHECK(plan_error_of("{").rfind("p: invalid JSON: ", 0) == 0);
  CHECK(plan_error_of("").rfind("p: invalid JSON: ", 0) == 0);
  CHECK(plan_error_of(R"({"name":"x",})").rfind("p: invalid JSON: ", 0) == 0);
  CHECK(plan_error_of("{\"name\":\"x\"} trailing").rfind("p: invalid JSON: ", 0) == 0);
  // Duplicate keys would silently keep one value in most JSON readers: here they are errors.
  std::string msg = plan_error_of(R"({"name":"a","name":"b","bonuses":[)" + unilevel("") + "]}");
  CHECK(msg.rfind("p: invalid JSON: duplicate key 'name'", 0) == 0);
  msg = plan_error_of(with_bonus(R"({"name":"lvl","type":"unilevel","rates":["10%"],"rates":["20%"]})"));
  CHECK(msg.rfind("p: invalid JSON: duplicate key 'rates'", 0) == 0);
  msg = plan_error_of(R"({"name":"x","qualification":{"active_pv":"1","active_pv":"2"},"bonuses":[)" + unilevel("") + "]}");
  CHECK(msg.rfind("p: invalid JSON: duplicate key 'active_pv'", 0) == 0);
  // The same key in sibling objects is fine.
  CHECK_NOTHROW(plan::from_json(with_bonus(unilevel("") + R"(,{"name":"two","type":"unilevel","rates":["1%"]})")));
}

TEST_CASE("plan: SPEC bonus types that are not built give 'not available'", "[plan]") {
  for (const char* type : {"binary", "matrix", "stairstep", "matching", "fast_start", "pool"}) {
    INFO("type " << type);
    const std::string json = with_bonus(fmt::format(R"({{"name":"b","type":"{}"}})", type));
    std::string msg;
    try {
      plan::from_json(json, "p");
    } catch (const plan_error& e) {
      msg = e.what();
    }
    if (!find_bonus_type(type)) {
      CHECK(msg == fmt::format("p: bonuses[0].type: bonus type is not available in this version of downline '{}'", type));
    } else {
      // Built types reject the incomplete object for their own reasons, never as unknown.
      CHECK(msg.find("unknown bonus type") == std::string::npos);
    }
  }
}

TEST_CASE("plan: registering a bonus type", "[plan]") {
  CHECK(find_bonus_type("unilevel"));
  CHECK_FALSE(find_bonus_type("h4_test_type"));
}

TEST_CASE("plan::from_file", "[plan]") {
  const fs::path path = fs::temp_directory_path() / fmt::format("downline_test_plan_{}.json", ::getpid());
  {
    std::ofstream out(path, std::ios::binary);
    out << R"({"name":"file plan","bonuses":[{"name":"b","type":"unilevel","rates":["1%"],"x":1}]})";
  }
  try {
    plan::from_file(path);
    FAIL("no error");
  } catch (const plan_error& e) {
    CHECK(std::string(e.what()) == path.string() + ": bonuses[0].x: unknown key 'x'");
  }
  {
    std::ofstream out(path, std::ios::binary);
    out << R"({"name":"file plan","bonuses":[{"name":"b","type":"unilevel","rates":["1%"]}]})";
  }
  CHECK(plan::from_file(path).name == "file plan");
  fs::remove(path);
  try {
    plan::from_file(path);
    FAIL("no error");
  } catch (const input_error& e) {
    CHECK(e.code() == errc::io);
    CHECK(std::string(e.what()) == path.string() + ": cannot open the plan file");
  }
}

TEST_CASE("plan: every example plan in examples/plans loads", "[plan][examples]") {
  const fs::path dir = fs::path(DOWNLINE_TEST_DATA) / ".." / ".." / "examples" / "plans";
  std::size_t plans = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".json") continue;
    INFO(entry.path().string());
    CHECK_FALSE(plan::from_file(entry.path()).bonuses.empty());
    ++plans;
  }
  CHECK(plans >= 6);
}

TEST_CASE("plan: a value in a message is shown bounded, without recursion", "[plan]") {
  // 100,000 nested arrays: the message shows the start of the value, not a stack overflow.
  const std::string deep = R"({"name":"x","bonuses":)" + std::string(100'000, '[') + std::string(100'000, ']') + "}";
  CHECK(plan_error_of(deep) == "p: bonuses[0]: expected a JSON object '" + std::string(57, '[') + "...'");
  // Objects are shown as JSON text, cut at 60 bytes.
  CHECK(plan_error_of(R"({"name":"x","bonuses":[{"name":"l","type":"unilevel","rates":["1%"]}],"ranks":[[{"a":1},2]]})") ==
        R"(p: ranks[0]: expected a JSON object '[{"a":1},2]')");
  const std::string wide = R"({"name":"x","bonuses":[[{"key":"value"},{"key":"value"},{"key":"value"},{"key":"value"}]]})";
  CHECK(plan_error_of(wide) == R"(p: bonuses[0]: expected a JSON object '[{"key":"value"},{"key":"value"},{"key":"value"},{"key":"...')");
}

TEST_CASE("plan: strings hold no NUL, JSON errors show the last token escaped and cut", "[plan]") {
  CHECK(plan_error_of(R"({"name":"pay\u0000day","bonuses":[]})") ==
        "p: name: a string must not hold a NUL byte 'pay\\x00day'");
  const std::string bad_utf8 = plan_error_of("{\"name\":\"a\xFF\"}");
  CHECK_THAT(bad_utf8, Catch::StartsWith("p: invalid JSON: ") && Catch::Contains("last read: '\"a\\xFF'"));
  const std::string long_token = plan_error_of("{\"name\":\"" + std::string(1'000'000, 'n'));
  CHECK_THAT(long_token, Catch::Contains("(1000009 bytes)"));
  // The last token read and the start of the text, each cut at 128 bytes with its size.
  CHECK_THAT(long_token, Catch::Contains("(1000001 bytes)"));
  CHECK(long_token.size() < 600);
}
