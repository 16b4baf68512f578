// SPDX-License-Identifier: MIT
#include "downline/detail/kept_level_bases.hpp"

#include <algorithm>

#include "downline/bonuses/unilevel.hpp"

DOWNLINE_BEGIN_NAMESPACE
namespace detail {

namespace {

/// The plan's bonus as a unilevel whose pay depends on activity alone, or null.
const unilevel_bonus* activity_only_unilevel(const bonus& b) {
  const auto* u = dynamic_cast<const unilevel_bonus*>(&b);
  if (!u || u->min_rank() != no_rank || u->levels().generous || !u->levels().levels_by_rank.empty()) return nullptr;
  return u;
}

}  // namespace

bool kept_level_bases::applies(const plan& rules) {
  if (rules.payout_cap) return false;  // the cap scales each member by everyone's total
  return std::all_of(rules.bonuses.begin(), rules.bonuses.end(),
                     [](const auto& b) { return activity_only_unilevel(*b) != nullptr; });
}

kept_level_bases::kept_level_bases(const plan& rules, const network& net, const member_state& previous,
                                   std::span<const volume_t> pv, std::span<const amount_t> amount)
    : net_(net), active_rule_(rules, previous), active_(net.size()) {
  for (member_index m = 0; m < net.size(); ++m) active_[m] = active_rule_(m, pv[m]);
  for (const auto& b : rules.bonuses) {
    const unilevel_bonus& u = *activity_only_unilevel(*b);
    structure s;
    s.levels = static_cast<std::uint32_t>(u.levels().rates.size());
    s.dynamic = u.levels().dynamic;
    s.paid_on_active = u.levels().paid_on_active;
    s.on_volume = u.on_volume();
    s.require_active = u.require_active();
    auto same = std::find_if(structures_.begin(), structures_.end(), [&](const structure& t) { return t.same_as(s); });
    if (same == structures_.end()) {
      build(s, pv, amount);
      same = structures_.insert(structures_.end(), std::move(s));
    }
    bonuses_.push_back({static_cast<std::size_t>(same - structures_.begin()), &u.levels().rates});
  }
}

void kept_level_bases::build(structure& s, std::span<const volume_t> pv, std::span<const amount_t> amount) {
  const std::uint32_t levels = s.levels;
  s.w.assign(std::size_t{net_.size()} * levels, 0);
  // Children come after their parents: from the last member back, each is complete when
  // reached and adds its part to its parent's bases.
  for (member_index m = net_.size(); m-- > 0;) {
    const member_index p = net_.parent(m);
    if (p == none) continue;
    base_t* up = s.row(p);
    const base_t* own = s.row(m);
    add(up[0], s.base(active_[m], pv[m], amount[m]));
    if (s.counts(active_[m])) {
      for (std::uint32_t k = 1; k < levels; ++k) add(up[k], own[k - 1]);
    } else {
      for (std::uint32_t k = 0; k < levels; ++k) add(up[k], own[k]);
    }
  }
}

void kept_level_bases::update(member_index m, volume_t pv_before, amount_t amount_before, volume_t pv,
                              amount_t amount) noexcept {
  const bool was_active = active_[m], is_active = active_rule_(m, pv);
  const member_index p = net_.parent(m);
  std::vector<base_t> delta;
  for (structure& s : structures_) {
    if (p == none) break;  // a root's bases are its subtree's: unchanged
    delta.assign(s.levels, 0);
    // m's bases reach its parent one level deeper when m takes a level: it now does or no
    // longer does.
    if (s.counts(was_active) != s.counts(is_active)) {
      const base_t* own = s.row(m);
      for (std::uint32_t k = 0; k < s.levels; ++k) {
        const base_t deeper = k > 0 ? own[k - 1] : 0;
        const base_t now = s.counts(is_active) ? deeper : own[k], before = s.counts(is_active) ? own[k] : deeper;
        fits_ &= !__builtin_sub_overflow(now, before, &delta[k]);
      }
    }
    // m's own base reaches its parent at level 1.
    base_t base_change = 0;
    fits_ &= !__builtin_sub_overflow(s.base(is_active, pv, amount), s.base(was_active, pv_before, amount_before),
                                     &base_change);
    add(delta[0], base_change);
    add_up(s, p, delta);
  }
  active_[m] = is_active;
}

void kept_level_bases::add_up(structure& s, member_index from, const std::vector<base_t>& delta) noexcept {
  const auto first = static_cast<std::uint32_t>(
      std::find_if(delta.begin(), delta.end(), [](base_t d) { return d != 0; }) - delta.begin());
  std::uint32_t deeper = 0;  // levels added by the uplines that count, so far
  for (member_index a = from; a != none && first + deeper < s.levels; a = net_.parent(a)) {
    base_t* row = s.row(a);
    for (std::uint32_t k = first; k + deeper < s.levels; ++k) add(row[k + deeper], delta[k]);
    if (s.counts(active_[a])) ++deeper;
  }
}

exact_t kept_level_bases::pay(std::size_t b, member_index m) const noexcept {
  const structure& s = structures_[bonuses_[b].structure];
  if (!s.eligible(active_[m])) return 0;
  const std::vector<rate_t>& rates = *bonuses_[b].rates;
  const base_t* row = s.row(m);
  exact_t sum = 0;
  for (std::uint32_t k = 0; k < s.levels; ++k) sum += static_cast<exact_t>(rates[k]) * row[k];
  return sum;
}

}  // namespace detail
DOWNLINE_END_NAMESPACE
