// SPDX-License-Identifier: MIT
// network_layout.hpp: the placement trees built once per network and passed into every run.
#include "downline/network_layout.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "downline/compare.hpp"
#include "downline/decimal.hpp"
#include "downline/engine.hpp"
#include "downline/error.hpp"
#include "placement_test_support.hpp"

using namespace downline;
using namespace placement_test;

namespace {

const placement_options binary_bfs{true, 2, placement_rule::bfs}, outer_left{true, 2, placement_rule::outer_left},
    matrix3{false, 3, placement_rule::bfs};

/// A binary (outer_left) and a 3-wide matrix over the same placement, and a unilevel that needs none.
const char* const two_trees_plan = R"({"name": "two trees", "qualification": {"active_pv": "0"}, "bonuses": [
    {"name": "team", "type": "binary", "base": "volume", "placement": "outer_left", "rate": "10%"},
    {"name": "grid", "type": "matrix", "width": 3, "depth": 3, "rates": ["5%", "3%", "2%"]},
    {"name": "levels", "type": "unilevel", "rates": ["4%"]}]})";

network sample_network() {
  // A sponsors B..F; B sponsors G and H (outer_left puts B's recruits under B's left line).
  return make_network({{"A", ""}, {"B", "A"}, {"C", "A"}, {"D", "A"}, {"E", "A"}, {"F", "A"}, {"G", "B"}, {"H", "B"},
                       {"I", "C"}});
}

/// Sales dated over two months, so that each period sees different lines.
ledger dated_sales(const network& net) {
  ledger_builder b(net, "sales.csv", true);
  const char* rows[][3] = {{"B", "100", "2026-01-05"}, {"C", "250", "2026-01-20"}, {"G", "40", "2026-01-31"},
                           {"D", "75", "2026-02-02"},  {"H", "300", "2026-02-14"}, {"I", "60", "2026-02-28"},
                           {"E", "10", "2026-02-03"},  {"F", "20", "2026-01-11"}};
  std::size_t line = 2;
  for (auto& r : rows) b.add_text(r[0], r[1], "", "", r[2], "o" + std::to_string(line), line), ++line;
  return std::move(b).build();
}

/// What a run writes that a layout could change: every payout line and the summary.
std::string outcome(const result& r, const plan& rules) {
  std::string s;
  for (const payout_line& p : r.payouts)
    s += std::string(r.net->id(p.member)) + "," + r.bonus_names[p.bonus] + "," +
         format_fixed(p.amount, rules.money_decimals) + "\n";
  return s + r.totals.to_json() + std::to_string(r.lines.size());
}

}  // namespace

TEST_CASE("a layout holds one tree per distinct need, equal to placement", "[layout]") {
  const network net = sample_network();
  const network_layout layout = network_layout::build(net, {matrix3, binary_bfs, matrix3});
  CHECK(layout.belongs_to(net));
  REQUIRE(layout.trees() == std::vector<placement_options>{matrix3, binary_bfs});
  CHECK(layout.find(outer_left) == nullptr);
  for (const placement_options& o : {matrix3, binary_bfs}) {
    const placement_tree built = placement_tree::build(net, o);
    REQUIRE(layout.find(o) == &layout.tree(o));
    CHECK(spots_of(net, layout.tree(o)) == spots_of(net, built));
  }
  CHECK_THAT(error_of<error>([&] { (void)layout.tree(outer_left); }),
             Catch::Contains("without the placement tree 'binary outer_left'"));

  // Reuse shares the trees a layout of the same network holds, and builds only the others.
  const network_layout more = network_layout::build(net, {binary_bfs, outer_left}, &layout);
  CHECK(&more.tree(binary_bfs) == &layout.tree(binary_bfs));
  CHECK(spots_of(net, more.tree(outer_left)) == spots_of(net, placement_tree::build(net, outer_left)));
  // A layout of another network is not reused (its trees would be of other members).
  const network other = sample_network();
  const network_layout fresh = network_layout::build(other, {binary_bfs}, &layout);
  CHECK(&fresh.tree(binary_bfs) != &layout.tree(binary_bfs));
  CHECK(fresh.belongs_to(other));
  CHECK_FALSE(fresh.belongs_to(net));
  // A network moved elsewhere is the same network.
  network original = sample_network();
  const network_layout of_original = network_layout::build(original, {binary_bfs});
  const network moved = std::move(original);
  CHECK(of_original.belongs_to(moved));
}

TEST_CASE("a layout built once gives every run the bytes of a run without one", "[layout][engine]") {
  const network net = sample_network();
  const ledger sales = dated_sales(net);
  const plan rules = plan::from_json(two_trees_plan);
  const network_layout layout = network_layout::build(net, rules);
  REQUIRE(layout.trees() == std::vector<placement_options>{outer_left, matrix3});

  std::optional<member_state> previous, previous_with;
  for (const char* month : {"2026-01", "2026-02"}) {
    for (bool explain : {false, true}) {
      run_options without;
      without.period = parse_period(month);
      without.explain = explain;
      without.state_in = previous ? &*previous : nullptr;
      run_options with = without;
      with.layout = &layout;
      with.state_in = previous_with ? &*previous_with : nullptr;
      const result a = run(rules, net, sales, without), b = run(rules, net, sales, with);
      CHECK(outcome(b, rules) == outcome(a, rules));
      CHECK_FALSE(a.payouts.empty());
      if (explain) {
        previous = a.next_state;
        previous_with = b.next_state;
      }
    }
  }
  // The two months differ (the layout does not freeze anything of a period).
  run_options january, february;
  january.period = parse_period("2026-01");
  february.period = parse_period("2026-02");
  january.layout = february.layout = &layout;
  CHECK(outcome(run(rules, net, sales, january), rules) != outcome(run(rules, net, sales, february), rules));
}

TEST_CASE("a layout of another network, without a tree the plan needs, or empty is refused", "[layout][errors]") {
  const network net = sample_network();
  const ledger sales = dated_sales(net);
  const plan rules = plan::from_json(two_trees_plan);
  run_options options;

  const network other = make_network({{"A", ""}, {"B", "A"}});
  const network_layout foreign = network_layout::build(other, rules);
  options.layout = &foreign;
  CHECK_THAT(error_of<error>([&] { run(rules, net, sales, options); }),
             Catch::Contains("built for another network (2 members; this one has 9) 'network.csv'"));
  // The same shape is still another network.
  const network twin = sample_network();
  const network_layout twins = network_layout::build(twin, rules);
  options.layout = &twins;
  CHECK_THAT(error_of<error>([&] { run(rules, net, sales, options); }),
             Catch::Contains("another network of the same size") && Catch::Contains("'network.csv'"));

  const network_layout binary_only = network_layout::build(net, {outer_left});
  options.layout = &binary_only;
  const std::string missing = error_of<error>([&] { run(rules, net, sales, options); });
  CHECK_THAT(missing, Catch::Contains("no matrix width 3 placement tree, which bonus 'grid' pays over") &&
                          Catch::Contains("'two trees'"));
  try {
    run(rules, net, sales, options);
  } catch (const error& e) {
    CHECK(e.code() == errc::usage);
  }

  const network_layout none_at_all;
  options.layout = &none_at_all;
  CHECK_THAT(error_of<error>([&] { run(rules, net, sales, options); }), Catch::Contains("built for no network"));
  // A plan without placement bonuses needs no tree, but the layout must still be this network's.
  const plan levels = plan::from_json(R"({"name": "l", "bonuses": [{"name": "u", "type": "unilevel", "rates": ["5%"]}]})");
  options.layout = &foreign;
  CHECK_THAT(error_of<error>([&] { run(levels, net, sales, options); }), Catch::Contains("another network"));
  options.layout = &binary_only;
  CHECK_NOTHROW(run(levels, net, sales, options));
}

TEST_CASE("a bad placement is reported by building the layout, and by a run without one", "[layout][errors]") {
  const network net = make_network({{"A", ""}, {"B", "A", "A", "L"}, {"C", "A", "A", "L"}});
  const plan rules = plan::from_json(two_trees_plan);
  CHECK_THAT(error_of<network_error>([&] { network_layout::build(net, rules); }),
             Catch::StartsWith("network.csv:4:") && Catch::Contains("taken twice"));
  const ledger sales = make_ledger(net, {{"B", "10"}});
  CHECK_THAT(error_of<network_error>([&] { run(rules, net, sales); }),
             Catch::StartsWith("network.csv:4:") && Catch::Contains("taken twice"));
}

TEST_CASE("compare shares one layout for the union of its plans' trees", "[layout][compare]") {
  const network net = sample_network();
  const ledger sales = dated_sales(net);
  const plan both = plan::from_json(two_trees_plan);
  const plan bfs = plan::from_json(R"({"name": "bfs", "qualification": {"active_pv": "0"}, "bonuses": [
      {"name": "team", "type": "binary", "base": "volume", "rate": "8%"}]})");
  const std::vector<const plan*> plans{&both, &bfs};
  CHECK(placement_needs(plans) == std::vector<placement_options>{outer_left, matrix3, binary_bfs});

  const comparison built_inside = compare(plans, net, sales);
  const network_layout layout = network_layout::build(net, placement_needs(plans));
  std::vector<run_options> options(2);
  options[0].layout = options[1].layout = &layout;
  const comparison given = compare(plans, net, sales, options);
  for (std::size_t i = 0; i < plans.size(); ++i) {
    CHECK(given.plans[i].member_totals == built_inside.plans[i].member_totals);
    CHECK(given.plans[i].totals.to_json() == built_inside.plans[i].totals.to_json());
    CHECK(given.plans[i].member_totals == outcome_of(run(*plans[i], net, sales), *plans[i]).member_totals);
  }
  // A layout for the first plan alone lacks the second's tree.
  const network_layout first_only = network_layout::build(net, both);
  options[0].layout = options[1].layout = &first_only;
  CHECK_THAT(error_of<error>([&] { compare(plans, net, sales, options); }),
             Catch::Contains("no binary bfs placement tree, which bonus 'team' pays over"));
}
