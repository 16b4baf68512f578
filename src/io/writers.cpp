// SPDX-License-Identifier: MIT
#include "downline/io/writers.hpp"

#include <fmt/format.h>

#include "downline/decimal.hpp"
#include "downline/io/csv.hpp"

DOWNLINE_BEGIN_NAMESPACE

void write_payouts(output_file& out, const result& r, const plan& rules) {
  std::string& b = out.buffer();
  b += "member_id,bonus,amount\n";
  for (const payout_line& p : r.payouts) {
    b += r.net->id_at_row(p.row);
    b += ',';
    append_csv_field(b, r.bonus_names[p.bonus]);
    b += ',';
    append_fixed(b, p.amount, rules.money_decimals);
    b += '\n';
    out.flush_if_large();
  }
}

void write_ranks(output_file& out, const result& r, const plan& rules) {
  std::string& b = out.buffer();
  b += "member_id,rank,pv,gv,active\n";
  const network& net = *r.net;
  for (std::uint32_t row = 0; row < net.size(); ++row) {
    member_index m = net.member_at_row(row);
    b += net.id_at_row(row);
    b += ',';
    append_csv_field(b, rules.rank_name(r.q.rank[m]));
    b += ',';
    append_trimmed(b, r.q.pv[m], volume_decimals);
    b += ',';
    append_trimmed(b, r.q.gv[m], volume_decimals);
    b += r.q.active[m] ? ",true\n" : ",false\n";
    out.flush_if_large();
  }
}

void write_lines(output_file& out, const result& r, const ledger& sales) {
  std::string& b = out.buffer();
  b += "member_id,bonus,source_member_id,order_id,level,base,rate,amount,detail\n";
  const network& net = *r.net;
  for (const explanation& e : r.lines) {
    b += net.id(e.earner);
    b += ',';
    append_csv_field(b, r.bonus_names[e.bonus]);
    b += ',';
    if (e.source != none) b += net.id(e.source);
    b += ',';
    if (e.line != none) append_csv_field(b, sales.order_id(e.line));
    b += ',';
    if (e.level) fmt::format_to(std::back_inserter(b), "{}", e.level);
    b += ',';
    append_trimmed(b, e.base, base_decimals);
    b += ',';
    append_trimmed(b, e.rate, 4);
    b += "%,";
    append_trimmed(b, e.amount, exact_decimals);
    b += ',';
    if (e.detail != no_detail) append_csv_field(b, r.details[e.detail]);
    b += '\n';
    out.flush_if_large();
  }
}

DOWNLINE_END_NAMESPACE
