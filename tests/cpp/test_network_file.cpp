// SPDX-License-Identifier: MIT
// network_file.hpp: a compiled network reads back as the network it was written from.
#include "downline/network_file.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "downline/engine.hpp"
#include "downline/error.hpp"
#include "test_support.hpp"
#include "temp_csv.hpp"

using namespace downline;
using downline_test::temp_csv;

namespace {
/// A path in the temporary directory, removed at scope exit.
struct temp_path {
  std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("downline_test_" + std::to_string(::getpid()) + ".dlnet");
  ~temp_path() {
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
  }
};
}  // namespace

TEST_CASE("compiled network: everything a network holds comes back", "[network][network_file]") {
  // Recruits before their sponsors, explicit and automatic placement, dates, statuses, a blank
  // line (so line numbers jump), a long id (kept outside the hash slots).
  const std::string long_id(40, 'x');
  temp_csv csv("id,sponsor_id,placement_id,position,joined,status\n"
               "kid,mid,,,2025-03-01,hold\n"
               "root,,,,2024-01-01,\n"
               "\n"
               "mid,root,root,L,,terminated\n" +
               long_id + ",root,,,2025-05-05,active\n");
  const network original = network::from_csv(csv.path);
  const placement_options binary{true, 2, placement_rule::bfs};
  temp_path file;
  const network_layout layout = network_layout::build(original, {binary});
  write_compiled_network(original, file.path, &layout);
  REQUIRE(is_compiled_network(file.path));
  CHECK_FALSE(is_compiled_network(csv.path));

  const network loaded = network::load(file.path);
  REQUIRE(loaded.size() == original.size());
  CHECK(loaded.source() == original.source());
  for (member_index m = 0; m < loaded.size(); ++m) {
    CHECK(loaded.id(m) == original.id(m));
    CHECK(loaded.find(original.id(m)) == m);
    CHECK(loaded.parent(m) == original.parent(m));
    CHECK(loaded.subtree_end(m) == original.subtree_end(m));
    CHECK(loaded.row(m) == original.row(m));
    CHECK(loaded.where(m) == original.where(m));  // "network.csv:5" after the blank line
    CHECK(loaded.joined(m) == original.joined(m));
    CHECK(loaded.status(m) == original.status(m));
    CHECK(loaded.placement_parent(m) == original.placement_parent(m));
    CHECK(loaded.position(m) == original.position(m));
  }
  CHECK(loaded.find("nobody") == none);
  CHECK(loaded.where(loaded.find("mid")) == csv.at(5));
  CHECK(loaded.status(loaded.find("kid")) == member_status::hold);

  // The saved placement tree comes back as the loaded network's layout, the tree placement builds.
  const loaded_network with_layout = load_network(file.path);
  REQUIRE(with_layout.layout.belongs_to(with_layout.net));
  CHECK_FALSE(with_layout.layout.belongs_to(loaded));  // each load is a network of its own
  REQUIRE(with_layout.layout.trees() == std::vector<placement_options>{binary});
  const placement_tree* saved = &with_layout.layout.tree(binary);
  const placement_tree built = placement_tree::build(original, binary);
  REQUIRE(saved->size() == built.size());
  for (std::uint32_t p = 0; p < built.size(); ++p) {
    CHECK(saved->member(p) == built.member(p));
    CHECK(saved->parent(p) == built.parent(p));
    CHECK(saved->subtree_end(p) == built.subtree_end(p));
    CHECK(saved->slot(p) == built.slot(p));
  }
}

TEST_CASE("compiled network: its layout gives the results of the CSV path", "[network][network_file][layout]") {
  temp_csv net_csv("id,sponsor_id\nA,\nB,A\nC,A\nD,A\nE,B\nF,C\nG,D\n");
  temp_csv sales_csv("member_id,amount\nB,100\nC,40\nD,70\nE,25\nF,300\nG,12\n");
  const plan rules = plan::from_json(R"({"name": "p", "qualification": {"active_pv": "0"}, "bonuses": [
      {"name": "team", "type": "binary", "base": "volume", "placement": "outer_right", "rate": "10%"},
      {"name": "grid", "type": "matrix", "width": 3, "depth": 2, "rates": ["5%", "2%"]}]})");
  const network from_csv = network::from_csv(net_csv.path);
  const ledger csv_sales = ledger::from_csv(sales_csv.path, from_csv);
  const result expected = run(rules, from_csv, csv_sales, {});
  REQUIRE(expected.payouts.size() > 2);

  temp_path file;
  const network_layout layout = network_layout::build(from_csv, rules);
  write_compiled_network(from_csv, file.path, &layout);
  const loaded_network loaded = load_network(file.path);
  const ledger sales = ledger::from_csv(sales_csv.path, loaded.net);
  run_options options;
  options.layout = &loaded.layout;
  const result got = run(rules, loaded.net, sales, options);
  REQUIRE(got.payouts.size() == expected.payouts.size());
  for (std::size_t i = 0; i < got.payouts.size(); ++i) {
    CHECK(got.payouts[i].row == expected.payouts[i].row);
    CHECK(got.payouts[i].bonus == expected.payouts[i].bonus);
    CHECK(got.payouts[i].amount == expected.payouts[i].amount);
  }
  CHECK(got.totals.to_json() == expected.totals.to_json());

  // A layout of another network is not saved; a CSV loads with an empty layout of its own.
  CHECK_THAT(downline_test::error_of<error>([&] { write_compiled_network(loaded.net, file.path, &layout); }),
             Catch::Contains("built for another network"));
  const loaded_network csv = load_network(net_csv.path);
  CHECK(csv.layout.belongs_to(csv.net));
  CHECK(csv.layout.trees().empty());
  options.layout = &csv.layout;
  const ledger sales_of_csv = ledger::from_csv(sales_csv.path, csv.net);
  CHECK_THAT(downline_test::error_of<error>([&] { run(rules, csv.net, sales_of_csv, options); }),
             Catch::Contains("no binary outer_right placement tree, which bonus 'team' pays over"));
  // Building from a loaded layout shares what it holds.
  const network_layout again = network_layout::build(loaded.net, rules, &loaded.layout);
  CHECK(&again.tree(layout.trees()[0]) == &loaded.layout.tree(layout.trees()[0]));
}

TEST_CASE("compiled network: a foreign or empty file is named", "[network][network_file]") {
  temp_csv foreign("id,sponsor_id\nA,\n");
  CHECK_THROWS_WITH(read_compiled_network(foreign.path),
                    Catch::Contains(foreign.name()) && Catch::Contains("not a compiled network"));
  temp_csv empty("");
  CHECK_THROWS_AS(read_compiled_network(empty.path), input_error);
}
