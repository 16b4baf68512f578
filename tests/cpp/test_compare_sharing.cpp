// SPDX-License-Identifier: MIT
// compare shares stages between plans (the period's sums, the qualification, unilevel level
// bases): plans that differ in each part the sharing depends on must still each equal a
// separate run, member by member.
#include <filesystem>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "downline/compare.hpp"
#include "downline/detail/level_bases.hpp"
#include "downline/detail/shared_work.hpp"
#include "downline/generate.hpp"
#include "downline/ranks.hpp"
#include "downline/summary_json.hpp"

using namespace downline;

namespace {

/// A unilevel plan; each argument is one part that the sharing must tell apart.
struct plan_parts {
  std::string name;
  std::string rates = R"("10%", "5%", "4%", "3%")";
  std::string qualification = R"({"active_pv": "50"})";
  std::string ranks = R"([{"name": "Associate", "pv": "50"}, {"name": "Manager", "pv": "100", "gv": "3000"}])";
  std::string level_options = R"("compression": "dynamic")";
  std::string plan_options = R"("rounding": "half_even")";

  std::string json() const {
    return fmt::format(R"({{"name": "{}", "qualification": {}, "ranks": {}, {},
      "bonuses": [{{"name": "level", "type": "unilevel", "rates": [{}], {}}}]}})",
                       name, qualification, ranks, plan_options, rates, level_options);
  }
};

/// The plans: 8 variants of the rates (sharing everything but them), then one plan for each
/// part that must not be shared.
std::vector<plan_parts> plan_family() {
  std::vector<plan_parts> family;
  const char* rate_variants[] = {"6%", "7%", "8%", "9%", "10%", "11%", "12%", "13.3333%"};
  for (int i = 0; i < 8; ++i) {
    plan_parts p{fmt::format("rates {}", i)};
    p.rates = fmt::format(R"("{}", "5%", "4.5%", "{}%")", rate_variants[i], i);
    family.push_back(p);
  }
  auto variant = [&](std::string name, auto change) {
    plan_parts p{std::move(name)};
    change(p);
    family.push_back(p);
  };
  variant("qualification", [](plan_parts& p) { p.qualification = R"({"active_pv": "100"})"; });
  variant("ranks", [](plan_parts& p) {
    p.ranks = R"([{"name": "Associate", "pv": "50"}, {"name": "Manager", "pv": "100", "gv": "1000"}])";
  });
  variant("compression", [](plan_parts& p) { p.level_options = R"("compression": "none")"; });
  variant("levels", [](plan_parts& p) { p.rates = R"("10%", "5%", "4%")"; });
  variant("more levels", [](plan_parts& p) { p.rates = R"("10%", "5%", "4%", "3%", "2%", "1%")"; });
  variant("rounding", [](plan_parts& p) { p.plan_options = R"("rounding": "up")"; });
  variant("cap", [](plan_parts& p) { p.plan_options = R"("payout_cap": "4%")"; });
  variant("settlement", [](plan_parts& p) {
    p.plan_options = R"("payout": {"minimum": "20.00", "fee": "1.50", "deductions": [{"name": "tax", "rate": "10%"}]})";
  });
  variant("volume", [](plan_parts& p) { p.level_options = R"("compression": "dynamic", "base": "volume")"; });
  variant("paid on active", [](plan_parts& p) { p.level_options = R"("compression": "dynamic", "paid_on": "active")"; });
  variant("min rank", [](plan_parts& p) { p.level_options = R"("compression": "dynamic", "min_rank": "Manager")"; });
  variant("levels by rank", [](plan_parts& p) {
    p.level_options = R"("compression": "dynamic", "levels_by_rank": {"Associate": 2, "Manager": 4})";
  });
  variant("generous", [](plan_parts& p) {
    p.level_options = R"("compression": "generous", "levels_by_rank": {"Associate": 1, "Manager": 3})";
  });
  return family;
}

std::vector<minor_t> totals_by_row(const result& r) {
  std::vector<minor_t> t(r.net->size(), 0);
  for (const payout_line& p : r.payouts) t[r.net->row(p.member)] += p.amount;
  return t;
}

/// compare of `plans` with `options` equals a separate run of each, member by member, with
/// the same summary (settlement totals included) and paid-as ranks.
void check_each_equals_its_run(const std::vector<plan>& rules, const network& net, const ledger& sales,
                               const std::vector<run_options>& options) {
  std::vector<const plan*> plans;
  for (const plan& p : rules) plans.push_back(&p);
  const comparison c = compare(plans, net, sales, options);
  REQUIRE(c.plans.size() == rules.size());
  for (std::size_t i = 0; i < rules.size(); ++i) {
    INFO("plan " << rules[i].name);
    const result r = run(rules[i], net, sales, options.empty() ? run_options{} : options[i]);
    CHECK(c.plans[i].member_totals == totals_by_row(r));
    CHECK(summary_json(c.plans[i].totals) == summary_json(r.totals));
    for (std::uint32_t row = 0; row < net.size(); ++row)
      if (c.plans[i].paid_rank[row] != r.q.rank[net.member_at_row(row)]) FAIL("paid-as rank of row " << row);
    if (i > 0) CHECK(c.plans[i].member_totals != c.plans[0].member_totals);  // the variants do differ
  }
}

struct generated {
  std::filesystem::path dir;
  network net;
  ledger sales;
  explicit generated(std::uint64_t members)
      : dir(std::filesystem::temp_directory_path() / fmt::format("downline_test_compare_sharing_{}", members)),
        net(make_network(dir, members)),
        sales(ledger::from_csv(dir / "sales.csv", net)) {}
  ~generated() { std::filesystem::remove_all(dir); }

  static network make_network(const std::filesystem::path& dir, std::uint64_t members) {
    generate_options g;
    g.members = members;
    g.sales_per_member_milli = 1500;
    generate(g, dir);
    return network::from_csv(dir / "network.csv");
  }
};

std::vector<plan> plans_of(const std::vector<plan_parts>& family) {
  std::vector<plan> rules;
  for (const plan_parts& p : family) rules.push_back(plan::from_json(p.json()));
  return rules;
}

}  // namespace

TEST_CASE("compare: plans differing in each shared part each equal a separate run", "[compare]") {
  const generated data(20'000);
  check_each_equals_its_run(plans_of(plan_family()), data.net, data.sales, {});
}

TEST_CASE("compare: 8 rate variants and others, two plans at a time on a large network", "[compare]") {
  const generated data(300'000);  // above the size where compare runs two plans at once
  std::vector<plan_parts> family = plan_family();
  family.resize(11);  // the 8 rate variants, qualification, ranks, compression
  check_each_equals_its_run(plans_of(family), data.net, data.sales, {});
}

TEST_CASE("compare: plans over different periods, and the same period written two ways", "[compare]") {
  const generated data(5'000);  // sales dated in 2026-01
  const std::vector<plan> rules = plans_of(plan_family());
  std::vector<run_options> options(rules.size());
  for (std::size_t i = 0; i < options.size(); ++i) {
    const char* periods[] = {"2026-01", "2026-01-01..2026-01-31", "2026-01-01..2026-01-15"};
    options[i].period = parse_period(periods[i % 3]);
  }
  check_each_equals_its_run(rules, data.net, data.sales, options);
}

TEST_CASE("compare: qualify_alike compares what qualification reads", "[compare]") {
  const plan a = plan::from_json(plan_parts{"a"}.json());
  CHECK(qualify_alike(a, plan::from_json(plan_parts{"b"}.json())));
  const std::vector<plan_parts> family = plan_family();
  CHECK(qualify_alike(a, plan::from_json(family[11].json())));  // another compression: qualifies alike
  CHECK_FALSE(qualify_alike(a, plan::from_json(family[8].json())));  // active_pv
  CHECK_FALSE(qualify_alike(a, plan::from_json(family[9].json())));  // a rank's requirement
}

TEST_CASE("level_bases: V × rates is each member's exact sum, a sum past int64 does not fit", "[compare]") {
  // Two members, two levels: member 0 earns 300 and 50 on levels 1 and 2, member 1 earns
  // 7 on level 2. With rates 10 and 3: member 0: 10 × 300 + 3 × 50 = 3150; member 1: 21.
  detail::level_bases v(2, 2);
  v.add(0, 1, 100);
  v.add(0, 1, 200);
  v.add(0, 2, 50);
  v.add(1, 2, 7);
  std::vector<exact_t> exact;
  v.pay({10, 3}, exact);
  CHECK(exact == std::vector<exact_t>{3150, 21});
  // A product past 64 bits is exact: 2^62 × 8 = 2^65.
  detail::level_bases big(1, 1);
  big.add(0, 1, std::int64_t{1} << 62);
  big.pay({8}, exact);
  CHECK(exact[0] == static_cast<exact_t>(1) << 65);
  CHECK(big.fits());
  big.add(0, 1, std::int64_t{1} << 62);  // 2^63: past int64
  CHECK_FALSE(big.fits());
}

TEST_CASE("shared_work: one value per equal key, built once", "[compare]") {
  detail::shared_work work;
  int builds = 0;
  auto build = [&] { return ++builds * 10; };
  CHECK(work.get<int>(std::string("a"), build) == 10);
  CHECK(work.get<int>(std::string("a"), build) == 10);
  CHECK(work.get<int>(std::string("b"), build) == 20);
  CHECK(work.get<long>(std::string("a"), [] { return 7L; }) == 7);  // another value type: another entry
  CHECK(builds == 2);
  // A build that throws is tried again by the next caller.
  CHECK_THROWS(work.get<int>(std::string("c"), []() -> int { throw std::runtime_error("no"); }));
  CHECK(work.get<int>(std::string("c"), build) == 30);
}
