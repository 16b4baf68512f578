// SPDX-License-Identifier: MIT
// member_status.hpp and network.csv's `status` column (SPEC §2, §10, §11).
#include "downline/member_status.hpp"

#include <catch2/catch.hpp>

#include <string>

#include "downline/error.hpp"
#include "downline/network.hpp"
#include "temp_csv.hpp"
#include "test_support.hpp"

using namespace downline;
using downline_test::error_of;
using downline_test::temp_csv;

TEST_CASE("member status: the three values, empty is active", "[network][settlement]") {
  CHECK(parse_member_status("") == member_status::active);
  CHECK(parse_member_status("active") == member_status::active);
  CHECK(parse_member_status("hold") == member_status::hold);
  CHECK(parse_member_status("terminated") == member_status::terminated);
  CHECK_FALSE(parse_member_status("Hold").has_value());
  CHECK_FALSE(parse_member_status(" active").has_value());
  CHECK(to_string(member_status::terminated) == "terminated");
}

TEST_CASE("network: status column follows members through the renumbering", "[network][settlement]") {
  // kid comes before its sponsor in the file, so rows and preorder numbers differ.
  temp_csv f(
      "id,sponsor_id,status\n"
      "kid,root,hold\n"
      "root,,\n"
      "gone,root,terminated\n"
      "ok,kid,active\n");
  network net = network::from_csv(f.path);
  CHECK(net.status(net.find("kid")) == member_status::hold);
  CHECK(net.status(net.find("root")) == member_status::active);
  CHECK(net.status(net.find("gone")) == member_status::terminated);
  CHECK(net.status(net.find("ok")) == member_status::active);
  CHECK(net.statuses().size() == 4);
}

TEST_CASE("network: no status kept when every member is active", "[network][settlement]") {
  temp_csv with_column("id,sponsor_id,status\nroot,,active\nkid,root,\n");
  CHECK(network::from_csv(with_column.path).statuses().empty());
  temp_csv without("id,sponsor_id\nroot,\n");
  network net = network::from_csv(without.path);
  CHECK(net.statuses().empty());
  CHECK(net.status(0) == member_status::active);

  // A first non-active status after active rows, and rows without a call after it.
  network_builder b("arrays", false);
  b.add("root", "", "", "", "", 0);
  b.add("a", "root", "", "", "", 1);
  b.set_status("terminated");
  b.add("b", "root", "", "", "", 2);
  network built = std::move(b).build();
  CHECK(built.status(built.find("root")) == member_status::active);
  CHECK(built.status(built.find("a")) == member_status::terminated);
  CHECK(built.status(built.find("b")) == member_status::active);
}

TEST_CASE("network: an unknown status names file, line and value", "[network][settlement]") {
  temp_csv f("id,sponsor_id,status\nroot,,\nkid,root,suspended\n");
  CHECK(error_of<network_error>([&] { network::from_csv(f.path); }) ==
        f.at(3) + ": status is not active, hold or terminated 'suspended'");
  network_builder b("network", false);
  b.add("root", "", "", "", "", 0);
  CHECK(error_of<network_error>([&] { b.set_status("HOLD"); }) ==
        "network row 0: status is not active, hold or terminated 'HOLD'");
}
