// SPDX-License-Identifier: MIT
// C API: carry state between periods (SPEC §7).
#include <fmt/format.h>

#include "downline/io/output_file.hpp"
#include "guard.hpp"
#include "handles.hpp"

using namespace downline::capi;

extern "C" {

downline_status downline_state_from_csv(downline_state** out, const char* path) {
  const char* const fn = __func__;
  if (out) *out = nullptr;
  return guarded([&] {
    require(out, "out", fn);
    require(path, "path", fn);
    *out = new downline_state{downline::carry_state::from_csv(path)};
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
    downline::carry_state state;
    state.entries.reserve(count);
    for (std::size_t i = 0; i < count; ++i)
      state.entries.push_back({member_ids[i] ? member_ids[i] : "", bonuses[i] ? bonuses[i] : "", left[i], right[i],
                               fmt::format("state row {}", i)});
    *out = new downline_state{std::move(state)};
  });
}

void downline_state_destroy(downline_state** state) {
  if (!state) return;
  delete *state;
  *state = nullptr;
}

size_t downline_state_size(const downline_state* state) { return state ? state->state.entries.size() : 0; }

downline_status downline_state_entry(downline_carry* out, const downline_state* state, size_t i) {
  const char* const fn = __func__;
  return guarded([&] {
    require(out, "out", fn);
    require(state, "state", fn);
    if (i >= state->state.entries.size())
      throw status_error(DOWNLINE_ERROR_USAGE, fmt::format("{}: index out of range ({} entries) '{}'", fn,
                                                           state->state.entries.size(), i));
    const downline::carry_entry& e = state->state.entries[i];
    *out = {e.member_id.c_str(), e.bonus.c_str(), e.left, e.right};
  });
}

downline_status downline_state_write_csv(const downline_state* state, const char* path) {
  const char* const fn = __func__;
  return guarded([&] {
    require(state, "state", fn);
    require(path, "path", fn);
    downline::output_file file(path);
    state->state.write(file);
    file.commit();
  });
}

}  // extern "C"
