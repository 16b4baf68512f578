// SPDX-License-Identifier: MIT
// C API: reading back the settlement (payables rows, payables.csv).
#include <fmt/format.h>

#include "downline/error.hpp"
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
    check_index(i, rows.size(), "payable", fn);
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

downline_status downline_result_settlement(downline_settlement_totals* out, const downline_result* result) {
  const char* const fn = __func__;
  return guarded([&] {
    require(out, "out", fn);
    require(result, "result", fn);
    const downline::settlement_totals& t = result->r.totals.settlement;
    std::int64_t deductions = 0;
    for (std::int64_t d : t.deductions)
      if (__builtin_add_overflow(deductions, d, &deductions))
        throw downline::overflow_error(fmt::format("{}: the total of the deductions overflows", fn));
    *out = {t.earned, t.balance_in, t.paid, t.paid_members, t.fees, deductions, t.carried_positive,
            t.carried_negative, t.forfeited};
  });
}

size_t downline_result_deduction_count(const downline_result* result) {
  return result ? result->r.totals.settlement.deductions.size() : 0;
}

downline_status downline_result_deduction(const char** name, int64_t* total, const downline_result* result,
                                          size_t i) {
  const char* const fn = __func__;
  return guarded([&] {
    require(name, "name", fn);
    require(total, "total", fn);
    require(result, "result", fn);
    const downline::settlement_totals& t = result->r.totals.settlement;
    check_index(i, t.deductions.size(), "deduction", fn);
    *name = t.deduction_names[i].c_str();
    *total = t.deductions[i];
  });
}

}  // extern "C"
