// SPDX-License-Identifier: MIT
// A session's estimate for one member: over its sponsor subtree alone when the plan allows,
// else its part of the estimate for everyone.
#include <algorithm>
#include <numeric>

#include <fmt/format.h>

#include "downline/error.hpp"
#include "downline/rounding.hpp"
#include "downline/session.hpp"
#include "downline/settlement.hpp"
#include "stages/stages.hpp"

DOWNLINE_BEGIN_NAMESPACE

namespace {

/// The entries of `items` (sorted by their member's row in `from`) whose member is on `row`.
template <class T, class MemberOf>
std::pair<typename std::vector<T>::const_iterator, typename std::vector<T>::const_iterator> on_row(
    const std::vector<T>& items, const network& from, std::uint32_t row, MemberOf&& member_of) {
  auto first = std::partition_point(items.begin(), items.end(), [&](const T& t) { return from.row(member_of(t)) < row; });
  auto last = std::partition_point(first, items.end(), [&](const T& t) { return from.row(member_of(t)) == row; });
  return {first, last};
}

/// m's own summary (`all`: the plan's names, period and payouts), its totals per payout and in
/// all, its settlement.
void summarize_member(const summary& all, result& out) {
  summary& s = out.totals;
  s.plan_name = all.plan_name;
  s.currency = all.currency;
  s.period = all.period;
  s.money_decimals = all.money_decimals;
  s.payout_cap = all.payout_cap;
  s.members = 1;
  for (const bonus_summary& b : all.bonuses) s.bonuses.push_back({b.name, b.type, 0, 0, {}});
  for (const payout_line& p : out.payouts) {
    s.bonuses[p.bonus].total += p.amount;
    s.bonuses[p.bonus].earners = 1;
    s.total_payout += p.amount;
  }
  s.earners = s.total_payout != 0;
  s.zero_earners = 1 - s.earners;
  s.max = s.median = s.p90 = s.p99 = s.total_payout;
  if (out.settled.payables.empty()) return;
  const payable& p = out.settled.payables.front();
  settlement_totals& t = s.settlement;
  t.earned = p.earned;
  t.balance_in = p.balance_in;
  t.paid = p.paid;
  t.fees = p.fee;
  t.forfeited = p.forfeited;
  (p.balance_out > 0 ? t.carried_positive : t.carried_negative) = p.balance_out;
  t.paid_members = p.status == payable_status::paid;
}

/**
 * Member x of `r` as member m of the session's network `net`: its payout lines, explanation
 * lines (sources shifted from r's numbering to net's, ledger lines through `line_of` when r ran
 * over a selection of them) and payables row, and a summary of it alone.
 */
result member_part(const result& r, member_index x, member_index m, const std::vector<std::uint32_t>* line_of,
                   const network& net, bool explain) {
  const network& from = *r.net;
  const std::uint32_t row = from.row(x);
  const member_index shift = m - x;  // r numbers members from x where net numbers them from m
  result out;
  out.net = &net;
  out.rules = r.rules;
  out.bonus_names = r.bonus_names;
  out.next_state.period = r.next_state.period;
  auto [p, p_end] = on_row(r.payouts, from, row, [](const payout_line& l) { return l.member; });
  for (; p != p_end; ++p) out.payouts.push_back({m, p->bonus, p->amount, net.row(m)});
  if (explain) {
    auto [e, e_end] = on_row(r.lines, from, row, [](const explanation& l) { return l.earner; });
    for (; e != e_end; ++e) {
      explanation line = *e;
      line.earner = m;
      if (line.source != none) line.source += shift;
      if (line_of && line.line != none) line.line = (*line_of)[line.line];
      if (line.detail != no_detail) {
        line.detail = static_cast<std::uint32_t>(out.details.size());
        out.details.push_back(r.details[e->detail]);
      }
      out.lines.push_back(line);
    }
  }
  auto [s, s_end] = on_row(r.settled.payables, from, row, [](const payable& l) { return l.member; });
  for (; s != s_end; ++s) {
    out.settled.payables.push_back(*s);
    out.settled.payables.back().member = m;
  }
  summarize_member(r.totals, out);
  return out;
}

}  // namespace

result session::estimate(member_index m, bool explain) {
  const network& net = *net_;
  if (m >= net.size())
    throw error(errc::usage, fmt::format("no member {} in a network of {} members", m, net.size()));
  // A subtree of more than a quarter of the network costs about what everyone does.
  const bool large = std::uint64_t{net.subtree_end(m) - m} * 4 > net.size();
  if (keeps_level_bases_ && !explain && (large || kept_bases_)) {
    if (!kept_bases_) kept_bases_.emplace(rules_, net, state_in_, pv_, amount_);
    if (kept_bases_->fits()) return estimate_from_kept_bases(m);
  }
  if (local_ && !large) return estimate_in_subtree(m, explain);
  return member_part(everyone_cached(explain), m, m, nullptr, net, explain);
}

const result& session::everyone_cached(bool explain) {
  if (!everyone_ || (explain && !everyone_explained_)) {
    everyone_ = std::make_shared<const result>(estimate_everyone(explain));
    everyone_explained_ = explain;
  }
  return *everyone_;
}

result session::estimate_in_subtree(member_index m, bool explain) const {
  const network& net = *net_;
  const member_index end = net.subtree_end(m);
  const network sub_net = net.subtree(m);
  // The subtree's lines in the period, in ledger order, and their members' sums and state.
  std::vector<std::uint32_t> lines;
  for (member_index u = m; u < end; ++u)
    for (std::uint32_t l = first_line_[u]; l != none; l = next_line_[l]) lines.push_back(l);
  std::sort(lines.begin(), lines.end());
  const ledger sub_sales = sales_->select(lines, m);
  std::vector<member_index> members(end - m);
  std::iota(members.begin(), members.end(), m);
  const member_state sub_state = state_in_.select(members);
  run_options o = options(explain);
  o.state_in = &sub_state;
  o.layout = nullptr;  // the plan has no placement trees (pays_from_subtree): built empty for the subtree
  const line_set sub_lines = line_set::all(lines.size());
  result sub = stages::start_result(rules_, sub_net, o, sub_lines);
  stages::period_sums sums{{pv_.begin() + m, pv_.begin() + end}, {amount_.begin() + m, amount_.begin() + end}};
  stages::compute_from_sums(rules_, sub_sales, sub_lines, std::move(sums), sub_state, o, sub);
  return member_part(sub, 0, m, &lines, net, explain);
}

result session::estimate_from_kept_bases(member_index m) {
  const network& net = *net_;
  result out;
  out.net = &net;
  out.rules = std::make_shared<const plan>(rules_);
  out.next_state.period = period_;
  summary all;
  all.plan_name = rules_.name;
  all.currency = rules_.currency;
  all.period = period_;
  all.money_decimals = rules_.money_decimals;
  // Each (member, bonus) rounded once, as a run does; its total then settled alone.
  minor_t earned = 0;
  for (std::size_t b = 0; b < rules_.bonuses.size(); ++b) {
    const bonus& paid = *rules_.bonuses[b];
    out.bonus_names.push_back(paid.name());
    all.bonuses.push_back({paid.name(), paid.type(), 0, 0, {}});
    const minor_t amount = round_to_minor(kept_bases_->pay(b, m), rules_.money_decimals, rules_.rounding);
    if (amount == 0) continue;
    out.payouts.push_back({m, static_cast<std::uint16_t>(b), amount, net.row(m)});
    if (__builtin_add_overflow(earned, amount, &earned))
      throw overflow_error(fmt::format("the total payout of member '{}' overflows", net.id(m)));
  }
  const std::vector<std::int64_t>* balances = state_in_.find(engine_keys::balance.name);
  const minor_t balance_in = balances ? (*balances)[m] : 0;
  const member_status status = net.status(m);
  out.settled = settle(rules_.payout, {&status, 1}, {&earned, 1}, {&balance_in, 1});
  for (payable& p : out.settled.payables) p.member = m;
  summarize_member(all, out);
  return out;
}

DOWNLINE_END_NAMESPACE
