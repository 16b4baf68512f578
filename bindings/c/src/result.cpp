// SPDX-License-Identifier: MIT
// C API: reading back a result (payouts, ranks, explanation lines, state, summary).
#include <cstring>
#include <string>

#include <fmt/format.h>

#include "downline/decimal.hpp"
#include "downline/io/csv.hpp"
#include "downline/io/output_file.hpp"
#include "downline/io/writers.hpp"
#include "guard.hpp"
#include "handles.hpp"

using namespace downline::capi;
using downline::member_index;

namespace {

// The payout lines of each member form one run (lines are grouped by member): [first, end).
void build_ranges(const downline_result& res) {
  std::call_once(res.ranges_once, [&] {
    const std::uint32_t n = res.net->net.size();
    res.first_payout.assign(n, 0);
    res.end_payout.assign(n, 0);
    const auto& payouts = res.r.payouts;
    for (std::uint32_t i = static_cast<std::uint32_t>(payouts.size()); i-- > 0;) {
      member_index m = payouts[i].member;
      if (res.end_payout[m] == 0) res.end_payout[m] = i + 1;
      res.first_payout[m] = i;
    }
  });
}

std::string payouts_csv(const downline_result& res) {
  std::string b = "member_id,bonus,amount\n";
  for (const downline::payout_line& p : res.r.payouts) {
    b += res.net->net.id(p.member);
    b += ',';
    downline::append_csv_field(b, res.r.bonus_names[p.bonus]);
    b += ',';
    downline::append_fixed(b, p.amount, res.rules->money_decimals);
    b += '\n';
  }
  return b;
}

template <class Write>
void write_file(const char* path, Write&& write) {
  downline::output_file file(path);
  write(file);
  file.commit();
}

}  // namespace

extern "C" {

void downline_result_destroy(downline_result** result) {
  if (!result) return;
  delete *result;
  *result = nullptr;
}

int downline_result_money_decimals(const downline_result* result) {
  return result ? result->rules->money_decimals : -1;
}

size_t downline_result_payout_count(const downline_result* result) { return result ? result->r.payouts.size() : 0; }

downline_status downline_result_payout(downline_payout* out, const downline_result* result, size_t i) {
  const char* const fn = __func__;
  return guarded([&] {
    require(out, "out", fn);
    require(result, "result", fn);
    check_index(i, result->r.payouts.size(), "payout", fn);
    const downline::payout_line& p = result->r.payouts[i];
    *out = {result->net->id(p.member), result->r.bonus_names[p.bonus].c_str(), p.amount};
  });
}

downline_status downline_result_payouts(downline_payout* buffer, size_t capacity, size_t* count,
                                        const downline_result* result) {
  const char* const fn = __func__;
  return guarded([&] {
    require(count, "count", fn);
    require(result, "result", fn);
    const auto& payouts = result->r.payouts;
    *count = payouts.size();
    if (capacity < payouts.size() || (!buffer && !payouts.empty()))
      throw status_error(DOWNLINE_ERROR_BUFFER_TOO_SMALL,
                         fmt::format("{}: buffer too small, {} payout lines needed '{}'", fn, payouts.size(),
                                     buffer ? capacity : 0));
    for (std::size_t i = 0; i < payouts.size(); ++i)
      buffer[i] = {result->net->id(payouts[i].member), result->r.bonus_names[payouts[i].bonus].c_str(),
                   payouts[i].amount};
  });
}

downline_status downline_result_amount(int64_t* amount, const downline_result* result, const char* member_id,
                                       const char* bonus) {
  const char* const fn = __func__;
  if (amount) *amount = 0;
  return guarded([&] {
    require(amount, "amount", fn);
    require(result, "result", fn);
    require(member_id, "member_id", fn);
    member_index m = result->net->net.find(member_id);
    if (m == downline::none)
      throw status_error(DOWNLINE_ERROR_NOT_FOUND, fmt::format("{}: no member with this id {}", fn, downline::quote_value(member_id)));
    int b = -1;
    if (bonus && (b = result->rules->find_bonus(bonus)) < 0)
      throw status_error(DOWNLINE_ERROR_NOT_FOUND, fmt::format("{}: no bonus with this name {}", fn, downline::quote_value(bonus)));
    build_ranges(*result);
    std::int64_t sum = 0;
    for (std::uint32_t i = result->first_payout[m]; i < result->end_payout[m]; ++i) {
      const downline::payout_line& p = result->r.payouts[i];
      if (b >= 0 && p.bonus != b) continue;
      if (__builtin_add_overflow(sum, p.amount, &sum))
        throw status_error(DOWNLINE_ERROR_OVERFLOW,
                           fmt::format("{}: the total payout of member {} overflows", fn, downline::quote_value(member_id)));
    }
    *amount = sum;
  });
}

size_t downline_result_member_count(const downline_result* result) {
  return result && !result->one_member ? result->net->net.size() : 0;
}

downline_status downline_result_rank(downline_rank_row* out, const downline_result* result, size_t row) {
  const char* const fn = __func__;
  return guarded([&] {
    require(out, "out", fn);
    require(result, "result", fn);
    const downline::network& net = result->net->net;
    check_index(row, downline_result_member_count(result), "member", fn);
    member_index m = net.member_at_row(static_cast<std::uint32_t>(row));
    const downline::qualification& q = result->r.q;
    const downline::rank_index rank = q.rank[m];
    const char* rank_name =
        rank == downline::no_rank ? "" : result->rules->ranks[static_cast<std::size_t>(rank)].name.c_str();
    *out = {result->net->id(m), rank_name, rank, q.pv[m], q.gv[m], q.active[m] ? 1 : 0};
  });
}

downline_status downline_result_history(downline_history_row* out, const downline_result* result, size_t row) {
  const char* const fn = __func__;
  return guarded([&] {
    require(out, "out", fn);
    require(result, "result", fn);
    const downline::network& net = result->net->net;
    check_index(row, downline_result_member_count(result), "member", fn);
    const member_index m = net.member_at_row(static_cast<std::uint32_t>(row));
    const downline::qualification& q = result->r.q;
    const downline::plan& rules = *result->rules;
    const std::string* note = q.override_of(m);
    *out = {result->net->id(m), rules.rank_name(q.qualified_rank_of(m)).data(), rules.rank_name(q.title_rank_of(m)).data(),
            q.grace_of(m), note ? 1 : 0, note ? note->c_str() : ""};
  });
}

size_t downline_result_line_count(const downline_result* result) { return result ? result->r.lines.size() : 0; }

downline_status downline_result_line(downline_line* out, const downline_result* result, size_t i) {
  const char* const fn = __func__;
  return guarded([&] {
    require(out, "out", fn);
    require(result, "result", fn);
    check_index(i, result->r.lines.size(), "line", fn);
    const downline::explanation& e = result->r.lines[i];
    out->member_id = result->net->id(e.earner);
    out->bonus = result->r.bonus_names[e.bonus].c_str();
    out->source_member_id = e.source == downline::none ? "" : result->net->id(e.source);
    out->order_id = e.line == downline::none ? "" : result->sales->order_id(e.line);
    out->level = e.level;
    out->base = e.base;
    out->rate = e.rate;
    const std::string amount = downline::format_trimmed(e.amount, downline::exact_decimals);
    static_assert(sizeof(out->amount) >= 44, "room for any 128-bit amount");
    std::memcpy(out->amount, amount.c_str(), amount.size() + 1);
  });
}

downline_status downline_result_state(downline_state** out, const downline_result* result) {
  const char* const fn = __func__;
  if (out) *out = nullptr;
  return guarded([&] {
    require(out, "out", fn);
    require(result, "result", fn);
    auto state = std::make_unique<downline_state>();
    state->text = result->r.state();
    *out = state.release();
  });
}

downline_status downline_result_summary(downline_summary* out, const downline_result* result) {
  const char* const fn = __func__;
  return guarded([&] {
    require(out, "out", fn);
    require(result, "result", fn);
    const downline::summary& s = result->r.totals;
    *out = {s.members, s.sale_lines, s.active_members, s.earners, s.total_payout, s.breakage, s.money_decimals,
            s.cap_applied ? 1 : 0};
  });
}

downline_status downline_result_summary_json(char* buffer, size_t size, size_t* needed, const downline_result* result) {
  const char* const fn = __func__;
  if (needed) *needed = 0;
  return guarded([&] {
    require(result, "result", fn);
    copy_out(result->r.totals.to_json(), buffer, size, needed, fn);
  });
}

downline_status downline_result_summary_text(char* buffer, size_t size, size_t* needed, const downline_result* result) {
  const char* const fn = __func__;
  if (needed) *needed = 0;
  return guarded([&] {
    require(result, "result", fn);
    copy_out(result->r.totals.to_text(), buffer, size, needed, fn);
  });
}

downline_status downline_result_payouts_csv(char* buffer, size_t size, size_t* needed, const downline_result* result) {
  const char* const fn = __func__;
  if (needed) *needed = 0;
  return guarded([&] {
    require(result, "result", fn);
    copy_out(payouts_csv(*result), buffer, size, needed, fn);
  });
}

downline_status downline_result_write_payouts(const downline_result* result, const char* path) {
  const char* const fn = __func__;
  return guarded([&] {
    require(result, "result", fn);
    require(path, "path", fn);
    write_file(path, [&](downline::output_file& f) { downline::write_payouts(f, result->r, *result->rules); });
  });
}

downline_status downline_result_write_ranks(const downline_result* result, const char* path) {
  const char* const fn = __func__;
  return guarded([&] {
    require(result, "result", fn);
    require(path, "path", fn);
    write_file(path, [&](downline::output_file& f) { downline::write_ranks(f, result->r, *result->rules); });
  });
}

downline_status downline_result_write_lines(const downline_result* result, const char* path) {
  const char* const fn = __func__;
  return guarded([&] {
    require(result, "result", fn);
    require(path, "path", fn);
    if (!result->explained)
      throw status_error(DOWNLINE_ERROR_USAGE,
                         fmt::format("{}: the run was not asked to explain (set options.explain) '{}'", fn, path));
    write_file(path, [&](downline::output_file& f) { downline::write_lines(f, result->r, result->sales->sales); });
  });
}

downline_status downline_result_write_summary_json(const downline_result* result, const char* path) {
  const char* const fn = __func__;
  return guarded([&] {
    require(result, "result", fn);
    require(path, "path", fn);
    write_file(path, [&](downline::output_file& f) { f.buffer() += result->r.totals.to_json(); });
  });
}

}  // extern "C"
