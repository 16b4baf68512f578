// SPDX-License-Identifier: MIT
// The settlement stage (SPEC §11): earned totals and balances in → payables and balances out.
#include <algorithm>

#include "downline/settlement.hpp"
#include "stages.hpp"

DOWNLINE_BEGIN_NAMESPACE
namespace stages {

void settle_members(const plan& rules, const network& net, const std::vector<minor_t>& earned,
                    const member_state& previous, bool keep_payables, result& out) {
  const std::vector<std::int64_t>* balance_in = previous.find(engine_keys::balance.name);
  out.settled = settle_period(rules.payout, net, earned,
                              balance_in ? std::span<const minor_t>(*balance_in) : std::span<const minor_t>(),
                              keep_payables);
  out.totals.settlement = out.settled.totals;
  // The balances out become the state's `balance` column (no column when nobody has one).
  std::vector<minor_t>& balances = out.settled.balance_out;
  if (std::any_of(balances.begin(), balances.end(), [](minor_t b) { return b != 0; }))
    out.next_state.column(engine_keys::balance, net.size()) = std::move(balances);
  std::vector<minor_t>().swap(balances);
}

}  // namespace stages
DOWNLINE_END_NAMESPACE
