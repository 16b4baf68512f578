// SPDX-License-Identifier: MIT
// payables.csv (SPEC §11).
#include "downline/decimal.hpp"
#include "downline/io/writers.hpp"

DOWNLINE_BEGIN_NAMESPACE

void write_payables(output_file& out, const result& r, const plan& rules) {
  const int md = rules.money_decimals;
  std::string& b = out.buffer();
  b += "member_id,earned,balance_in,fee,deductions,paid,balance_out,forfeited,status\n";
  for (const payable& p : r.settled.payables) {
    b += r.net->id(p.member);
    for (const minor_t v : {p.earned, p.balance_in, p.fee, p.deductions, p.paid, p.balance_out, p.forfeited}) {
      b += ',';
      append_fixed(b, v, md);
    }
    b += ',';
    b += to_string(p.status);
    b += '\n';
    out.flush_if_large();
  }
}

DOWNLINE_END_NAMESPACE
