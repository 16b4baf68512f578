// SPDX-License-Identifier: MIT
// Runs plan, network and sales files through the installed C++ API and prints payouts.csv.
#include <cstdio>
#include <exception>
#include <string>

#include <downline/downline.hpp>

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: consumer_cpp PLAN NETWORK SALES\n");
    return 2;
  }
  try {
    const downline::plan rules = downline::plan::from_file(argv[1]);
    const downline::network net = downline::network::from_csv(argv[2]);
    const downline::ledger sales = downline::ledger::from_csv(argv[3], net);
    const downline::result r = downline::run(rules, net, sales);
    std::string out = "member_id,bonus,amount\n";
    for (const downline::payout_line& p : r.payouts) {
      out += net.id(p.member);
      out += ',' + r.bonus_names[p.bonus] + ',' + downline::format_fixed(p.amount, rules.money_decimals) + '\n';
    }
    std::fputs(out.c_str(), stdout);
  } catch (const downline::error& e) {
    std::fprintf(stderr, "consumer_cpp: %s\n", e.what());
    return 1;
  }
  return 0;
}
