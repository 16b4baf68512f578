// SPDX-License-Identifier: MIT
// network_file.hpp: a compiled network reads back as the network it was written from.
#include "downline/network_file.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "downline/error.hpp"
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
  write_compiled_network(original, file.path, {binary});
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

  // The saved placement tree is the one placement would build.
  const auto saved = placement_tree::of(loaded, binary);
  const placement_tree built = placement_tree::build(original, binary);
  REQUIRE(saved->size() == built.size());
  for (std::uint32_t p = 0; p < built.size(); ++p) {
    CHECK(saved->member(p) == built.member(p));
    CHECK(saved->parent(p) == built.parent(p));
    CHECK(saved->subtree_end(p) == built.subtree_end(p));
    CHECK(saved->slot(p) == built.slot(p));
  }
}

TEST_CASE("compiled network: a foreign or empty file is named", "[network][network_file]") {
  temp_csv foreign("id,sponsor_id\nA,\n");
  CHECK_THROWS_WITH(read_compiled_network(foreign.path),
                    Catch::Contains(foreign.name()) && Catch::Contains("not a compiled network"));
  temp_csv empty("");
  CHECK_THROWS_AS(read_compiled_network(empty.path), input_error);
}
