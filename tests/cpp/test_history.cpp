// SPDX-License-Identifier: MIT
// Member history over periods (SPEC §7.2–§7.4): the hand-computed cases of tests/data/history
// through the C++ API, and properties of chained periods on random networks.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "bonus_test_support.hpp"
#include "downline/error.hpp"
#include "downline/io/writers.hpp"
#include "downline/overrides.hpp"
#include "downline/ranks.hpp"
#include "downline/state.hpp"

using namespace bonus_test;
namespace fs = std::filesystem;

namespace {

std::string slurp_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// What one period wrote: payouts, ranks and state files, as bytes.
struct period_files {
  std::string payouts, ranks, state;
};

period_files write_period(const result& r, const plan& rules, const fs::path& dir) {
  const fs::path p = dir / "payouts.csv", k = dir / "ranks.csv", s = dir / "state.csv";
  {
    output_file payouts(p), ranks(k), state(s);
    write_payouts(payouts, r, rules);
    write_ranks(ranks, r, rules);
    write_state(state, r.next_state, rules, *r.net);
    payouts.commit();
    ranks.commit();
    state.commit();
  }
  return {slurp_file(p), slurp_file(k), slurp_file(s)};
}

/// The words of a case's args_<k> that the library needs.
struct period_args {
  std::optional<commission_period> period;
  std::optional<fs::path> overrides_in, adjustments_in;
};

period_args read_period_args(const fs::path& dir, int k) {
  std::istringstream words(slurp_file(dir / fmt::format("args_{}", k)));
  period_args a;
  std::string word, value;
  while (words >> word >> value) {
    if (word == "--period") a.period = parse_period(value);
    else if (word == "--overrides") a.overrides_in = dir / value;
    else if (word == "--adjustments") a.adjustments_in = dir / value;
    else FAIL("args word not understood: " << word);
  }
  REQUIRE(a.period);
  return a;
}

struct scratch {
  fs::path path = fs::temp_directory_path() / fmt::format("downline_test_history_{}", ::getpid());
  scratch() { fs::create_directories(path); }
  ~scratch() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
};

}  // namespace

TEST_CASE("history cases through the C++ API, periods chained through the state", "[history]") {
  scratch tmp;
  int cases = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(DOWNLINE_TEST_DATA) / "history")) {
    const fs::path dir = entry.path();
    INFO("case " << dir.filename().string() << " (see its README.md)");
    ++cases;
    const plan rules = plan::from_file(dir / "plan.json");
    const network net = network::from_csv(dir / "network.csv");
    const ledger sales = ledger::from_csv(dir / "sales.csv", net);
    std::optional<member_state> previous;
    for (int k = 1; fs::exists(dir / fmt::format("args_{}", k)); ++k) {
      INFO("period " << k);
      const period_args a = read_period_args(dir, k);
      std::optional<overrides> o;
      if (a.overrides_in) o = overrides::from_csv(*a.overrides_in, rules, net);
      std::optional<adjustments> adj;
      if (a.adjustments_in) adj = adjustments::from_csv(*a.adjustments_in, rules, net);
      run_options options;
      options.period = a.period;
      options.state_in = previous ? &*previous : nullptr;
      options.overrides_in = o ? &*o : nullptr;
      options.adjustments_in = adj ? &*adj : nullptr;
      const result r = run(rules, net, sales, options);
      const period_files got = write_period(r, rules, tmp.path);
      CHECK(got.payouts == slurp_file(dir / fmt::format("expected_payouts_{}.csv", k)));
      CHECK(got.ranks == slurp_file(dir / fmt::format("expected_ranks_{}.csv", k)));
      CHECK(got.state == slurp_file(dir / fmt::format("expected_state_{}.csv", k)));
      // The next period reads the state back from its text, as C and Python hand it over.
      previous = read_state(r.state(), rules, net);
    }
  }
  CHECK(cases >= 1);
}

namespace {

/// A random network and four months of sales with refunds and gaps.
struct history_case {
  network net;
  ledger sales;
};

history_case make_random_history(dice& d) {
  const std::uint32_t n = 2 + d.below(60);
  std::vector<member_row> members;
  for (std::uint32_t i = 0; i < n; ++i)
    members.push_back({fmt::format("m{}", i), i == 0 || d.chance(5) ? "" : fmt::format("m{}", d.below(i)), ""});
  network net = make_network(members);
  std::vector<sale_row> rows;
  for (int month = 1; month <= 4; ++month)
    for (std::uint32_t i = 0; i < n; ++i) {
      if (!d.chance(55)) continue;
      int amount = static_cast<int>(10 + d.below(120));
      if (d.chance(8)) amount = -amount;
      rows.push_back({fmt::format("m{}", i), fmt::format("{}", amount), "", fmt::format("2026-{:02}-{:02}", month, 1 + d.below(28))});
    }
  ledger sales = make_ledger(net, rows);
  return {std::move(net), std::move(sales)};
}

const char* const history_plan = R"({"name": "h", "qualification": {"active_pv": "50", "active_periods": 3},
  "rank_rules": {"grace_periods": 2},
  "ranks": [{"name": "Bronze", "pv": "50"}, {"name": "Silver", "pv": "50", "gv": "250"},
            {"name": "Gold", "pv": "50", "legs": [{"count": 2, "rank": "Silver"}]}],
  "bonuses": [{"name": "level", "type": "unilevel", "rates": ["10%", "5%", "2%"], "compression": "dynamic",
               "levels_by_rank": {"Bronze": 1, "Silver": 2, "Gold": 3}},
              {"name": "pairs", "type": "binary", "rate": "10%", "max_carry": "400"}]})";

struct chain_run {
  std::vector<period_files> files;
  std::vector<result> results;
};

chain_run run_chain(const plan& rules, const history_case& c, const fs::path& dir) {
  chain_run out;
  std::optional<member_state> previous;
  for (int month = 1; month <= 4; ++month) {
    run_options o;
    o.period = parse_period(fmt::format("2026-{:02}", month));
    o.state_in = previous ? &*previous : nullptr;
    result r = run(rules, c.net, c.sales, o);
    out.files.push_back(write_period(r, rules, dir));
    previous = read_state(dir / "state.csv", rules, c.net);
    out.results.push_back(std::move(r));
  }
  return out;
}

}  // namespace

TEST_CASE("chained periods: idempotent, the state file round-trips, grace and title rules hold", "[history][property]") {
  scratch tmp;
  const plan rules = plan::from_json(history_plan);
  dice d{20261204};
  for (int round = 0; round < 60; ++round) {
    INFO("round " << round);
    const history_case c = make_random_history(d);
    const chain_run first = run_chain(rules, c, tmp.path);
    const chain_run again = run_chain(rules, c, tmp.path);
    for (std::size_t k = 0; k < first.files.size(); ++k) {
      INFO("month " << k + 1);
      CHECK(first.files[k].payouts == again.files[k].payouts);
      CHECK(first.files[k].ranks == again.files[k].ranks);
      CHECK(first.files[k].state == again.files[k].state);
      // write → read → write gives the same bytes.
      const fs::path p = tmp.path / "round_trip.csv";
      std::ofstream(p, std::ios::binary) << first.files[k].state;
      const member_state read_back = read_state(p, rules, c.net);
      {
        output_file out(tmp.path / "rewritten.csv");
        write_state(out, read_back, rules, c.net);
        out.commit();
      }
      CHECK(slurp_file(tmp.path / "rewritten.csv") == first.files[k].state);
      // SPEC §7.3 per member: the paid-as rank is never below the qualified one; grace counts
      // at most grace_periods and is 0 exactly when paid-as = qualified; titles never fall.
      const qualification& q = first.results[k].q;
      for (member_index m = 0; m < c.net.size(); ++m) {
        CHECK(q.rank[m] >= q.qualified_rank[m]);
        CHECK(q.grace[m] <= 2);
        CHECK((q.grace[m] == 0) == (q.rank[m] == q.qualified_rank[m]));
        CHECK(q.title_rank[m] >= q.rank[m]);
        if (k > 0) CHECK(q.title_rank[m] >= first.results[k - 1].q.title_rank[m]);
        // Activity with look-back: active now by PV, or in one of the two periods before.
        bool by_pv = false;
        for (std::size_t j = k >= 2 ? k - 2 : 0; j <= k; ++j) by_pv |= first.results[j].q.pv[m] >= 50 * 10'000;
        CHECK(static_cast<bool>(q.active[m]) == by_pv);
      }
    }
  }
}

TEST_CASE("overrides replace rank and activity after ranks, without cascading", "[history]") {
  // R ← A ← B ← C: a chain. Gold needs a Silver somewhere in a leg.
  const network net = make_network({{"R", "", ""}, {"A", "R", ""}, {"B", "A", ""}, {"C", "B", ""}});
  const ledger sales = make_ledger(net, {{"R", "60", "", ""}, {"A", "60", "", ""}, {"B", "60", "", ""}, {"C", "10", "", ""}});
  const plan rules = plan::from_json(R"({"name": "o", "qualification": {"active_pv": "50"},
    "ranks": [{"name": "Bronze", "pv": "50"}, {"name": "Silver", "pv": "50", "gv": "1000"},
              {"name": "Gold", "pv": "50", "legs": [{"count": 1, "rank": "Silver"}]}],
    "bonuses": [{"name": "level", "type": "unilevel", "rates": ["10%"], "min_rank": "Silver"}]})");
  const result plain = run(rules, net, sales);
  const overrides o = overrides::from_rows({{"B", "Silver", "", "promoted"}, {"C", "", "true", ""}}, rules, net);
  run_options options;
  options.overrides_in = &o;
  const result forced = run(rules, net, sales, options);
  const member_index a = net.find("A"), b = net.find("B"), c = net.find("C"), r = net.find("R");
  // B's forced Silver is not seen by A's or R's Gold requirement: their ranks are as computed.
  for (member_index m : {a, r}) {
    CHECK(forced.q.rank[m] == plain.q.rank[m]);
    CHECK(forced.q.qualified_rank[m] == plain.q.qualified_rank[m]);
  }
  CHECK(forced.q.rank[b] == rules.find_rank("Silver"));
  CHECK(forced.q.qualified_rank[b] == rules.find_rank("Bronze"));
  CHECK(forced.q.active[c] == 1);
  CHECK(plain.q.active[c] == 0);
  // ... but bonuses see it: C's 10.00 pays its level-1 upline B, now Silver, 1.00.
  CHECK(paid(plain, "B", "level") == 0);
  CHECK(paid(forced, "B", "level") == 100);
  CHECK(*forced.q.override_of(b) == "promoted");
  CHECK(forced.q.override_of(c)->empty());
  CHECK(forced.q.override_of(a) == nullptr);
  CHECK_THROWS_AS(overrides::from_rows({{"B", "Silver", "", ""}, {"B", "", "false", ""}}, rules, net), input_error);
}

TEST_CASE("adjustments are added after the cap, unscaled and unrounded", "[history]") {
  const network net = make_network({{"R", "", ""}, {"A", "R", ""}});
  const ledger sales = make_ledger(net, {{"A", "100", "", ""}});
  // 50% of 100.00 to R, capped at 10% of sales = 10.00.
  const plan rules = plan::from_json(R"({"name": "a", "payout_cap": "10%",
    "bonuses": [{"name": "level", "type": "unilevel", "rates": ["50%"]}]})");
  const adjustments adj = adjustments::from_rows(
      {{"R", "level", "7.50", "bonus"}, {"A", "adjustment", "0.01", "x"}, {"A", "adjustment", "-3", "y"}}, rules, net);
  run_options options;
  options.adjustments_in = &adj;
  options.explain = true;
  const result r = run(rules, net, sales, options);
  CHECK(r.totals.cap_applied);
  CHECK(paid(r, "R", "level") == 1000 + 750);   // capped 10.00, then + 7.50
  CHECK(paid(r, "A", "adjustment") == 1 - 300);  // two rows add up
  CHECK(r.bonus_names.back() == "adjustment");
  CHECK(r.totals.total_payout == 1750 - 299);
  CHECK(r.rounded[0][net.find("R")] == 5000);  // before the cap and adjustments
  CHECK_THROWS_AS(adjustments::from_rows({{"R", "level", "1.001", ""}}, rules, net), input_error);
  CHECK_THROWS_AS(plan::from_json(R"({"name": "x", "bonuses": [{"name": "adjustment", "type": "unilevel", "rates": ["1%"]}]})"),
                  plan_error);
}

TEST_CASE("a rank named with a comma and quotes is a quoted field of the state file", "[history]") {
  // Two ranks whose names need quoting; A (PV 60) holds `Gold, "Star"`, B (PV 20) `Silver,`.
  // The state written quotes them as RFC 4180 fields (the rank column of ranks.csv does the
  // same), reads back to the same ranks, and writes again to the same bytes.
  scratch tmp;
  const plan rules = plan::from_json(R"({"name": "q", "qualification": {"active_pv": "10"},
    "ranks": [{"name": "Silver,", "pv": "10"}, {"name": "Gold, \"Star\"", "pv": "50"}],
    "bonuses": [{"name": "level", "type": "unilevel", "rates": ["10%"]}]})");
  const network net = make_network({{"A", "", ""}, {"B", "A", ""}});
  run_options o;
  o.period = parse_period("2026-01");
  const result r = run(rules, net, make_ledger(net, {{"A", "60", "60", "2026-01-05"}, {"B", "20", "20", "2026-01-09"}}), o);
  const std::string written = write_period(r, rules, tmp.path).state;
  CHECK(written ==
        "member_id,key,value\n,period,2026-01\n"
        "A,paid_rank,\"Gold, \"\"Star\"\"\"\nA,title_rank,\"Gold, \"\"Star\"\"\"\n"
        "B,paid_rank,\"Silver,\"\nB,title_rank,\"Silver,\"\n");
  const member_state read_back = read_state(tmp.path / "state.csv", rules, net);
  CHECK(read_back.value(engine_keys::paid_rank.name, net.find("A"), -1) == 1);
  CHECK(read_back.value(engine_keys::title_rank.name, net.find("B"), -1) == 0);
  {
    output_file out(tmp.path / "rewritten.csv");
    write_state(out, read_back, rules, net);
    out.commit();
  }
  CHECK(slurp_file(tmp.path / "rewritten.csv") == written);
  // The rows as text keep the names unquoted; written from text, quoted again.
  const state_text text = to_text(read_back, rules, net);
  CHECK(text.rows[0].value == "Gold, \"Star\"");
  {
    output_file out(tmp.path / "from_text.csv");
    write_state(out, text);
    out.commit();
  }
  CHECK(slurp_file(tmp.path / "from_text.csv") == written);
}
