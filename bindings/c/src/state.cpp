// SPDX-License-Identifier: MIT
// C API: the state between periods (SPEC §7.2), overrides and adjustments (§7.4).
#include <algorithm>

#include <fmt/format.h>

#include "downline/decimal.hpp"
#include "downline/io/output_file.hpp"
#include "guard.hpp"
#include "handles.hpp"

using namespace downline::capi;

namespace {
const char* text_or_empty(const char* const* column, std::size_t i) { return column && column[i] ? column[i] : ""; }

/// The carry entries of a state's rows, in row order.
void collect_carries(const downline_state& state) {
  for (std::size_t i = 0; i < state.text.rows.size(); ++i) {
    const downline::state_row& r = state.text.rows[i];
    int side = r.key.starts_with("carry_left:") ? 0 : r.key.starts_with("carry_right:") ? 1 : -1;
    if (side < 0) continue;
    const std::string bonus = r.key.substr(r.key.find(':') + 1);
    auto it = std::find_if(state.carries.begin(), state.carries.end(), [&](const downline_state::carry& c) {
      return c.bonus == bonus && state.text.rows[c.member_row].member_id == r.member_id;
    });
    if (it == state.carries.end()) it = state.carries.insert(state.carries.end(), {i, bonus, {0, 0}});
    if (downline::parse_decimal(r.value, downline::volume_decimals, it->side[side]) != downline::parse_status::ok)
      throw status_error(DOWNLINE_ERROR_INPUT, fmt::format("state row {}: malformed carry '{}'", i, r.value));
  }
}
}  // namespace

extern "C" {

downline_status downline_state_from_csv(downline_state** out, const char* path) {
  const char* const fn = __func__;
  if (out) *out = nullptr;
  return guarded([&] {
    require(out, "out", fn);
    require(path, "path", fn);
    auto state = std::make_unique<downline_state>();
    state->text = downline::read_state_text(path);
    state->source = path;
    *out = state.release();
  });
}

downline_status downline_state_from_rows(downline_state** out, const char* period, size_t count,
                                         const char* const* member_ids, const char* const* keys,
                                         const char* const* values) {
  const char* const fn = __func__;
  if (out) *out = nullptr;
  return guarded([&] {
    require(out, "out", fn);
    if (count > 0) {
      require(member_ids, "member_ids", fn);
      require(keys, "keys", fn);
      require(values, "values", fn);
    }
    auto state = std::make_unique<downline_state>();
    state->text.period = period ? period : "";
    for (std::size_t i = 0; i < count; ++i)
      state->text.rows.push_back({text_or_empty(member_ids, i), text_or_empty(keys, i), text_or_empty(values, i)});
    *out = state.release();
  });
}

downline_status downline_state_from_arrays(downline_state** out, size_t count, const char* const* member_ids,
                                           const char* const* bonuses, const int64_t* left, const int64_t* right) {
  const char* const fn = __func__;
  if (out) *out = nullptr;
  return guarded([&] {
    require(out, "out", fn);
    if (count > 0) {
      require(member_ids, "member_ids", fn);
      require(bonuses, "bonuses", fn);
      require(left, "left", fn);
      require(right, "right", fn);
    }
    auto state = std::make_unique<downline_state>();
    for (std::size_t i = 0; i < count; ++i) {
      const std::string bonus = text_or_empty(bonuses, i);
      const std::int64_t sides[2] = {left[i], right[i]};
      for (int s = 0; s < 2; ++s)
        if (sides[s] != 0)  // as in a state file: a zero side has no row
          state->text.rows.push_back({text_or_empty(member_ids, i), fmt::format("carry_{}:{}", s ? "right" : "left", bonus),
                                    downline::format_trimmed(sides[s], downline::volume_decimals)});
    }
    *out = state.release();
  });
}

void downline_state_destroy(downline_state** state) {
  if (!state) return;
  delete *state;
  *state = nullptr;
}

const char* downline_state_period(const downline_state* state) { return state ? state->text.period.c_str() : ""; }

size_t downline_state_size(const downline_state* state) { return state ? state->text.rows.size() : 0; }

downline_status downline_state_row_at(downline_state_row* out, const downline_state* state, size_t i) {
  const char* const fn = __func__;
  return guarded([&] {
    require(out, "out", fn);
    require(state, "state", fn);
    check_index(i, state->text.rows.size(), "row", fn);
    const downline::state_row& r = state->text.rows[i];
    *out = {r.member_id.c_str(), r.key.c_str(), r.value.c_str()};
  });
}

size_t downline_state_carry_count(const downline_state* state) {
  if (!state) return 0;
  size_t count = 0;
  downline_status s = guarded([&] {
    std::call_once(state->carry_once, [&] { collect_carries(*state); });
    count = state->carries.size();
  });
  return s == DOWNLINE_OK ? count : 0;
}

downline_status downline_state_entry(downline_carry* out, const downline_state* state, size_t i) {
  const char* const fn = __func__;
  return guarded([&] {
    require(out, "out", fn);
    require(state, "state", fn);
    std::call_once(state->carry_once, [&] { collect_carries(*state); });
    if (i >= state->carries.size())
      throw status_error(DOWNLINE_ERROR_USAGE, fmt::format("{}: index out of range ({} carry entries) '{}'", fn,
                                                           state->carries.size(), i));
    const downline_state::carry& c = state->carries[i];
    *out = {state->text.rows[c.member_row].member_id.c_str(), c.bonus.c_str(), c.side[0], c.side[1]};
  });
}

downline_status downline_state_write_csv(const downline_state* state, const char* path) {
  const char* const fn = __func__;
  return guarded([&] {
    require(state, "state", fn);
    require(path, "path", fn);
    downline::output_file file(path);
    downline::write_state(file, state->text);
    file.commit();
  });
}

downline_status downline_overrides_from_csv(downline_overrides** out, const char* path) {
  const char* const fn = __func__;
  if (out) *out = nullptr;
  return guarded([&] {
    require(out, "out", fn);
    require(path, "path", fn);
    *out = new downline_overrides{{}, path};
  });
}

downline_status downline_overrides_from_arrays(downline_overrides** out, size_t count, const char* const* member_ids,
                                               const char* const* ranks, const char* const* actives,
                                               const char* const* notes) {
  const char* const fn = __func__;
  if (out) *out = nullptr;
  return guarded([&] {
    require(out, "out", fn);
    if (count > 0) require(member_ids, "member_ids", fn);
    auto o = std::make_unique<downline_overrides>();
    for (std::size_t i = 0; i < count; ++i)
      o->rows.push_back({text_or_empty(member_ids, i), text_or_empty(ranks, i), text_or_empty(actives, i),
                         text_or_empty(notes, i)});
    *out = o.release();
  });
}

void downline_overrides_destroy(downline_overrides** overrides) {
  if (!overrides) return;
  delete *overrides;
  *overrides = nullptr;
}

downline_status downline_adjustments_from_csv(downline_adjustments** out, const char* path) {
  const char* const fn = __func__;
  if (out) *out = nullptr;
  return guarded([&] {
    require(out, "out", fn);
    require(path, "path", fn);
    *out = new downline_adjustments{{}, path};
  });
}

downline_status downline_adjustments_from_arrays(downline_adjustments** out, size_t count,
                                                 const char* const* member_ids, const char* const* bonuses,
                                                 const char* const* amounts, const char* const* notes) {
  const char* const fn = __func__;
  if (out) *out = nullptr;
  return guarded([&] {
    require(out, "out", fn);
    if (count > 0) {
      require(member_ids, "member_ids", fn);
      require(bonuses, "bonuses", fn);
      require(amounts, "amounts", fn);
    }
    auto a = std::make_unique<downline_adjustments>();
    for (std::size_t i = 0; i < count; ++i)
      a->rows.push_back({text_or_empty(member_ids, i), text_or_empty(bonuses, i), text_or_empty(amounts, i),
                         text_or_empty(notes, i)});
    *out = a.release();
  });
}

void downline_adjustments_destroy(downline_adjustments** adjustments) {
  if (!adjustments) return;
  delete *adjustments;
  *adjustments = nullptr;
}

}  // extern "C"
