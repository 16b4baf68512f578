// SPDX-License-Identifier: MIT
// detail/id_list.hpp: ids behind their lengths, read in order or at random.
#include "downline/detail/id_list.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using downline::detail::id_list;

TEST_CASE("id_list gives back every id, empty and long ones too, in order and at random", "[id_list]") {
  // More ids than a few strides; lengths 0 … 299 cross the one-byte length (254).
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < 3 * id_list::stride + 17; ++i)
    ids.push_back(std::string(i % 300, static_cast<char>('a' + i % 26)) + (i % 7 ? std::to_string(i) : ""));
  ids[5] = "";
  id_list list;
  for (const auto& id : ids) list.push_back(id);
  REQUIRE(list.size() == ids.size());

  auto cursor = list.from(0);
  for (std::size_t i = 0; i < ids.size(); ++i) REQUIRE(cursor.next() == ids[i]);
  for (std::size_t i : {std::size_t{0}, std::size_t{5}, id_list::stride - 1, id_list::stride, id_list::stride + 1,
                        2 * id_list::stride + 300, ids.size() - 1}) {
    CHECK(list[i] == ids[i]);
    auto from_here = list.from(i);
    for (std::size_t k = i; k < std::min(ids.size(), i + 500); ++k) REQUIRE(from_here.next() == ids[k]);
  }
  list.clear();
  CHECK(list.size() == 0);
}

TEST_CASE("id_list::append gives the ids of both lists, every position findable", "[id_list]") {
  // Splits before, at and after a stride boundary, with long ids (length above 254) in both.
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < 2 * id_list::stride + 40; ++i)
    ids.push_back(i % 97 == 3 ? std::string(260 + i % 5, 'x') : "m" + std::to_string(i));
  for (std::size_t split : {std::size_t{0}, std::size_t{1}, id_list::stride - 1, id_list::stride, id_list::stride + 7,
                            ids.size()}) {
    INFO("split at " << split);
    id_list first, rest;
    for (std::size_t i = 0; i < split; ++i) first.push_back(ids[i]);
    for (std::size_t i = split; i < ids.size(); ++i) rest.push_back(ids[i]);
    first.append(rest);
    REQUIRE(first.size() == ids.size());
    auto cursor = first.from(0);
    for (std::size_t i = 0; i < ids.size(); ++i) REQUIRE(cursor.next() == ids[i]);
    for (std::size_t i = 0; i < ids.size(); i += 331) REQUIRE(first[i] == ids[i]);  // through the checkpoints
    CHECK(first[ids.size() - 1] == ids.back());
    CHECK(first[id_list::stride] == ids[id_list::stride]);
    CHECK(first[2 * id_list::stride + 1] == ids[2 * id_list::stride + 1]);
  }
}
