// SPDX-License-Identifier: MIT
// A plan value that depends on the earner's paid-as rank ({"Gold": "12%", "Diamond": "15%"}):
// levels_by_rank, a binary's rate/pay/cap_by_rank, a pool's shares_by_rank (SPEC §5).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "downline/bonus.hpp"
#include "downline/plan.hpp"

DOWNLINE_BEGIN_NAMESPACE
namespace detail {

/**
 * A by-rank table: a member's entry is the one of the highest listed rank at or below its
 * paid-as rank; below every listed rank it has none (the caller falls back to the plain
 * key, or to 0). Looked up in O(1) through a table indexed by rank.
 *
 *     auto rates = by_rank<rate_t>::read(node["rate_by_rank"], ctx,
 *                                        [](const config_node& v) { return v.as_rate(); });
 *     const rate_t* r = rates.find(q.rank[m]);   // nullptr: below every listed rank
 */
template <class T>
class by_rank {
 public:
  by_rank() = default;

  /// Reads an object of rank name → value; `read` converts each value (and may reject it
  /// with its path). A rank the plan does not define, or an empty table, is an error
  /// naming the path.
  template <class Read>
  static by_rank read(const config_node& table, const bonus_context& ctx, Read&& read) {
    by_rank t;
    table.for_each_member([&](const std::string& rank_name, const config_node& value) {
      const rank_index rank = ctx.rules.find_rank(rank_name);
      if (rank == no_rank) value.fail("rank is not defined in the plan's ranks", rank_name);
      t.entries_.emplace_back(rank, read(value));
    });
    if (t.entries_.empty()) table.fail("a by-rank table must list at least one rank");
    std::sort(t.entries_.begin(), t.entries_.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    // entry_[r + 1]: the entry for paid-as rank r (no_rank included), or -1.
    t.entry_.assign(ctx.rules.ranks.size() + 1, -1);
    std::size_t e = 0;
    for (std::size_t slot = 1; slot < t.entry_.size(); ++slot) {
      const auto rank = static_cast<rank_index>(slot - 1);
      while (e < t.entries_.size() && t.entries_[e].first <= rank) ++e;
      t.entry_[slot] = static_cast<std::int32_t>(e) - 1;
    }
    return t;
  }

  bool empty() const noexcept { return entries_.empty(); }

  /// The value for paid-as rank r, or nullptr when r is below every listed rank.
  const T* find(rank_index r) const noexcept {
    if (entry_.empty()) return nullptr;
    const std::int32_t e = entry_[static_cast<std::size_t>(r + 1)];
    return e < 0 ? nullptr : &entries_[static_cast<std::size_t>(e)].second;
  }

  /// The listed rank whose value applies to paid-as rank r, or no_rank (for explanations).
  rank_index listed_rank(rank_index r) const noexcept {
    if (entry_.empty()) return no_rank;
    const std::int32_t e = entry_[static_cast<std::size_t>(r + 1)];
    return e < 0 ? no_rank : entries_[static_cast<std::size_t>(e)].first;
  }

  /// (rank, value) pairs, lowest rank first.
  const std::vector<std::pair<rank_index, T>>& entries() const noexcept { return entries_; }

  bool operator==(const by_rank&) const = default;

 private:
  std::vector<std::pair<rank_index, T>> entries_;
  std::vector<std::int32_t> entry_;
};

}  // namespace detail
DOWNLINE_END_NAMESPACE
