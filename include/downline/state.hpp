// SPDX-License-Identifier: MIT
// State carried between periods (SPEC §7.2): one generic store of per-(member, key) values.
#pragma once

#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "downline/date.hpp"
#include "downline/io/output_file.hpp"
#include "downline/types.hpp"

DOWNLINE_BEGIN_NAMESPACE

class plan;
class network;

/// How a state key's value is held and written.
enum class state_kind : std::uint8_t {
  rank,    ///< a rank name of the plan, held as its rank index
  count,   ///< a whole number ≥ 0 (grace, last_active)
  money,   ///< minor units of the plan's money_decimals, may be negative (balance)
  volume,  ///< ten-thousandths, may be negative (binary carry), written without trailing zeros
};

/**
 * A key a state may hold. `none` is the value of a member without a row: rows holding it are
 * left out when writing.
 */
struct state_key {
  std::string name;
  state_kind kind = state_kind::count;
  std::int64_t none = 0;
};

/// One row of a state file as text: what C and Python build states from, and read back.
struct state_row {
  std::string member_id, key, value;
};

/// A state as text: the period row's value ("" without one) and the other rows.
struct state_text {
  std::string period;
  std::vector<state_row> rows;
};

/**
 * The state (SPEC §7.2) as dense columns: for each key that has values, one value per member
 * in network numbering (the key's `none` where a member has no row). The engine and every
 * stateful bonus read and write it through find() and column(); which keys exist is the plan's
 * schema (state_schema).
 *
 *     const auto* grace = in.find("grace");               // null: nobody has one
 *     std::int64_t g = grace ? (*grace)[m] : 0;
 *     out.column({"grace", state_kind::count, 0}, n)[m] = g + 1;
 */
class member_state {
 public:
  /// The period of the run that wrote it (nullopt: none, or written without a period).
  std::optional<commission_period> period;
  /// Where it was read from ("state.csv"), for messages; "" when built otherwise.
  std::string source;

  /// The key's values per member, or null when the state has no column for it.
  const std::vector<std::int64_t>* find(std::string_view key) const noexcept;
  /// The key's column, created holding key.none for `members` members when absent.
  std::vector<std::int64_t>& column(const state_key& key, std::uint32_t members);
  /// A value of the key for member m, or `otherwise` without a column.
  std::int64_t value(std::string_view key, member_index m, std::int64_t otherwise) const noexcept {
    const auto* c = find(key);
    return c ? (*c)[m] : otherwise;
  }
  bool empty() const noexcept { return columns_.empty(); }
  /// The state of other members: member i of the result has the values of member from[i]
  /// here, or every key's `none` when from[i] is `none` (a subtree's members; the network
  /// built again with new members). Period and source are kept. O(keys × from.size()).
  member_state select(std::span<const member_index> from) const;

 private:
  struct keyed_column {
    state_key key;
    std::vector<std::int64_t> values;
  };
  std::deque<keyed_column> columns_;  // a deque: column() keeps earlier references valid
};

/// The keys of the engine's member history and settlement (SPEC §7.2, §7.3, §11).
namespace engine_keys {
inline const state_key paid_rank{"paid_rank", state_kind::rank, -1};
inline const state_key title_rank{"title_rank", state_kind::rank, -1};
inline const state_key grace{"grace", state_kind::count, 0};
/// Periods since PV last reached active_pv; `none` (-1): never, or too long ago to matter.
inline const state_key last_active{"last_active", state_kind::count, -1};
inline const state_key balance{"balance", state_kind::money, 0};
}  // namespace engine_keys

/// Every key a state may hold under `rules`, in the order rows are written: the engine's
/// keys, then each bonus's (bonus::state_keys) in plan order.
std::vector<state_key> state_schema(const plan& rules);

/**
 * Reads a state file against the run's plan and network: `member_id,key,value` with a
 * `,period,P` row, or the earlier `member_id,bonus,left,right` carry file. Every error names
 * the file, line and value: unknown member, key or bonus, a carry for a bonus that is not
 * binary, a (member, key) twice, a rank not in the plan, a malformed value.
 */
member_state read_state(const std::filesystem::path& path, const plan& rules, const network& net);
/// The same from rows (C, Python); messages name "state row <i>".
member_state read_state(const state_text& text, const plan& rules, const network& net);
/// Reads a state file's text without checking it against a plan (C, Python).
state_text read_state_text(const std::filesystem::path& path);

/// Calls f(member_id, key, value) for every row of the state in file order (network order;
/// per member the schema's order); rows at their key's `none` are left out.
void for_each_state_row(const member_state& state, const plan& rules, const network& net,
                        const std::function<void(std::string_view, std::string_view, std::string_view)>& f);

/// Writes the state file (SPEC §7.2): header, the `,period,P` row, then the rows.
void write_state(output_file& out, const member_state& state, const plan& rules, const network& net);
/// Writes state text as a file (C, Python).
void write_state(output_file& out, const state_text& text);
/// The state as text.
state_text to_text(const member_state& state, const plan& rules, const network& net);

DOWNLINE_END_NAMESPACE
