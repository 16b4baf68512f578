// SPDX-License-Identifier: MIT
// Level-rate pay for every member in one bottom-up sweep, without walking up the tree:
// shared by matching (levels, compressed levels, generations) and fast_start.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "downline/network.hpp"
#include "downline/types.hpp"

DOWNLINE_BEGIN_NAMESPACE
namespace detail {

/// Depth of every member in the sponsor forest (roots 0) and the largest one. O(n).
inline std::uint32_t sponsor_depths(const network& net, std::vector<std::uint32_t>& depth) {
  const std::uint32_t n = net.size();
  depth.resize(n);
  std::uint32_t max_depth = 0;
  for (member_index m = 0; m < n; ++m) {
    const member_index p = net.parent(m);
    depth[m] = p == none ? 0 : depth[p] + 1;
    max_depth = std::max(max_depth, depth[m]);
  }
  return max_depth;
}

/**
 * For every member a, adds to out[a]
 *
 *     Σ over members d below a of rates[k − 1] × value(d), for k = level(d, a) ≤ unlocked(a),
 *
 * where level(d, a) = 1 + the members m strictly between d and a that count as a level:
 * m counts for d when the level it would occupy (1 + the members counted so far) is at most
 * closes(m). closes(m) is rates.size() or 0 for a member that always or never counts (every
 * member: physical levels; qualified members: dynamic compression; members of a rank:
 * generations), and the levels m's rank unlocks under generous compression.
 * value(m) is a base in millionths; unlocked(m), closes(m) ≤ rates.size().
 *
 * One reverse sweep of the preorder. Between a member's children and the member itself only
 * its own subtree is visited, so one accumulator per depth is enough: the one at depth d + 1
 * holds, by level index, what the children of the member now at depth d pass up. No walk up
 * the tree, whatever its shape. O(n × L) time, O(n + (max depth + 2) × L) memory.
 *
 *     std::vector<exact_t> pay(net.size(), 0);
 *     sweep_levels(net, {100'000, 50'000}, [&](member_index m) { return sales_of[m]; },
 *                  [](member_index) { return 2u; }, [](member_index) { return 2u; }, pay);
 */
template <class Value, class Closes, class Unlocked>
void sweep_levels(const network& net, const std::vector<rate_t>& rates, Value&& value, Closes&& closes,
                  Unlocked&& unlocked, std::vector<exact_t>& out) {
  const std::uint32_t n = net.size();
  const std::size_t levels = rates.size();
  if (levels == 0) return;
  std::vector<std::uint32_t> depth;
  const std::uint32_t max_depth = sponsor_depths(net, depth);
  std::vector<__int128> acc((static_cast<std::size_t>(max_depth) + 2) * levels, 0);
  for (member_index m = n; m-- > 0;) {
    __int128* below = &acc[(static_cast<std::size_t>(depth[m]) + 1) * levels];
    __int128* up = &acc[static_cast<std::size_t>(depth[m]) * levels];
    const std::uint32_t earns = unlocked(m);
    exact_t pay = 0;
    for (std::size_t h = 0; h < earns; ++h) pay += static_cast<exact_t>(rates[h]) * below[h];
    out[m] += pay;
    // m occupies level h + 1 for what is at index h below it: the indices m closes move one
    // level further away (the deepest drops out), the others pass through.
    const std::size_t closed = std::min<std::size_t>(closes(m), levels);
    up[0] += value(m);
    for (std::size_t h = 0; h < closed && h + 1 < levels; ++h) up[h + 1] += below[h];
    for (std::size_t h = closed; h < levels; ++h) up[h] += below[h];
    std::fill(below, below + levels, 0);
  }
}

}  // namespace detail
DOWNLINE_END_NAMESPACE
