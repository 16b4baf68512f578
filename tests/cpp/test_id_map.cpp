// SPDX-License-Identifier: MIT
// detail/id_map.hpp: ids inline in 16-byte slots up to 11 bytes, in the arena beyond.
#include "downline/detail/id_map.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <unordered_map>
#include <vector>

using namespace downline;
using downline::detail::id_map;

namespace {
id_map indexed(const std::vector<std::string>& keys) {
  id_map ids;
  for (const auto& k : keys) ids.append(k);
  auto [first, second] = ids.build_index();
  REQUIRE(first == none);
  REQUIRE(second == none);
  return ids;
}
}  // namespace

TEST_CASE("keys of every length around the inline limit are found, and only they", "[id_map]") {
  std::vector<std::string> keys;
  for (std::size_t len = 1; len <= 64; ++len) {
    keys.push_back(std::string(len, 'x'));
    keys.push_back(std::string(len - 1, 'x') + 'y');  // same length, last byte differs
  }
  const id_map ids = indexed(keys);
  for (std::uint32_t i = 0; i < keys.size(); ++i) {
    INFO("key '" << keys[i] << "'");
    CHECK(ids.find(keys[i]) == i);
    CHECK(ids.id(i) == keys[i]);
  }
  // Prefixes and extensions of present keys are absent.
  CHECK(ids.find(std::string(65, 'x')) == none);
  CHECK(ids.find(std::string(11, 'x') + 'z') == none);
  CHECK(ids.find(std::string(10, 'x') + 'z') == none);
  CHECK(ids.find("z") == none);
}

TEST_CASE("keys that differ only by trailing NUL bytes or length are different keys", "[id_map]") {
  using namespace std::string_literals;
  const std::vector<std::string> keys = {"A"s, "A\0"s, "A\0\0"s, std::string(11, '\0'), std::string(12, '\0'),
                                         std::string(10, '\0') + "B"s};
  const id_map ids = indexed(keys);
  for (std::uint32_t i = 0; i < keys.size(); ++i) CHECK(ids.find(keys[i]) == i);
  CHECK(ids.find(std::string(1, '\0')) == none);
  CHECK(ids.find(std::string(13, '\0')) == none);
}

TEST_CASE("the first key seen twice is reported with its first index, short or long", "[id_map]") {
  for (const std::string& dup : {std::string("M00000001"), std::string("a-member-id-longer-than-eleven")}) {
    id_map ids;
    ids.append("A");
    ids.append(dup);
    ids.append("B");
    ids.append(dup);
    ids.append("A");  // a later duplicate: the first one found in index order is reported
    auto [first, second] = ids.build_index();
    CHECK(first == 1);
    CHECK(second == 3);
  }
}

TEST_CASE("many keys agree with std::unordered_map, before and after renumbering", "[id_map]") {
  std::vector<std::string> keys;
  std::unordered_map<std::string, std::uint32_t> oracle;
  std::uint64_t x = 42;
  while (keys.size() < 20'000) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    // Lengths 1..20 so both slot layouts are exercised; digits and letters as real ids are.
    std::string k = std::to_string(x >> 20).substr(0, 1 + (x >> 59) % 20);
    if (oracle.emplace(k, static_cast<std::uint32_t>(keys.size())).second) keys.push_back(k);
  }
  id_map ids = indexed(keys);
  for (const auto& [k, i] : oracle) REQUIRE(ids.find(k) == i);
  std::vector<std::uint32_t> to(keys.size());
  for (std::uint32_t i = 0; i < to.size(); ++i) to[i] = static_cast<std::uint32_t>(to.size()) - 1 - i;
  ids.renumber(to);
  for (const auto& [k, i] : oracle) {
    REQUIRE(ids.find(k) == to[i]);
    REQUIRE(ids.id(i) == k);  // id() keeps insertion order
  }
  CHECK(ids.find("not-a-key") == none);
}

TEST_CASE("keys differing in any single byte position are different keys", "[id_map]") {
  // Keys are read with overlapping fixed-size loads: every byte of every length must count.
  std::vector<std::string> keys;
  for (std::size_t len = 1; len <= 20; ++len) {
    keys.push_back(std::string(len, 'a'));
    for (std::size_t at = 0; at < len; ++at) {
      std::string k(len, 'a');
      k[at] = 'b';
      keys.push_back(k);
    }
  }
  const id_map ids = indexed(keys);
  for (std::uint32_t i = 0; i < keys.size(); ++i) CHECK(ids.find(keys[i]) == i);
  CHECK(ids.find("ab") == 4);  // after "a", "b", "aa", "ba"
  CHECK(ids.find("abb") == none);
}

TEST_CASE("find_each gives what find gives, in order, and stops when asked", "[id_map]") {
  std::vector<std::string> keys;
  for (int i = 0; i < 1000; ++i) keys.push_back("M" + std::to_string(i * 7919 % 100'003));
  const id_map ids = indexed(keys);
  std::vector<std::string> queries;
  for (int i = 0; i < 3000; ++i) queries.push_back(i % 5 == 0 ? "absent" + std::to_string(i) : keys[i * 31 % keys.size()]);
  std::vector<std::uint32_t> got;
  ids.find_each(
      0, queries.size(), [&](std::size_t i) { return std::string_view(queries[i]); },
      [&](std::size_t i, std::uint32_t index, std::string_view key) {
        REQUIRE(i == got.size());
        REQUIRE(key == queries[i]);
        got.push_back(index);
        return true;
      });
  REQUIRE(got.size() == queries.size());
  for (std::size_t i = 0; i < queries.size(); ++i) CHECK(got[i] == ids.find(queries[i]));

  // A sub-range, stopped at its third key.
  std::vector<std::size_t> seen;
  ids.find_each(
      10, 20, [&](std::size_t i) { return std::string_view(queries[i]); },
      [&](std::size_t i, std::uint32_t, std::string_view) {
        seen.push_back(i);
        return seen.size() < 3;
      });
  CHECK(seen == std::vector<std::size_t>{10, 11, 12});
}
