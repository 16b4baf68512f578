// SPDX-License-Identifier: MIT
// session.hpp: random interleavings of adds and estimates, each estimate equal to engine::run
// over the same lines; errors leave the session unchanged.
#include "downline/session.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <memory>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "downline/decimal.hpp"
#include "downline/error.hpp"
#include "test_support.hpp"

using namespace downline;

namespace {

const char* const u8_plan = R"({
  "name": "U8-like", "currency": "EUR", "money_decimals": 2,
  "qualification": { "active_pv": "50", "active_periods": 2 },
  "bonuses": [ { "name": "level", "type": "unilevel", "base": "amount", "compression": "dynamic",
                 "rates": ["10%", "5%", "4%", "3%", "2%", "1%", "1%", "1%"] } ],
  "payout": { "minimum": "5.00", "fee": "0.50" }
})";

const char* const stairstep_plan = R"({
  "name": "stairstep + matching", "currency": "EUR", "money_decimals": 2,
  "qualification": { "active_pv": "20" },
  "rank_rules": { "grace_periods": 1 },
  "ranks": [
    { "name": "Associate", "pv": "20" },
    { "name": "Bronze", "pv": "20", "gv": "200" },
    { "name": "Silver", "pv": "50", "gv": "500", "legs": [ { "count": 1, "rank": "Bronze" } ] },
    { "name": "Gold", "pv": "50", "gv": "1500" }
  ],
  "bonuses": [
    { "name": "performance", "type": "stairstep", "base": "volume",
      "steps": [ { "rank": "Associate", "rate": "3%" }, { "rank": "Bronze", "rate": "6%" },
                 { "rank": "Silver", "rate": "9%" }, { "rank": "Gold", "rate": "12%" } ],
      "breakaway": { "rank": "Gold", "generations": ["5%", "3%"] } },
    { "name": "match", "type": "matching", "of": "performance", "min_rank": "Bronze",
      "rates": ["10%", "5%"], "compression": "dynamic" }
  ]
})";

const char* const binary_plan = R"({
  "name": "binary", "currency": "EUR", "money_decimals": 2,
  "qualification": { "active_pv": "50" },
  "bonuses": [ { "name": "team", "type": "binary", "base": "volume", "placement": "bfs", "rate": "10%",
                 "cap": "150.00", "max_carry": "2000" } ]
})";

const char* const capped_plan = R"({
  "name": "capped", "currency": "EUR", "money_decimals": 2,
  "payout_cap": "12%",
  "bonuses": [ { "name": "level", "type": "unilevel", "base": "amount", "rates": ["10%", "5%", "4%"] } ]
})";

const char* const fast_start_plan = R"({
  "name": "fast start + generous", "currency": "EUR", "money_decimals": 2,
  "qualification": { "active_pv": "30" },
  "ranks": [ { "name": "One", "pv": "30" }, { "name": "Two", "pv": "30", "gv": "300" } ],
  "bonuses": [
    { "name": "start", "type": "fast_start", "base": "amount", "days": 40, "rates": ["20%", "10%"] },
    { "name": "level", "type": "unilevel", "base": "volume", "compression": "generous", "paid_on": "active",
      "levels_by_rank": { "One": 1, "Two": 3 }, "rates": ["8%", "6%", "4%"] }
  ]
})";

// Unilevels paying by activity alone, with and without compression, on volume and amount
// (the plan's ranks do not change their pay): their large subtrees are estimated from kept
// level bases.
const char* const two_unilevels_plan = R"({
  "name": "two unilevels", "currency": "EUR", "money_decimals": 2, "rounding": "up",
  "qualification": { "active_pv": "40", "active_periods": 3 },
  "ranks": [ { "name": "Star", "pv": "40", "gv": "300" } ], "rank_rules": { "grace_periods": 1 },
  "bonuses": [
    { "name": "close", "type": "unilevel", "base": "volume", "paid_on": "active", "rates": ["7.5%", "3%"] },
    { "name": "deep", "type": "unilevel", "base": "amount", "compression": "dynamic", "require_active": false,
      "rates": ["1%", "1%", "1%", "0.5%", "0.5%"] },
    { "name": "flat", "type": "unilevel", "base": "amount", "rates": ["2%", "2%", "1%"] }
  ],
  "payout": { "minimum": "3.00" }
})";

/// Everything a result says about one member, in comparable form.
struct member_view {
  std::vector<std::tuple<std::string, std::string, minor_t>> payouts;
  std::vector<std::tuple<std::string, std::string, std::uint32_t, std::uint32_t, base_t, rate_t, std::string,
                         std::string, std::string>>
      lines;
  std::vector<std::tuple<std::string, minor_t, minor_t, minor_t, minor_t, minor_t, minor_t, minor_t, int>> payables;
  bool operator==(const member_view&) const = default;
};

/// The view as text, for failure messages.
std::string describe(const member_view& v) {
  std::string out;
  for (const auto& [id, bonus, amount] : v.payouts) out += fmt::format("payout {} {} {}\n", id, bonus, amount);
  for (const auto& [earner, source, line, level, base, rate, amount, bonus, detail] : v.lines)
    out += fmt::format("line {} {} {} {} {} {} {} {} {}\n", earner, source, line, level, base, rate, amount, bonus, detail);
  for (const auto& p : v.payables) out += fmt::format("payable {} {} {} {}\n", std::get<0>(p), std::get<1>(p), std::get<2>(p), std::get<5>(p));
  return out;
}

/// The view of `r` restricted to member `only` (or everyone when none).
member_view view(const result& r, member_index only = none) {
  const network& net = *r.net;
  member_view v;
  auto id = [&](member_index m) { return m == none ? std::string() : std::string(net.id(m)); };
  for (const payout_line& p : r.payouts)
    if (only == none || p.member == only) v.payouts.emplace_back(id(p.member), r.bonus_names[p.bonus], p.amount);
  for (const explanation& e : r.lines)
    if (only == none || e.earner == only)
      v.lines.emplace_back(id(e.earner), id(e.source), e.line, e.level, e.base, e.rate,
                           format_trimmed(e.amount, exact_decimals), r.bonus_names[e.bonus],
                           e.detail == no_detail ? std::string("-") : r.details[e.detail]);
  for (const payable& p : r.settled.payables)
    if (only == none || p.member == only)
      v.payables.emplace_back(id(p.member), p.earned, p.balance_in, p.fee, p.deductions, p.paid, p.balance_out,
                              p.forfeited, static_cast<int>(p.status));
  return v;
}

/// Ranks and state of everyone, as text.
std::string ranks_and_state(const result& r) {
  std::string out;
  const qualification& q = r.q;
  for (member_index m = 0; m < r.net->size(); ++m)
    out += fmt::format("{} {} {} {} {} {} {} {}\n", r.net->id(m), q.pv[m], q.gv[m], q.rank[m], q.active[m],
                       q.qualified_rank_of(m), q.title_rank_of(m), q.grace_of(m));
  for (const state_row& row : r.state().rows) out += row.member_id + "," + row.key + "," + row.value + "\n";
  return out;
}

/// Random members, sale lines and a driver of random adds and estimates.
class random_session {
 public:
  random_session(std::uint32_t seed, const std::string& plan_text, bool with_period, bool with_state)
      : rng_(seed), rules_(plan::from_json(plan_text)) {
    std::vector<member_row> rows = new_members(3 + rng_() % 25, true);
    network_builder b("network", false);
    b.set_has_joined(true);
    for (std::size_t i = 0; i < rows.size(); ++i)
      b.add(rows[i].id, rows[i].sponsor_id, "", "", rows[i].joined, i);
    auto net = std::make_shared<const network>(std::move(b).build());
    std::optional<commission_period> period;
    if (with_period) period = parse_period("2026-03");
    member_state state;
    if (with_state) state = earlier_state(*net, with_period);
    session_.emplace(rules_, net, period, std::move(state));
    dated_ = with_period || rules_.find_bonus("start") >= 0;
  }

  session& s() { return *session_; }

  /// One random step; an estimate is checked against engine::run.
  void step() {
    switch (rng_() % 6) {
      case 0: case 1: add_sales(1 + rng_() % 6); break;
      case 2: if (rng_() % 2) add_members(); break;
      case 3: check_everyone(rng_() % 2 == 0); break;
      default: check_member(static_cast<member_index>(rng_() % s().net().size()), rng_() % 3 != 0);
    }
  }

  void add_sales(std::size_t count) {
    ledger_builder b("sales", false);
    for (std::size_t i = 0; i < count; ++i) {
      const std::string amount = fmt::format("{}.{:02}", static_cast<int>(rng_() % 120) - 15, rng_() % 100);
      static const char* const kinds[] = {"", "retail", "personal", "fee"};
      std::string date;
      if (dated_) date = fmt::format("2026-{:02}-{:02}", 2 + rng_() % 3, 1 + rng_() % 28);
      b.add_text(ids_[rng_() % ids_.size()], amount, "", kinds[rng_() % 4], date, fmt::format("o{}", orders_++), i);
    }
    s().add_sales(std::move(b));
  }

  void add_members() {
    const std::vector<member_row> rows = new_members(1 + rng_() % 3, false);
    s().add_members(rows);
  }

  void check_everyone(bool explain) {
    const result estimated = s().estimate(explain);
    const result full = run(s().rules(), s().net(), s().sales(), s().options(explain));
    INFO("estimated:\n" << describe(view(estimated)) << "run:\n" << describe(view(full)));
    REQUIRE(view(estimated) == view(full));
    REQUIRE(estimated.totals.to_json() == full.totals.to_json());
    REQUIRE(ranks_and_state(estimated) == ranks_and_state(full));
  }

  void check_member(member_index m, bool explain) {
    const result estimated = s().estimate(m, explain);
    const result full = run(s().rules(), s().net(), s().sales(), s().options(explain));
    INFO("member " << s().net().id(m) << " of " << s().net().size() << ", subtree " << s().net().subtree_end(m) - m);
    INFO("estimated:\n" << describe(view(estimated)) << "run:\n" << describe(view(full, m)));
    REQUIRE(view(estimated) == view(full, m));
    minor_t total = 0;
    for (const payout_line& p : estimated.payouts) total += p.amount;
    REQUIRE(estimated.totals.total_payout == total);
  }

 private:
  /// `count` members with fresh ids; each sponsored by an earlier one (or a root, now and then).
  std::vector<member_row> new_members(std::size_t count, bool first_is_root) {
    std::vector<member_row> rows;
    for (std::size_t i = 0; i < count; ++i) {
      member_row r;
      r.id = fmt::format("M{}", next_id_++);
      const bool root = (first_is_root && i == 0) || rng_() % 12 == 0;
      if (!root) r.sponsor_id = ids_[rng_() % ids_.size()];
      r.joined = fmt::format("2026-{:02}-{:02}", 1 + rng_() % 3, 1 + rng_() % 28);
      ids_.push_back(r.id);
      rows.push_back(std::move(r));
    }
    return rows;
  }

  /// The state a run of February leaves (or, without a period, a run without one).
  member_state earlier_state(const network& net, bool with_period) {
    ledger_builder b(net, "february", false);
    for (std::size_t i = 0; i < net.size(); ++i)
      b.add_text(ids_[rng_() % ids_.size()], fmt::format("{}.00", rng_() % 150), "", "", "2026-02-10", "", i);
    run_options o;
    if (with_period) o.period = parse_period("2026-02");
    return run(rules_, net, std::move(b).build(), o).next_state;
  }

  std::mt19937 rng_;
  plan rules_;
  std::optional<session> session_;
  std::vector<std::string> ids_;
  int next_id_ = 0, orders_ = 0;
  bool dated_ = false;
};

}  // namespace

TEST_CASE("session: random adds and estimates equal a full run", "[session]") {
  const std::vector<const char*> plans = {u8_plan,     stairstep_plan,  binary_plan,
                                          capped_plan, fast_start_plan, two_unilevels_plan};
  for (std::size_t p = 0; p < plans.size(); ++p)
    for (int variant = 0; variant < 3; ++variant)
      for (std::uint32_t seed = 1; seed <= 6; ++seed) {
        const bool with_period = variant >= 1, with_state = variant == 2 || (variant == 0 && seed % 2 == 0);
        INFO("plan " << p << " period " << with_period << " state " << with_state << " seed " << seed);
        random_session r(seed * 101 + static_cast<std::uint32_t>(p), plans[p], with_period, with_state);
        for (int i = 0; i < 40; ++i) r.step();
        r.check_everyone(true);
        for (member_index m = 0; m < r.s().net().size(); ++m) r.check_member(m, true);
      }
}

TEST_CASE("session: member estimates are local exactly for subtree plans without a cap", "[session]") {
  auto net = std::make_shared<const network>([] {
    network_builder b("network", false);
    b.add("A", "", "", "", "", 0);
    return std::move(b).build();
  }());
  CHECK(session(plan::from_json(u8_plan), net).member_estimates_are_local());
  CHECK(session(plan::from_json(stairstep_plan), net).member_estimates_are_local());
  CHECK(session(plan::from_json(fast_start_plan), net).member_estimates_are_local());
  CHECK_FALSE(session(plan::from_json(binary_plan), net).member_estimates_are_local());
  CHECK_FALSE(session(plan::from_json(capped_plan), net).member_estimates_are_local());
  // Level bases are kept for unilevels paying by activity alone; not with ranks in the rules.
  CHECK(session(plan::from_json(u8_plan), net).keeps_level_bases());
  CHECK(session(plan::from_json(two_unilevels_plan), net).keeps_level_bases());
  CHECK_FALSE(session(plan::from_json(stairstep_plan), net).keeps_level_bases());
  CHECK_FALSE(session(plan::from_json(fast_start_plan), net).keeps_level_bases());
  CHECK_FALSE(session(plan::from_json(capped_plan), net).keeps_level_bases());
}

TEST_CASE("session: estimates of large subtrees from kept level bases follow every add", "[session]") {
  // 2,000 members in long chains (each sponsored by one of the five before it, now and then by
  // anyone earlier): a line changes the bases of many uplines, and activity switching on or
  // off re-links compression under a member. After a bulk add (the bases built when first
  // read), single lines of -60.00 to 120.00, each followed by unexplained estimates for the
  // root and a random member, equal to a full run; then new members, and more lines.
  for (const char* text : {u8_plan, two_unilevels_plan})
    for (std::uint32_t seed = 1; seed <= 3; ++seed) {
      std::mt19937 rng(seed);
      const plan rules = plan::from_json(text);
      const std::uint32_t n = 2000;
      std::vector<std::string> ids;
      network_builder b("network", false);
      for (std::uint32_t i = 0; i < n; ++i) {
        ids.push_back(fmt::format("M{}", i));
        const std::uint32_t sponsor = i == 0 ? 0 : rng() % 20 == 0 ? rng() % i : i - 1 - rng() % std::min(i, 5u);
        b.add(ids.back(), i == 0 ? "" : ids[sponsor], "", "", "", i);
      }
      session s(rules, std::make_shared<const network>(std::move(b).build()));
      REQUIRE(s.keeps_level_bases());
      int order = 0;
      auto add = [&](std::size_t lines, int low, int high) {
        ledger_builder sales("sales", false);
        for (std::size_t i = 0; i < lines; ++i) {
          const int cents = low * 100 + static_cast<int>(rng() % static_cast<std::uint32_t>((high - low) * 100));
          sales.add_text(ids[rng() % ids.size()], format_trimmed(cents, 2), "", "", "", fmt::format("o{}", order++), i);
        }
        s.add_sales(std::move(sales));
      };
      auto check = [&](member_index m) {
        const result estimated = s.estimate(m, false);
        const result full = run(s.rules(), s.net(), s.sales(), s.options(false));
        INFO("seed " << seed << " member " << s.net().id(m) << " after " << order << " lines");
        INFO("estimated:\n" << describe(view(estimated)) << "run:\n" << describe(view(full, m)));
        REQUIRE(view(estimated) == view(full, m));
      };
      add(3000, 0, 100);
      for (int step = 0; step < 120; ++step) {
        add(1, -60, 120);
        check(0);
        check(static_cast<member_index>(rng() % s.net().size()));
        if (step == 60) {
          std::vector<member_row> rows;
          for (int i = 0; i < 5; ++i) {
            ids.push_back(fmt::format("N{}", i));
            rows.push_back({ids.back(), ids[rng() % (ids.size() - 1)], "", "", "", ""});
          }
          s.add_members(rows);
        }
      }
    }
}

TEST_CASE("session: level bases beyond 64 bits are not read", "[session]") {
  // Two children of 5,000,000,000,000.00 each: the root's level-1 base (10^19 millionths) does
  // not fit 64 bits, though each sum does; the estimate is then the run's, from its stages.
  auto net = std::make_shared<const network>([] {
    network_builder b("network", false);
    b.add("R", "", "", "", "", 0);
    b.add("A", "R", "", "", "", 1);
    b.add("B", "R", "", "", "", 2);
    return std::move(b).build();
  }());
  session s(plan::from_json(u8_plan), net);
  ledger_builder sales("sales", false);
  sales.add_text("R", "60.00", "", "", "", "r", 0);
  sales.add_text("A", "5000000000000.00", "", "", "", "a", 1);
  sales.add_text("B", "5000000000000.00", "", "", "", "b", 2);
  s.add_sales(std::move(sales));
  const result estimated = s.estimate(0, false);
  const result full = run(s.rules(), s.net(), s.sales(), s.options(false));
  REQUIRE(view(estimated) == view(full, 0));
  REQUIRE(view(estimated).payouts.size() == 1);
  CHECK(std::get<2>(view(estimated).payouts[0]) == minor_t{100'000'000'000'000});  // 10% of 10^13
}
