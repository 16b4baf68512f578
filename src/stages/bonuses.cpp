// SPDX-License-Identifier: MIT
// Stage: every bonus of the plan over the period, each (member, bonus) rounded once.
#include "downline/detail/parallel.hpp"
#include "downline/rounding.hpp"
#include "stages.hpp"

DOWNLINE_BEGIN_NAMESPACE
namespace stages {

std::vector<bonus_result> evaluate_bonuses(const plan& rules, const network_layout& layout, const ledger& sales, const line_set& lines,
                                           const std::vector<amount_t>& member_amounts, const member_state& previous,
                                           bool explain, detail::shared_work* shared, result& out) {
  const network& net = *out.net;
  const std::uint32_t n = net.size();
  std::vector<bonus_result> results(rules.bonuses.size());
  for (std::size_t b = 0; b < rules.bonuses.size(); ++b) {
    const bonus& bonus = *rules.bonuses[b];
    period_input in{rules, net, sales, lines, out.q, explain, results, previous, out.next_state};
    in.member_amounts = member_amounts.data();
    in.layout = &layout;
    in.shared = shared;
    bonus_result& r = results[b];
    bonus.evaluate(in, r);
    out.totals.breakage += r.breakage;  // pools report what they could not distribute
    r.exact.resize(n, 0);
    r.rounded.resize(n);
    detail::parallel_for(n, [&](std::size_t, std::size_t begin, std::size_t end) {
      for (std::size_t m = begin; m < end; ++m) r.rounded[m] = round_to_minor(r.exact[m], rules.money_decimals, rules.rounding);
    });
    std::vector<exact_t>().swap(r.exact);  // later bonuses read `rounded`; the memory is reused
    for (auto& e : r.lines) e.bonus = static_cast<std::uint16_t>(b);
    out.bonus_names.push_back(bonus.name());
  }
  for (auto& r : results) out.rounded.push_back(std::move(r.rounded));
  return results;
}

}  // namespace stages
DOWNLINE_END_NAMESPACE
