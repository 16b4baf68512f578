// SPDX-License-Identifier: MIT
#include "downline/ranks.hpp"

#include <algorithm>
#include <string>

#include "downline/error.hpp"

DOWNLINE_BEGIN_NAMESPACE

qualification qualify(const plan& rules, const network& net, std::vector<volume_t> pv) {
  const std::uint32_t n = net.size();
  qualification q;
  q.pv = std::move(pv);
  q.gv.assign(n, 0);
  q.rank.assign(n, no_rank);
  q.active.assign(n, 0);
  std::vector<rank_index> best_in_subtree(n, no_rank);
  const rank_index breakaway = rules.breakaway_rank;

  // What a sponsored member's leg adds to its sponsor's GV: nothing for a breakaway group.
  auto contribution = [&](member_index c) -> volume_t {
    return breakaway != no_rank && q.rank[c] >= breakaway ? 0 : q.gv[c];
  };
  auto meets = [&](member_index m, const rank_definition& r) {
    if (r.active && !q.active[m]) return false;
    if (r.pv && q.pv[m] < *r.pv) return false;
    if (r.gv) {
      if (!r.max_leg_share) {
        if (q.gv[m] < *r.gv) return false;
      } else {
        // Each leg counts at most share × requirement; compare in 10^-10 of a point.
        const __int128 leg_cap = static_cast<__int128>(*r.max_leg_share) * *r.gv;
        __int128 capped = static_cast<__int128>(q.pv[m]) * rate_scale;
        net.for_each_child(m, [&](member_index c) {
          capped += std::min<__int128>(static_cast<__int128>(contribution(c)) * rate_scale, leg_cap);
        });
        if (capped < static_cast<__int128>(*r.gv) * rate_scale) return false;
      }
    }
    for (const leg_requirement& leg : r.legs) {
      std::uint32_t legs = 0;
      net.for_each_child(m, [&](member_index c) { legs += best_in_subtree[c] >= leg.rank; });
      if (legs < leg.count) return false;
    }
    return true;
  };

  // Bottom-up in one reverse sweep over the preorder: when m is reached its children are
  // done and have added their GV contributions and best ranks into m's slots, so m is
  // finished in place and then adds its own into its parent's (no walk over children).
  const std::vector<member_index>& parent = net.parents();
  auto overflow = [&](member_index who) {
    return overflow_error("the group volume of member '" + std::string(net.id(who)) + "' overflows");
  };
  for (member_index m = n; m-- > 0;) {
    q.active[m] = q.pv[m] >= rules.active_pv;
    if (__builtin_add_overflow(q.gv[m], q.pv[m], &q.gv[m])) throw overflow(m);
    for (std::size_t r = rules.ranks.size(); r-- > 0;) {
      if (meets(m, rules.ranks[r])) {
        q.rank[m] = static_cast<rank_index>(r);
        break;
      }
    }
    best_in_subtree[m] = std::max(best_in_subtree[m], q.rank[m]);
    if (const member_index up = parent[m]; up != none) {
      if (__builtin_add_overflow(q.gv[up], contribution(m), &q.gv[up])) throw overflow(up);
      best_in_subtree[up] = std::max(best_in_subtree[up], best_in_subtree[m]);
    }
  }
  return q;
}

DOWNLINE_END_NAMESPACE
