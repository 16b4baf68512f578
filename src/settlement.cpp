// SPDX-License-Identifier: MIT
#include "downline/settlement.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "downline/detail/parallel.hpp"
#include "downline/error.hpp"
#include "downline/network.hpp"

DOWNLINE_BEGIN_NAMESPACE

namespace {
minor_t add_checked(minor_t a, minor_t b, const char* what) {
  minor_t sum = 0;
  if (__builtin_add_overflow(a, b, &sum)) throw overflow_error(fmt::format("the settlement's {} overflows", what));
  return sum;
}

/// Members that earned something or bring a balance: the others settle to a row of zeros.
std::size_t members_with_money(std::span<const minor_t> earned, std::span<const minor_t> balance_in) {
  std::size_t count = 0;
  for (std::size_t m = 0; m < earned.size(); ++m) count += earned[m] != 0 || (!balance_in.empty() && balance_in[m] != 0);
  return count;
}

/// Deductions are rounded toward zero (integer division truncates toward zero).
minor_t deduction_of(rate_t rate, minor_t total) {
  return static_cast<minor_t>(static_cast<__int128>(total) * rate / rate_one);
}
}  // namespace

std::string_view to_string(payable_status s) noexcept {
  switch (s) {
    case payable_status::paid: return "paid";
    case payable_status::hold: return "hold";
    case payable_status::below_minimum: return "below_minimum";
    case payable_status::negative: return "negative";
    case payable_status::forfeited: return "forfeited";
  }
  return "paid";
}

payable settle_member(const payout_rules& rules, member_status status, minor_t earned, minor_t balance_in,
                      std::span<minor_t> deduction_amounts) {
  payable p;
  p.earned = earned;
  p.balance_in = balance_in;
  const minor_t total = add_checked(earned, balance_in, "total of a member");
  std::fill(deduction_amounts.begin(), deduction_amounts.end(), 0);
  if (status == member_status::terminated) {
    p.forfeited = total;  // a negative total is a debt written off
    p.status = payable_status::forfeited;
    return p;
  }
  p.balance_out = total;  // unless paid below
  if (status == member_status::hold) {
    p.status = payable_status::hold;
    return p;
  }
  if (total <= 0) {
    p.status = total < 0 ? payable_status::negative : payable_status::below_minimum;
    return p;
  }
  // total > 0 from here, and each deduction is below it: the net cannot overflow.
  __int128 net = static_cast<__int128>(total) - rules.fee;
  minor_t deducted = 0;
  for (std::size_t i = 0; i < rules.deductions.size(); ++i) {
    deduction_amounts[i] = deduction_of(rules.deductions[i].rate, total);
    deducted += deduction_amounts[i];
  }
  net -= deducted;
  if (total < rules.minimum || net <= 0) {
    std::fill(deduction_amounts.begin(), deduction_amounts.end(), 0);
    p.status = payable_status::below_minimum;
    return p;
  }
  p.fee = rules.fee;
  p.deductions = deducted;
  p.paid = static_cast<minor_t>(net);
  p.balance_out = 0;
  p.status = payable_status::paid;
  return p;
}

namespace {
/// Adds one member's settlement to the totals (`taken`: its deductions, one per rule).
void add_to_totals(settlement_totals& t, const payable& p, std::span<const minor_t> taken) {
  t.earned = add_checked(t.earned, p.earned, "total earned");
  t.balance_in = add_checked(t.balance_in, p.balance_in, "total balance in");
  t.paid = add_checked(t.paid, p.paid, "total paid");
  t.fees = add_checked(t.fees, p.fee, "total of fees");
  for (std::size_t d = 0; d < taken.size(); ++d) t.deductions[d] = add_checked(t.deductions[d], taken[d], "total of a deduction");
  if (p.balance_out > 0) t.carried_positive = add_checked(t.carried_positive, p.balance_out, "balance carried forward");
  if (p.balance_out < 0) t.carried_negative = add_checked(t.carried_negative, p.balance_out, "balance carried forward");
  t.forfeited = add_checked(t.forfeited, p.forfeited, "total forfeited");
  t.paid_members += p.status == payable_status::paid;
}

/// Adds the totals of a later part of the members to `t`.
void add_to_totals(settlement_totals& t, const settlement_totals& part) {
  t.earned = add_checked(t.earned, part.earned, "total earned");
  t.balance_in = add_checked(t.balance_in, part.balance_in, "total balance in");
  t.paid = add_checked(t.paid, part.paid, "total paid");
  t.fees = add_checked(t.fees, part.fees, "total of fees");
  for (std::size_t d = 0; d < t.deductions.size(); ++d)
    t.deductions[d] = add_checked(t.deductions[d], part.deductions[d], "total of a deduction");
  t.carried_positive = add_checked(t.carried_positive, part.carried_positive, "balance carried forward");
  t.carried_negative = add_checked(t.carried_negative, part.carried_negative, "balance carried forward");
  t.forfeited = add_checked(t.forfeited, part.forfeited, "total forfeited");
  t.paid_members += part.paid_members;
}

settlement_totals empty_totals(const payout_rules& rules) {
  settlement_totals t;
  for (const deduction_rule& d : rules.deductions) t.deduction_names.push_back(d.name);
  t.deductions.assign(rules.deductions.size(), 0);
  return t;
}

/// Settles the members order[begin, end) (index order when `order` is empty) into `out`'s
/// balances, `totals` and, when `keep_payables`, its rows.
void settle_members_of(const payout_rules& rules, std::span<const member_status> status,
                       std::span<const minor_t> earned, std::span<const minor_t> balance_in,
                       std::span<const member_index> order, std::size_t begin, std::size_t end, bool keep_payables,
                       settlement_totals& totals, settlement& out) {
  std::vector<minor_t> taken(rules.deductions.size());
  constexpr std::size_t ahead = 16;  // rows are in random member order: fetch earned[] and balance_out[] early
  for (std::size_t i = begin; i < end; ++i) {
    const member_index m = order.empty() ? static_cast<member_index>(i) : order[i];
    if (!order.empty() && i + ahead < end) {
      const member_index later = order[i + ahead];
      __builtin_prefetch(&earned[later]);
      __builtin_prefetch(&out.balance_out[later], 1);
    }
    const minor_t in = balance_in.empty() ? 0 : balance_in[m];
    if (earned[m] == 0 && in == 0) continue;  // nothing to settle, whatever the status: no row, no totals
    const member_status s = status.empty() ? member_status::active : status[m];
    payable p = settle_member(rules, s, earned[m], in, taken);
    p.member = m;
    out.balance_out[m] = p.balance_out;
    add_to_totals(totals, p, taken);
    if (keep_payables && !p.is_zero()) out.payables.push_back(p);
  }
}

/// Without a fee, deductions or a minimum above one minor unit, an active member is paid a
/// positive total whole and carries any other: settle_member's outcome without its steps.
bool pays_every_positive_total(const payout_rules& rules) {
  return rules.fee == 0 && rules.deductions.empty() && rules.minimum <= 1;
}

/// settle_members_of without rows, for active members under such rules (the totals of
/// compared plans and of runs without payables.csv).
void settle_plainly(std::span<const minor_t> earned, std::span<const minor_t> balance_in, std::size_t begin,
                    std::size_t end, settlement_totals& t, settlement& out) {
  for (std::size_t m = begin; m < end; ++m) {
    const minor_t in = balance_in.empty() ? 0 : balance_in[m];
    if (earned[m] == 0 && in == 0) continue;
    const minor_t total = add_checked(earned[m], in, "total of a member");
    t.earned = add_checked(t.earned, earned[m], "total earned");
    t.balance_in = add_checked(t.balance_in, in, "total balance in");
    if (total > 0) {
      t.paid = add_checked(t.paid, total, "total paid");
      ++t.paid_members;
    } else {
      out.balance_out[m] = total;
      t.carried_negative = add_checked(t.carried_negative, total, "balance carried forward");
    }
  }
}
}  // namespace

settlement settle(const payout_rules& rules, std::span<const member_status> status, std::span<const minor_t> earned,
                  std::span<const minor_t> balance_in, std::span<const member_index> order, bool keep_payables) {
  const std::size_t n = earned.size();
  settlement out;
  out.balance_out.assign(n, 0);
  out.totals = empty_totals(rules);
  if (keep_payables) {  // the rows in `order`: one pass
    out.payables.reserve(members_with_money(earned, balance_in));
    settle_members_of(rules, status, earned, balance_in, order, 0, n, true, out.totals, out);
    return out;
  }
  // Totals and balances only: parts side by side, their totals added in part order (sums
  // of integers: the same in any order they do not overflow in).
  const detail::chunking parts = detail::chunks_of(n);
  std::vector<settlement_totals> part_totals(parts.count, out.totals);
  const bool plainly = pays_every_positive_total(rules) && status.empty() && order.empty();
  detail::parallel_for(parts, [&](std::size_t part, std::size_t begin, std::size_t end) {
    if (plainly) settle_plainly(earned, balance_in, begin, end, part_totals[part], out);
    else settle_members_of(rules, status, earned, balance_in, order, begin, end, false, part_totals[part], out);
  });
  for (const settlement_totals& part : part_totals) add_to_totals(out.totals, part);
  return out;
}

settlement settle_period(const payout_rules& rules, const network& net, std::span<const minor_t> earned,
                         std::span<const minor_t> balance_in, bool keep_payables) {
  // Without rows the order does not matter: members in index order read memory in order.
  const std::span<const member_index> order =
      keep_payables ? std::span<const member_index>(net.members_by_row()) : std::span<const member_index>();
  return settle(rules, net.statuses(), earned, balance_in, order, keep_payables);
}

DOWNLINE_END_NAMESPACE
