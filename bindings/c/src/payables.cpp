// SPDX-License-Identifier: MIT
// C API: reading back the settlement (payables rows, payables.csv).
#include <fmt/format.h>

#include "downline/io/output_file.hpp"
#include "downline/io/writers.hpp"
#include "guard.hpp"
#include "handles.hpp"

using namespace downline::capi;

extern "C" {

size_t downline_result_payable_count(const downline_result* result) {
  return result ? result->r.settled.payables.size() : 0;
}

downline_status downline_result_payable(downline_payable* out, const downline_result* result, size_t i) {
  const char* const fn = __func__;
  return guarded([&] {
    require(out, "out", fn);
    require(result, "result", fn);
    const auto& rows = result->r.settled.payables;
    if (i >= rows.size())
      throw status_error(DOWNLINE_ERROR_USAGE,
                         fmt::format("{}: payable index out of range ({} payables) '{}'", fn, rows.size(), i));
    const downline::payable& p = rows[i];
    *out = {result->net->id(p.member), p.earned, p.balance_in, p.fee, p.deductions, p.paid, p.balance_out,
            p.forfeited, to_string(p.status).data()};
  });
}

downline_status downline_result_write_payables(const downline_result* result, const char* path) {
  const char* const fn = __func__;
  return guarded([&] {
    require(result, "result", fn);
    require(path, "path", fn);
    downline::output_file file(path);
    downline::write_payables(file, result->r, *result->rules);
    file.commit();
  });
}

}  // extern "C"
