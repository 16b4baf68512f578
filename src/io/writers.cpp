// SPDX-License-Identifier: MIT
#include "downline/io/writers.hpp"

#include <fmt/format.h>

#include "downline/decimal.hpp"
#include "downline/detail/write_rows.hpp"
#include "downline/io/csv.hpp"

DOWNLINE_BEGIN_NAMESPACE

namespace {
using detail::write_rows;

/// The result's bonus names as CSV fields, quoted once rather than on every row.
std::vector<std::string> bonus_fields(const result& r) {
  std::vector<std::string> fields;
  for (const auto& name : r.bonus_names) append_csv_field(fields.emplace_back(), name);
  return fields;
}
}  // namespace

void write_payouts(output_file& out, const result& r, const plan& rules) {
  out.buffer() += "member_id,bonus,amount\n";
  const std::vector<std::string> bonuses = bonus_fields(r);
  write_rows(out, r.payouts.size(), [&](std::string& b, std::size_t i) {
    const payout_line& p = r.payouts[i];
    b += r.net->id_at_row(p.row);
    b += ',';
    b += bonuses[p.bonus];
    b += ',';
    append_fixed(b, p.amount, rules.money_decimals);
    b += '\n';
  });
}

void write_ranks(output_file& out, const result& r, const plan& rules) {
  out.buffer() += "member_id,rank,pv,gv,active,qualified_rank,title_rank,grace,override\n";
  const network& net = *r.net;
  // A session's estimate for one member has no ranks: the header alone.
  write_rows(out, r.q.pv.empty() ? 0 : net.size(), [&](std::string& b, std::size_t i) {
    const auto row = static_cast<std::uint32_t>(i);
    const member_index m = net.member_at_row(row);
    b += net.id_at_row(row);
    b += ',';
    append_csv_field(b, rules.rank_name(r.q.rank[m]));
    b += ',';
    append_trimmed(b, r.q.pv[m], volume_decimals);
    b += ',';
    append_trimmed(b, r.q.gv[m], volume_decimals);
    b += r.q.active[m] ? ",true," : ",false,";
    append_csv_field(b, rules.rank_name(r.q.qualified_rank_of(m)));
    b += ',';
    append_csv_field(b, rules.rank_name(r.q.title_rank_of(m)));
    b += ',';
    fmt::format_to(std::back_inserter(b), "{}", r.q.grace_of(m));
    b += ',';
    if (const std::string* note = r.q.override_of(m)) append_csv_field(b, note->empty() ? "override" : *note);
    b += '\n';
  });
}

void write_lines(output_file& out, const result& r, const ledger& sales) {
  out.buffer() += "member_id,bonus,source_member_id,order_id,level,base,rate,amount,detail\n";
  const network& net = *r.net;
  const std::vector<std::string> bonuses = bonus_fields(r);
  write_rows(out, r.lines.size(), [&](std::string& b, std::size_t i) {
    const explanation& e = r.lines[i];
    b += net.id(e.earner);
    b += ',';
    b += bonuses[e.bonus];
    b += ',';
    if (e.source != none) b += net.id(e.source);
    b += ',';
    if (e.line != none) append_csv_field(b, sales.order_id(e.line));
    b += ',';
    if (e.level) fmt::format_to(std::back_inserter(b), "{}", e.level);
    b += ',';
    if (e.rate == explanation::no_rate) {
      b += ",,";
    } else {
      append_trimmed(b, e.base, base_decimals);
      b += ',';
      append_trimmed(b, e.rate, 4);
      b += "%,";
    }
    append_trimmed(b, e.amount, exact_decimals);
    b += ',';
    if (e.detail != no_detail) append_csv_field(b, r.details[e.detail]);
    b += '\n';
  });
}

DOWNLINE_END_NAMESPACE
