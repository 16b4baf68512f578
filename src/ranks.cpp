// SPDX-License-Identifier: MIT
#include "downline/ranks.hpp"

#include <algorithm>
#include <string>

#include "downline/error.hpp"

DOWNLINE_BEGIN_NAMESPACE

activity_rule::activity_rule(const plan& rules, const member_state& previous)
    : active_pv_(rules.active_pv),
      look_back_(rules.active_periods - 1),
      last_active_(previous.find(engine_keys::last_active.name)) {}

qualification qualify(const plan& rules, const network& net, std::vector<volume_t> pv, const member_state& previous) {
  const std::uint32_t n = net.size();
  qualification q;
  q.pv = std::move(pv);
  q.gv.assign(n, 0);
  q.rank.assign(n, no_rank);
  q.active.assign(n, 0);
  const bool has_ranks = !rules.ranks.empty();
  if (has_ranks) {
    q.qualified_rank.assign(n, no_rank);
    q.grace.assign(n, 0);
  }
  // History (SPEC §7.3): the previous period's paid-as rank and grace, and the look-back.
  const activity_rule active(rules, previous);
  const std::vector<std::int64_t>* paid_before = previous.find(engine_keys::paid_rank.name);
  const std::vector<std::int64_t>* grace_before = previous.find(engine_keys::grace.name);
  // Paid-as rank from the qualified rank qr: kept at the previous one by grace (SPEC §7.3).
  auto paid_as = [&](member_index m, rank_index qr) -> std::pair<rank_index, std::uint32_t> {
    const auto before = static_cast<rank_index>(paid_before ? (*paid_before)[m] : no_rank);
    const std::int64_t grace = grace_before ? (*grace_before)[m] : 0;
    if (qr >= before) return {qr, 0};
    if (grace < rules.grace_periods) return {before, static_cast<std::uint32_t>(grace + 1)};
    return {qr, 0};
  };
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
    q.active[m] = active(m, q.pv[m]);
    if (__builtin_add_overflow(q.gv[m], q.pv[m], &q.gv[m])) throw overflow(m);
    rank_index qualified = no_rank;
    for (std::size_t r = rules.ranks.size(); r-- > 0;) {
      if (meets(m, rules.ranks[r])) {
        qualified = static_cast<rank_index>(r);
        break;
      }
    }
    if (has_ranks) {
      const auto [paid, grace] = paid_as(m, qualified);
      q.rank[m] = paid;
      q.qualified_rank[m] = qualified;
      q.grace[m] = grace;
    }
    best_in_subtree[m] = std::max(best_in_subtree[m], q.rank[m]);
    if (const member_index up = parent[m]; up != none) {
      if (__builtin_add_overflow(q.gv[up], contribution(m), &q.gv[up])) throw overflow(up);
      best_in_subtree[up] = std::max(best_in_subtree[up], best_in_subtree[m]);
    }
  }
  return q;
}

bool qualify_alike(const plan& a, const plan& b) noexcept {
  return a.active_pv == b.active_pv && a.active_periods == b.active_periods && a.grace_periods == b.grace_periods &&
         a.ranks == b.ranks && a.breakaway_rank == b.breakaway_rank;
}

void record_history(const plan& rules, qualification& q, const member_state& previous, member_state& next) {
  const auto n = static_cast<std::uint32_t>(q.pv.size());
  // last_active follows PV alone (not the look-back, not overrides), and is kept only while
  // a later period's look-back can still reach it.
  if (rules.active_periods > 1) {
    const std::vector<std::int64_t>* before = previous.find(engine_keys::last_active.name);
    std::vector<std::int64_t>& after = next.column(engine_keys::last_active, n);
    const std::int64_t keep_below = rules.active_periods - 1;
    for (member_index m = 0; m < n; ++m) {
      std::int64_t v = engine_keys::last_active.none;
      if (q.pv[m] >= rules.active_pv) v = 0;
      else if (before && (*before)[m] >= 0) v = (*before)[m] + 1;
      after[m] = v < keep_below ? v : engine_keys::last_active.none;
    }
  }
  if (rules.ranks.empty()) return;
  const std::vector<std::int64_t>* title_before = previous.find(engine_keys::title_rank.name);
  q.title_rank.resize(n);
  std::vector<std::int64_t>& paid = next.column(engine_keys::paid_rank, n);
  std::vector<std::int64_t>& title = next.column(engine_keys::title_rank, n);
  std::vector<std::int64_t>& grace = next.column(engine_keys::grace, n);
  for (member_index m = 0; m < n; ++m) {
    const auto earlier = static_cast<rank_index>(title_before ? (*title_before)[m] : no_rank);
    q.title_rank[m] = std::max(earlier, q.rank[m]);
    paid[m] = q.rank[m];
    title[m] = q.title_rank[m];
    grace[m] = q.grace[m];
  }
}

DOWNLINE_END_NAMESPACE
