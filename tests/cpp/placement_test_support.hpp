// SPDX-License-Identifier: MIT
// Helpers for the placement, binary and matrix tests: in-memory networks with placement
// columns, random ones, and a slow, obviously correct reference placement to compare with.
#pragma once

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <deque>
#include <map>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "downline/engine.hpp"
#include "downline/placement.hpp"
#include "test_support.hpp"

namespace placement_test {

using namespace downline;

/// One network row: id, sponsor ("" for a root), placement parent and position ("" = automatic).
struct row {
  std::string id, sponsor, placement = "", position = "";
};

/// Rows in file order; member i is on line i + 2 of "network.csv".
inline network make_network(const std::vector<row>& rows) {
  network_builder b("network.csv", true);
  b.reserve(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) b.add(rows[i].id, rows[i].sponsor, rows[i].placement, rows[i].position, "", i + 2);
  return std::move(b).build();
}

struct sale {
  std::string id, amount, volume = "";
};

inline ledger make_ledger(const network& net, const std::vector<sale>& sales) {
  ledger_builder b(net, "sales.csv", true);
  for (std::size_t i = 0; i < sales.size(); ++i)
    b.add_text(sales[i].id, sales[i].amount, sales[i].volume, "", "", fmt::format("o{}", i + 1), i + 2);
  return std::move(b).build();
}

using downline_test::error_of;

/// Where the reference put a member: parent id ("" for a root) and 0-based slot.
struct spot {
  std::string parent;
  int slot = -1;
  bool operator==(const spot&) const = default;
};

/**
 * SPEC §2 / §5.2 / §5.3 placement written the slow and plain way: explicit links first (file
 * order), then the enrolment order by repeated scans, then for each automatic member a fresh
 * breadth-first search (or a walk down the outer line) and a walk up to refuse cycles.
 * O(n²); throws std::runtime_error on any placement error. Result by file row.
 */
inline std::vector<spot> reference_placement(const std::vector<row>& rows, std::uint32_t width, bool binary,
                                             placement_rule rule) {
  const int n = static_cast<int>(rows.size());
  std::map<std::string, int> at;
  for (int r = 0; r < n; ++r) at[rows[r].id] = r;
  std::vector<std::vector<int>> kids(n, std::vector<int>(width, -1));
  std::vector<int> parent(n, -1), slot(n, -1);
  auto climbs_to = [&](int from, int target) {
    for (int v = from; v != -1; v = parent[v])
      if (v == target) return true;
    return false;
  };
  for (int r = 0; r < n; ++r) {
    if (rows[r].placement.empty() && rows[r].position.empty()) continue;
    if (rows[r].placement.empty() || rows[r].position.empty()) throw std::runtime_error("half a placement");
    const int p = at.at(rows[r].placement);
    int s = -1;
    if (binary) s = rows[r].position == "L" ? 0 : rows[r].position == "R" ? 1 : -1;
    else if (std::all_of(rows[r].position.begin(), rows[r].position.end(), ::isdigit)) s = std::stoi(rows[r].position) - 1;
    if (s < 0 || s >= static_cast<int>(width)) throw std::runtime_error("bad position");
    if (kids[p][s] != -1) throw std::runtime_error("taken twice");
    if (climbs_to(p, r)) throw std::runtime_error("cycle");
    kids[p][s] = r;
    parent[r] = p;
    slot[r] = s;
  }
  std::vector<int> order;
  std::vector<bool> taken(n, false);
  for (int k = 0; k < n; ++k)
    for (int r = 0; r < n; ++r)
      if (!taken[r] && (rows[r].sponsor.empty() || taken[at.at(rows[r].sponsor)])) {
        taken[r] = true;
        order.push_back(r);
        break;
      }
  for (int r : order) {
    if (!rows[r].placement.empty() || rows[r].sponsor.empty()) continue;
    const int s = at.at(rows[r].sponsor);
    int v = -1, free_slot = -1;
    if (rule == placement_rule::bfs || !binary) {
      std::deque<int> queue{s};
      while (free_slot < 0) {
        v = queue.front();
        queue.pop_front();
        for (int k = 0; k < static_cast<int>(width) && free_slot < 0; ++k)
          if (kids[v][k] == -1) free_slot = k;
        for (int k = 0; k < static_cast<int>(width); ++k)
          if (kids[v][k] != -1) queue.push_back(kids[v][k]);
      }
    } else {
      free_slot = rule == placement_rule::outer_left ? 0 : 1;
      for (v = s; kids[v][free_slot] != -1;) v = kids[v][free_slot];
    }
    if (climbs_to(v, r)) throw std::runtime_error("cycle");
    kids[v][free_slot] = r;
    parent[r] = v;
    slot[r] = free_slot;
  }
  std::vector<spot> out(n);
  for (int r = 0; r < n; ++r) out[r] = {parent[r] < 0 ? "" : rows[parent[r]].id, slot[r] < 0 ? -1 : slot[r]};
  return out;
}

/// The tree's answer in the reference's terms, by file row.
inline std::vector<spot> spots_of(const network& net, const placement_tree& t) {
  std::vector<spot> out(net.size());
  for (std::uint32_t r = 0; r < net.size(); ++r) {
    const member_index m = net.member_at_row(r);
    const member_index p = t.parent_member(m);
    out[r] = p == none ? spot{"", -1} : spot{std::string(net.id(p)), static_cast<int>(t.slot(t.index(m)))};
  }
  return out;
}

/// A deterministic pseudo-random source (no std distributions: same cases everywhere).
struct dice {
  std::mt19937 gen;
  explicit dice(std::uint32_t seed) : gen(seed) {}
  std::uint32_t below(std::uint32_t n) { return static_cast<std::uint32_t>(gen() % n); }
  bool chance(std::uint32_t percent) { return below(100) < percent; }
};

/**
 * A random network of n members in shuffled file order: sponsors are earlier members (often
 * recent ones, so chains run deep; a few roots); about `explicit_percent`% of the members are
 * placed explicitly under an earlier member at a free position. Placing explicitly only under
 * earlier members keeps every such network free of cycles.
 */
inline std::vector<row> random_rows(dice& d, std::uint32_t n, std::uint32_t width, bool binary,
                                    std::uint32_t explicit_percent) {
  std::vector<row> rows;
  std::set<std::pair<std::uint32_t, std::uint32_t>> used;
  for (std::uint32_t i = 0; i < n; ++i) {
    row r{"m" + std::to_string(i), ""};
    if (i > 0 && !d.chance(4))
      r.sponsor = "m" + std::to_string(d.chance(50) ? i - 1 - d.below(std::min<std::uint32_t>(i, 3)) : d.below(i));
    if (i > 0 && d.chance(explicit_percent)) {
      const std::uint32_t p = d.below(i), s = d.below(width);
      if (used.insert({p, s}).second) {
        r.placement = "m" + std::to_string(p);
        r.position = binary ? (s == 0 ? "L" : "R") : std::to_string(s + 1);
      }
    }
    rows.push_back(r);
  }
  for (std::uint32_t i = n; i > 1; --i) std::swap(rows[i - 1], rows[d.below(i)]);
  return rows;
}

}  // namespace placement_test
