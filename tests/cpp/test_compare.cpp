// SPDX-License-Identifier: MIT
// compare: several plans over one network and ledger equal separate runs (issue 13).
#include <filesystem>
#include <string>

#include <catch2/catch.hpp>

#include "downline/compare.hpp"
#include "downline/decimal.hpp"
#include "downline/error.hpp"
#include "downline/generate.hpp"
#include "downline/summary_json.hpp"
#include "test_support.hpp"

using namespace downline;

namespace {
const std::string unilevel_plan = R"({"name": "A", "qualification": {"active_pv": "50"},
  "ranks": [{"name": "Associate", "pv": "50"}, {"name": "Manager", "pv": "100", "gv": "2000"}],
  "bonuses": [{"name": "level", "type": "unilevel", "rates": ["10%", "5%", "3%"], "compression": "dynamic"}]})";
const std::string other_plan = R"({"name": "B", "qualification": {"active_pv": "100"},
  "ranks": [{"name": "Associate", "pv": "50"}],
  "bonuses": [{"name": "level", "type": "unilevel", "rates": ["7%", "7%"]},
              {"name": "pool", "type": "pool", "share": "2%"}], "payout_cap": "9%"})";

// Each member's total payout of one run, in network-file row order.
std::vector<minor_t> totals_by_row(const result& r) {
  std::vector<minor_t> t(r.net->size(), 0);
  for (const payout_line& p : r.payouts) t[r.net->row(p.member)] += p.amount;
  return t;
}

void check_equals_runs(const network& net, const ledger& sales) {
  const plan a = plan::from_json(unilevel_plan), b = plan::from_json(other_plan);
  const comparison c = compare({&a, &b}, net, sales);
  REQUIRE(c.plans.size() == 2);
  const plan* plans[] = {&a, &b};
  for (std::size_t i = 0; i < 2; ++i) {
    const result r = run(*plans[i], net, sales);
    CHECK(c.plans[i].member_totals == totals_by_row(r));
    CHECK(summary_json(c.plans[i].totals) == summary_json(r.totals));
    std::vector<rank_index> ranks_by_row(net.size());
    for (std::uint32_t row = 0; row < net.size(); ++row) ranks_by_row[row] = r.q.rank[net.member_at_row(row)];
    CHECK(c.plans[i].paid_rank == ranks_by_row);
  }
  CHECK(c.plans[0].member_totals != c.plans[1].member_totals);
}
}  // namespace

TEST_CASE("compare: each plan's totals equal a separate run", "[compare]") {
  const auto dir = std::filesystem::path(DOWNLINE_TEST_DATA).parent_path().parent_path() / "examples" / "data" / "demo";
  const network net = network::from_csv(dir / "network.csv");
  const ledger sales = ledger::from_csv(dir / "sales.csv", net);
  check_equals_runs(net, sales);
}

TEST_CASE("compare: two plans at a time on a large network give the same totals", "[compare]") {
  const auto dir = std::filesystem::temp_directory_path() / "downline_test_compare";
  generate_options g;
  g.members = 300'000;  // above the size where compare runs two plans at once
  g.sales_per_member_milli = 1000;
  generate(g, dir);
  const network net = network::from_csv(dir / "network.csv");
  const ledger sales = ledger::from_csv(dir / "sales.csv", net);
  check_equals_runs(net, sales);
  std::filesystem::remove_all(dir);
}

TEST_CASE("compare: plan names must differ", "[compare]") {
  const auto dir = std::filesystem::path(DOWNLINE_TEST_DATA).parent_path().parent_path() / "examples" / "data" / "demo";
  const network net = network::from_csv(dir / "network.csv");
  const ledger sales = ledger::from_csv(dir / "sales.csv", net);
  const plan a = plan::from_json(unilevel_plan), b = plan::from_json(unilevel_plan);
  CHECK(downline_test::error_of<plan_error>([&] { compare({&a, &b}, net, sales); }) ==
        "plans 1 and 2 have the same name; compared plans need distinct names 'A'");
  CHECK(downline_test::error_of<error>([&] { compare({&a, &b}, net, sales, std::vector<run_options>(1)); }) ==
        "compare: 2 plans but 1 run options");
}
