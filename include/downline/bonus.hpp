// SPDX-License-Identifier: MIT
// The interface every bonus type implements, and what it sees of one period.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "downline/config.hpp"
#include "downline/ledger.hpp"
#include "downline/line_set.hpp"
#include "downline/network.hpp"
#include "downline/network_layout.hpp"
#include "downline/placement.hpp"
#include "downline/state.hpp"
#include "downline/types.hpp"

DOWNLINE_BEGIN_NAMESPACE

class plan;
namespace detail {
class shared_work;
}

/// A paid rank index into plan::ranks, or `no_rank` below the first rank.
using rank_index = std::int16_t;
inline constexpr rank_index no_rank = -1;

/**
 * Per member (preorder index): what ranks and qualification found, before any bonus, with the
 * member's history (SPEC §7.3) and the back office's overrides (§7.4) applied. Bonuses read
 * `rank` (the paid-as rank) and `active`.
 */
struct qualification {
  std::vector<volume_t> pv, gv;
  std::vector<rank_index> rank;      ///< paid-as rank, after grace and overrides
  std::vector<std::uint8_t> active;  ///< after the activity look-back and overrides
  /// The rank whose requirements held this period; title rank; periods held by grace. Empty
  /// when the plan has no ranks (then no_rank, no_rank and 0 for everyone).
  std::vector<rank_index> qualified_rank, title_rank;
  std::vector<std::uint32_t> grace;
  /// Per member an index into override_notes, or no_override; empty without overrides.
  std::vector<std::uint32_t> override_note;
  std::vector<std::string> override_notes;
  static constexpr std::uint32_t no_override = 0xFFFFFFFFu;

  rank_index qualified_rank_of(member_index m) const noexcept {
    return qualified_rank.empty() ? rank[m] : qualified_rank[m];
  }
  rank_index title_rank_of(member_index m) const noexcept { return title_rank.empty() ? rank[m] : title_rank[m]; }
  std::uint32_t grace_of(member_index m) const noexcept { return grace.empty() ? 0 : grace[m]; }
  /// The override's note ("" when none was given), or nullptr when not overridden.
  const std::string* override_of(member_index m) const noexcept {
    return override_note.empty() || override_note[m] == no_override ? nullptr : &override_notes[override_note[m]];
  }
};

inline constexpr std::uint32_t no_detail = 0xFFFFFFFFu;

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
  /// Index into the result's `details` strings (lines.csv `detail`, e.g. a binary member's
  /// legs and carry), or no_detail.
  std::uint32_t detail = no_detail;
  /// `rate` of a line that has no base or rate (an adjustment): both written empty.
  static constexpr rate_t no_rate = -1;
};

/// What one bonus produced for one period.
struct bonus_result {
  std::vector<exact_t> exact;     ///< per member, unrounded; the engine rounds each once, then frees it
  std::vector<minor_t> rounded;   ///< per member, after rounding (filled by the engine)
  std::vector<explanation> lines; ///< when explanations are asked for
  /// Extra summary figures ("volume_matched" → "1234.5"), in a fixed order.
  std::vector<std::pair<std::string, std::string>> figures;
  /// Money the bonus could not distribute (a pool's remainder), in minor units; the engine
  /// adds it to summary::breakage.
  minor_t breakage = 0;
  /// Strings the lines' `detail` indices point to.
  std::vector<std::string> details;
};

/// Everything a bonus may read while evaluating one period.
struct period_input {
  const plan& rules;
  const network& net;
  const ledger& sales;
  const line_set& lines;  ///< ledger lines in the period, in ledger order
  const qualification& q;
  bool explain;
  /// Results of the bonuses evaluated before this one, in plan order.
  const std::vector<bonus_result>& earlier;
  /// The state the previous period handed over (SPEC §7.2): read the bonus's own keys.
  const member_state& state_in;
  /// The state for the next period: a stateful bonus writes its keys' columns here.
  member_state& state_out;

  /// Per member, the sum of its lines' amounts in the period (millionths); with q.pv the
  /// per-buyer base of bonuses that are linear in the base (set by the engine).
  const amount_t* member_amounts = nullptr;
  /// The placement trees of the bonuses that declare a placement_need (set by the engine,
  /// which checked that it holds them): `layout->tree(options)`.
  const network_layout* layout = nullptr;

  /// Work this plan's bonuses may share with other plans' (compare: plans with the same
  /// period and qualification), or null. Internal to the built-in bonuses.
  detail::shared_work* shared = nullptr;

  /// Σ base of member m's own lines in the period, in millionths (the engine checked that
  /// it fits).
  base_t base_sum(member_index m, bool on_volume) const noexcept {
    return on_volume ? q.pv[m] * (amount_scale / volume_scale) : member_amounts[m];
  }

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

  /// The rank at which members head breakaway groups (a stairstep's `breakaway.rank`),
  /// or no_rank; the plan takes it as plan::breakaway_rank, which ranks use for GV.
  virtual rank_index breakaway_rank() const noexcept { return no_rank; }

  /// True when what the bonus pays a member depends on nothing outside its sponsor subtree
  /// (the subtree's sales, ranks and state, and earlier bonuses' pay inside it): a session
  /// then estimates one member over that subtree alone. False (the default) for anything
  /// company-wide or over a placement tree.
  virtual bool pays_from_subtree() const noexcept { return false; }

  /// The placement tree this bonus pays over (binary, matrix), or none: a network_layout
  /// built for the plan holds it, and evaluate() reads it from period_input::layout.
  virtual std::optional<placement_options> placement_need() const noexcept { return std::nullopt; }

  /// The state keys this bonus reads from period_input::state_in and writes to state_out
  /// (binary: its carry per side). A new stateful bonus declares its keys here: the state
  /// files, C and Python then carry them without further change.
  virtual std::vector<state_key> state_keys() const { return {}; }

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
/// True for the names of the built-in types (SPEC §5), whatever has been registered since:
/// the names a binding must not let its users take.
bool is_builtin_bonus_type(std::string_view type);

#define DOWNLINE_COMMON_BONUS_KEYS "name", "type", "min_rank", "require_active"

DOWNLINE_END_NAMESPACE
