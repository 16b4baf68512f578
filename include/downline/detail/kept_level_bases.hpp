// SPDX-License-Identifier: MIT
// A session's level bases, kept current as lines arrive: one member's pay from its unilevel
// bonuses is then a product of its bases and the rates, however large its subtree.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "downline/network.hpp"
#include "downline/plan.hpp"
#include "downline/ranks.hpp"
#include "downline/state.hpp"
#include "downline/types.hpp"

DOWNLINE_BEGIN_NAMESPACE
namespace detail {

/**
 * For a plan whose every bonus is a unilevel whose pay depends on activity alone (no
 * min_rank, levels_by_rank or generous compression; no payout cap), per member m and level k:
 *
 *     W(m, k) = Σ base of the buyers below m whose walk would reach m at level k,
 *
 * had m been eligible (with dynamic compression, k − 1 eligible members between them; without,
 * k − 1 members). The bonus pays m Σ_k rate[k] × W(m, k) when m is eligible (the exact sum a
 * run's walk gives: level_bases.hpp), else nothing. W follows from the children:
 *
 *     W(p, k) = Σ over children c of p:  [k = 1] base(c) + (counts(c) ? W(c, k − 1) : W(c, k))
 *
 * where counts(c) means c takes a level (eligible under dynamic compression; always without).
 * A change to one member's base or activity therefore changes only its uplines' bases, and
 * only up to the L-th upline that counts: update() is O(that path × L), where a run is
 * O(members × L). Built in one reverse sweep of the preorder.
 */
class kept_level_bases {
 public:
  /// Whether a plan's pay is of that kind.
  static bool applies(const plan& rules);

  /// From every member's sums in the period (pv, amount) and the previous state (the
  /// look-back of activity). `net`, `rules` and `previous` must outlive it.
  kept_level_bases(const plan& rules, const network& net, const member_state& previous, std::span<const volume_t> pv,
                   std::span<const amount_t> amount);
  // It refers to the state it was built from (activity's look-back): moved with its owner, never copied.
  kept_level_bases(kept_level_bases&&) = default;
  kept_level_bases(const kept_level_bases&) = delete;
  kept_level_bases& operator=(const kept_level_bases&) = delete;

  /// Member m's sums in the period went from (pv_before, amount_before) to (pv, amount): its
  /// activity and base, and its uplines' bases, follow. Members whose sums changed together
  /// are updated one after another, each with its own before and after.
  void update(member_index m, volume_t pv_before, amount_t amount_before, volume_t pv, amount_t amount) noexcept;

  /// False once a base left 64 bits: then pay() is not to be used (the session computes by a
  /// run's stages instead).
  bool fits() const noexcept { return fits_; }

  /// What bonus b of the plan pays m, exact (before rounding).
  exact_t pay(std::size_t b, member_index m) const noexcept;

 private:
  /// The bases of the bonuses that share everything but their rates.
  struct structure {
    std::uint32_t levels = 0;
    bool dynamic = false, paid_on_active = false, on_volume = false, require_active = true;
    std::vector<base_t> w;  // members × levels, a member's levels side by side

    bool same_as(const structure& o) const noexcept {
      return levels == o.levels && dynamic == o.dynamic && paid_on_active == o.paid_on_active &&
             on_volume == o.on_volume && require_active == o.require_active;
    }
    bool eligible(bool active) const noexcept { return active || !(require_active || paid_on_active); }
    bool counts(bool active) const noexcept { return !dynamic || eligible(active); }
    base_t base(bool active, volume_t pv, amount_t amount) const noexcept {
      if (paid_on_active && !active) return 0;  // an inactive member generates nothing
      return on_volume ? pv * (amount_scale / volume_scale) : amount;
    }
    base_t* row(member_index m) noexcept { return w.data() + std::size_t{m} * levels; }
    const base_t* row(member_index m) const noexcept { return w.data() + std::size_t{m} * levels; }
  };

  void build(structure& s, std::span<const volume_t> pv, std::span<const amount_t> amount);
  /// Adds `delta` (levels from 1) to `from`'s bases, and on up: one level deeper past each
  /// upline that counts, until the change is deeper than the levels.
  void add_up(structure& s, member_index from, const std::vector<base_t>& delta) noexcept;
  void add(base_t& cell, base_t value) noexcept { fits_ &= !__builtin_add_overflow(cell, value, &cell); }

  const network& net_;
  activity_rule active_rule_;
  std::vector<std::uint8_t> active_;  // as the bases have it: updated with them
  std::vector<structure> structures_;
  struct paid_bonus {
    std::size_t structure;
    const std::vector<rate_t>* rates;
  };
  std::vector<paid_bonus> bonuses_;  // plan order
  bool fits_ = true;
};

}  // namespace detail
DOWNLINE_END_NAMESPACE
