// SPDX-License-Identifier: MIT
// The interface every bonus type implements, and what it sees of one period.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "downline/config.hpp"
#include "downline/ledger.hpp"
#include "downline/network.hpp"
#include "downline/types.hpp"

DOWNLINE_BEGIN_NAMESPACE

class plan;

/// A paid rank index into plan::ranks, or `no_rank` below the first rank.
using rank_index = std::int16_t;
inline constexpr rank_index no_rank = -1;

/// Per member (preorder index): what ranks and qualification found, before any bonus.
struct qualification {
  std::vector<volume_t> pv, gv;
  std::vector<rank_index> rank;
  std::vector<std::uint8_t> active;
};

/// One explanation line (SPEC §8): `amount` is exact and unrounded.
struct explanation {
  member_index earner;
  member_index source;    ///< buyer or downline earner, `none` when not one member
  std::uint32_t line;     ///< ledger line index, or `none`
  std::uint32_t level;    ///< level / generation (0 when not level-based)
  base_t base;            ///< in millionths (amounts, volumes × 100, minor amounts rescaled)
  rate_t rate;
  exact_t amount;
  std::uint16_t bonus = 0;  ///< plan index of the bonus (set by the engine)
};

/// What one bonus produced for one period.
struct bonus_result {
  std::vector<exact_t> exact;     ///< per member, unrounded; the engine rounds each once
  std::vector<minor_t> rounded;   ///< per member, after rounding (filled by the engine)
  std::vector<explanation> lines; ///< when explanations are asked for
  /// Extra summary figures ("volume_matched" → "1234.5"), in a fixed order.
  std::vector<std::pair<std::string, std::string>> figures;
};

/// Everything a bonus may read while evaluating one period.
struct period_input {
  const plan& rules;
  const network& net;
  const ledger& sales;
  const std::vector<std::uint32_t>& lines;  ///< ledger lines in the period, in ledger order
  const qualification& q;
  bool explain;
  /// Results of the bonuses evaluated before this one, in plan order.
  const std::vector<bonus_result>& earlier;

  /// The line's base for a bonus paid on amount or volume, in millionths.
  base_t base(std::uint32_t line, bool on_volume) const noexcept {
    return on_volume ? sales.volume(line) * (amount_scale / volume_scale) : sales.amount(line);
  }
};

/**
 * One component of a plan. Constructed from its JSON by the registered factory of its
 * type, evaluated once per period in plan order. A member earns only when `qualified`.
 */
class bonus {
 public:
  virtual ~bonus() = default;
  const std::string& name() const noexcept { return name_; }
  const std::string& type() const noexcept { return type_; }
  rank_index min_rank() const noexcept { return min_rank_; }
  bool require_active() const noexcept { return require_active_; }

  /// Active (unless require_active is false) and at least min_rank (SPEC §3).
  bool qualified(member_index m, const qualification& q) const noexcept {
    return (!require_active_ || q.active[m]) && q.rank[m] >= min_rank_;
  }

  /// Fills out.exact (size net.size()) and, when in.explain, out.lines.
  virtual void evaluate(const period_input& in, bonus_result& out) const = 0;

 protected:
  bonus() = default;

 private:
  friend class plan;
  std::string name_, type_;
  rank_index min_rank_ = no_rank;
  bool require_active_ = true;
};

/// What a factory may look up while building a bonus from JSON.
struct bonus_context {
  const plan& rules;  ///< ranks are known; bonuses listed earlier are too
  /// The rank named by `node` (a string), or an error naming the path.
  rank_index rank(const config_node& node) const;
};

/// Builds a bonus of one type from its JSON object. The common keys (name, type, min_rank,
/// require_active) are read by the plan; the factory reads the rest and must reject keys
/// it does not know (config_node::allow_keys with `common_bonus_keys` plus its own).
using bonus_factory = std::function<std::shared_ptr<bonus>(const config_node& node, const bonus_context& ctx)>;

/// Registers a bonus type by name (replacing any previous one). Thread-safe.
void register_bonus_type(std::string type, bonus_factory factory);
/// The factory for a type, or an empty function.
bonus_factory find_bonus_type(std::string_view type);

#define DOWNLINE_COMMON_BONUS_KEYS "name", "type", "min_rank", "require_active"

DOWNLINE_END_NAMESPACE
