// SPDX-License-Identifier: MIT
// Per member and level, the base a level bonus pays on: every variant of the bonus's rates
// is then one product (compare evaluates rate variants of a plan from one walk).
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

#include "downline/detail/by_rank.hpp"
#include "downline/detail/parallel.hpp"
#include "downline/types.hpp"

DOWNLINE_BEGIN_NAMESPACE
namespace detail {

/**
 * Everything a level bonus's payments depend on besides its rates, the period's sums and
 * the qualification: two bonuses with equal structures pay each member, level by level, on
 * the same bases (level_bases), so their pay differs only by the rates.
 */
struct level_structure {
  const void* tree = nullptr;  ///< the parent array walked (sponsor tree, a placement tree)
  std::uint32_t levels = 0;
  bool dynamic = false, generous = false, paid_on_active = false, on_volume = false;
  by_rank<std::uint32_t> levels_by_rank;
  rank_index min_rank = no_rank;
  bool require_active = true;
  bool operator==(const level_structure&) const = default;
};

/**
 * V: per member m and level k, Σ base of the buyers whose walk pays m at level k. A bonus
 * with rates r pays m exactly Σ_k r[k] × V(m, k): the same exact sum as walking with the
 * rates, so it rounds to the same amount (SPEC §6 rounds each (member, bonus) once, on its
 * exact sum). O(members × levels) memory.
 */
class level_bases {
 public:
  /// Zeroed on the threads: first touching fresh pages is most of the cost of bases this
  /// large (members × levels × 8 bytes, 64 MB at 1M members and 8 levels).
  level_bases(std::uint32_t members, std::uint32_t levels)
      : levels_(levels), size_(std::size_t{members} * levels), v_(new base_t[size_]) {
    parallel_for(size_, [&](std::size_t, std::size_t begin, std::size_t end) {
      std::fill(v_.get() + begin, v_.get() + end, base_t{0});
    });
  }

  /// V(member, level) += base (level from 1). A sum that leaves base_t marks the bases as
  /// not fitting: the caller then pays by walking, as without them.
  void add(member_index member, std::uint32_t level, base_t base) noexcept {
    base_t& cell = v_[std::size_t{member} * levels_ + level - 1];
    fits_ &= !__builtin_add_overflow(cell, base, &cell);
  }
  bool fits() const noexcept { return fits_; }
  std::uint32_t levels() const noexcept { return levels_; }

  /// exact[m] = Σ_k rates[k] × V(m, k) in 128-bit integers (rates.size() == levels()):
  /// a matrix–vector product (Eigen).
  void pay(const std::vector<rate_t>& rates, std::vector<exact_t>& exact) const;

 private:
  std::uint32_t levels_;
  std::size_t size_;
  std::unique_ptr<base_t[]> v_;  // row-major: a member's levels side by side
  bool fits_ = true;
};

}  // namespace detail
DOWNLINE_END_NAMESPACE
