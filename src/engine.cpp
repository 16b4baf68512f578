// SPDX-License-Identifier: MIT
#include "downline/engine.hpp"

#include <algorithm>
#include <array>
#include <future>
#include <thread>
#include <limits>
#include <iterator>
#include <string>

#include <fmt/format.h>

#include "downline/decimal.hpp"
#include "downline/detail/two_halves.hpp"
#include "downline/error.hpp"
#include "downline/ranks.hpp"
#include "downline/rounding.hpp"

DOWNLINE_BEGIN_NAMESPACE

namespace {

void check_precision(const plan& rules, const ledger& sales) {
  const auto& witness = sales.amount_precision();
  for (int d = rules.money_decimals + 1; d <= amount_decimals; ++d) {
    const auto& w = witness[static_cast<std::size_t>(d)];
    if (!w.where.empty())
      throw input_error(fmt::format("{}: amount has more decimals than the plan's money_decimals ({}) '{}'", w.where,
                                    rules.money_decimals, w.text));
  }
}

line_set lines_in_period(const ledger& sales, const std::optional<period_month>& period) {
  if (!period) return line_set::all(sales.size());
  if (!sales.first_undated().empty())
    throw input_error(fmt::format("{}: a period ({}) is given but this sale line has no date ''",
                                  sales.first_undated(), period->to_string()));
  std::vector<std::uint32_t> lines;
  const date_t first = period->first(), end = period->end();
  for (std::size_t i = 0; i < sales.size(); ++i)
    if (sales.date(i) >= first && sales.date(i) < end) lines.push_back(static_cast<std::uint32_t>(i));
  return line_set(std::move(lines));
}

// The payout cap (SPEC §5.8): positive lines scaled by cap/sum, rounded toward zero.
void apply_cap(const plan& rules, std::vector<std::vector<minor_t>>& paid, summary& s) {
  if (!rules.payout_cap) return;
  __int128 positive = 0;
  for (auto& per_member : paid)
    for (minor_t v : per_member)
      if (v > 0) positive += v;
  // Compare in exact units (10^-12): cap = rate × total amount.
  const exact_t cap = static_cast<exact_t>(*rules.payout_cap) * s.total_amount;
  const exact_t sum = minor_to_exact(1, rules.money_decimals) * positive;
  if (positive > std::numeric_limits<minor_t>::max()) throw overflow_error("the total payout overflows");
  if (positive == 0 || sum <= cap) return;
  const exact_t bounded_cap = std::max<exact_t>(cap, 0);
  s.cap_applied = true;
  s.cap_numerator = bounded_cap;
  s.cap_denominator = sum;
  for (auto& per_member : paid)
    for (minor_t& v : per_member)
      if (v > 0) {
        minor_t scaled = static_cast<minor_t>(static_cast<exact_t>(v) * bounded_cap / sum);
        s.capped += v - scaled;
        v = scaled;
      }
}

/// The summary's figures on the distribution of per-member total payouts.
struct distribution {
  std::uint64_t earners = 0;
  minor_t max = 0, median = 0, p90 = 0, p99 = 0;
};

/// Earners, the largest total, and the nearest-rank median, p90 and p99 (each selection
/// narrowed to the part above the previous one). O(n).
distribution describe_payouts(std::vector<minor_t> totals) {
  distribution d;
  if (totals.empty()) return d;
  for (minor_t t : totals) d.earners += t != 0;
  d.max = *std::max_element(totals.begin(), totals.end());
  auto from = totals.begin();
  auto at_rank = [&](std::uint64_t percent) {
    const std::uint64_t rank = std::max<std::uint64_t>((totals.size() * percent + 99) / 100, 1);  // ceil(p × N)
    const auto nth = totals.begin() + static_cast<std::ptrdiff_t>(rank - 1);
    std::nth_element(from, nth, totals.end());
    from = nth;
    return *nth;
  };
  d.median = at_rank(50);
  d.p90 = at_rank(90);
  d.p99 = at_rank(99);
  return d;
}

// Carry from the previous period (SPEC §7), per bonus: each entry names a member of the
// network and a bonus of the plan that carries state (binary), at most once.
std::vector<leg_carry> read_state(const plan& rules, const network& net, const carry_state* state) {
  std::vector<leg_carry> carry(rules.bonuses.size());
  if (!state) return carry;
  std::vector<std::vector<std::uint8_t>> seen(rules.bonuses.size());
  for (const carry_entry& e : state->entries) {
    const member_index m = net.find(e.member_id);
    if (m == none)
      throw input_error(fmt::format("{}: carry for a member who is not in the network '{}'", e.where, e.member_id));
    const int found = rules.find_bonus(e.bonus);
    if (found < 0 || !rules.bonuses[static_cast<std::size_t>(found)]->carries_state())
      throw input_error(fmt::format("{}: carry for a bonus that is not a binary bonus of the plan '{}'", e.where, e.bonus));
    const auto b = static_cast<std::size_t>(found);
    if (carry[b].left.empty()) {
      carry[b].left.assign(net.size(), 0);
      carry[b].right.assign(net.size(), 0);
      seen[b].assign(net.size(), 0);
    }
    if (seen[b][m])
      throw input_error(fmt::format("{}: a second carry row for bonus '{}' and member '{}'", e.where, e.bonus, e.member_id));
    seen[b][m] = 1;
    carry[b].left[m] = e.left;
    carry[b].right[m] = e.right;
  }
  return carry;
}

/// A member's Σ volume and Σ amount side by side: one cache line per line's scatter.
struct member_sums {
  volume_t pv = 0;
  amount_t amount = 0;
};

/**
 * Σ volume and Σ amount per member, and Σ amount per kind, over the period's lines. Lines
 * come in file order and members at random, so the scatter is bound by cache misses: each
 * line's cell is prefetched a few lines ahead. With many lines the second half of them is
 * summed on another thread into cells of its own, added in afterwards.
 */
void aggregate(const ledger& sales, const line_set& lines, member_sums* sums, std::uint32_t n,
               std::array<__int128, sale_kind_count>& kinds, const network& net) {
  struct part {
    std::array<__int128, sale_kind_count> kinds{};
    member_index overflow = none;  // the member whose sum overflowed first
  };
  auto work = [&](std::size_t begin, std::size_t end, member_sums* cells, part& p) {
    constexpr std::size_t ahead = 16;
    std::array<__int128, sale_kind_count> by_kind{};  // stored once: the parts share a cache line
    for (std::size_t i = begin; i < end; ++i) {
      if (i + ahead < end) __builtin_prefetch(&cells[sales.member(lines[i + ahead])], 1);
      const std::uint32_t line = lines[i];
      const member_index m = sales.member(line);
      member_sums& c = cells[m];
      if (__builtin_add_overflow(c.pv, sales.volume(line), &c.pv) ||
          __builtin_add_overflow(c.amount, sales.amount(line), &c.amount)) {
        p.overflow = m;
        return;
      }
      by_kind[static_cast<std::size_t>(sales.kind(line))] += sales.amount(line);
    }
    p.kinds = by_kind;
  };
  part parts[2];
  const std::size_t count = lines.size();
  if (count >= 1'000'000) {
    std::vector<member_sums> second(n);
    std::thread helper(work, count / 2, count, second.data(), std::ref(parts[1]));
    work(0, count / 2, sums, parts[0]);
    helper.join();
    if (parts[0].overflow == none && parts[1].overflow == none) {
      member_index overflow[2] = {none, none};
      detail::two_halves(n, [&](int half, std::size_t lo, std::size_t hi) {
        for (std::size_t m = lo; m < hi; ++m)
          if ((__builtin_add_overflow(sums[m].pv, second[m].pv, &sums[m].pv) ||
               __builtin_add_overflow(sums[m].amount, second[m].amount, &sums[m].amount)) &&
              overflow[half] == none)
            overflow[half] = static_cast<member_index>(m);
      });
      parts[0].overflow = std::min(overflow[0], overflow[1]);
    }
  } else {
    work(0, count, sums, parts[0]);
  }
  const member_index bad = parts[0].overflow != none ? parts[0].overflow : parts[1].overflow;
  if (bad != none) throw overflow_error(fmt::format("the sales of member '{}' in the period overflow", net.id(bad)));
  for (std::size_t k = 0; k < kinds.size(); ++k) kinds[k] = parts[0].kinds[k] + parts[1].kinds[k];
}

}  // namespace

void prepare(const plan& rules, const network& net) noexcept {
  for (const auto& b : rules.bonuses) {
    try {
      b->prepare(net);
    } catch (...) {
      // the bonus's evaluate() builds it again and throws the same error in plan order
    }
  }
}

result run(const plan& rules, const network& net, const ledger& sales, const run_options& options) {
  check_precision(rules, sales);
  const std::vector<leg_carry> carry_in = read_state(rules, net, options.state_in);
  const std::uint32_t n = net.size();
  // Network-only work (placement trees) runs beside the ledger passes below on large
  // networks (a bonus that needs it before it is done waits for it); small ones build it
  // when the bonus asks, as a thread would cost more than it saves.
  std::future<void> preparing;
  if (n >= detail::two_halves_threshold) preparing = std::async(std::launch::async, [&] { prepare(rules, net); });
  const line_set lines = lines_in_period(sales, options.period);

  result out;
  out.net = &net;
  summary& s = out.totals;
  s.plan_name = rules.name;
  s.currency = rules.currency;
  s.period = options.period;
  s.money_decimals = rules.money_decimals;
  s.members = n;
  s.sale_lines = lines.size();
  s.payout_cap = rules.payout_cap;

  // Aggregate: PV and amount per member, amount totals per kind; then the two columns apart
  // (allocated after the aggregate, into the memory its second half's cells leave).
  std::vector<volume_t> pv;
  std::vector<amount_t> member_amounts;
  {
    std::vector<member_sums> sums(n);
    aggregate(sales, lines, sums.data(), n, s.kind_amount, net);
    pv.resize(n);
    member_amounts.resize(n);
    // Volume bases are volume × 100 (millionths): that must fit too.
    constexpr volume_t volume_base_limit = std::numeric_limits<base_t>::max() / (amount_scale / volume_scale);
    member_index too_large[2] = {none, none};
    detail::two_halves(n, [&](int half, std::size_t begin, std::size_t end) {
      for (std::size_t m = begin; m < end; ++m) {
        pv[m] = sums[m].pv;
        member_amounts[m] = sums[m].amount;
        if ((pv[m] > volume_base_limit || pv[m] < -volume_base_limit) && too_large[half] == none)
          too_large[half] = static_cast<member_index>(m);
      }
    });
    if (const member_index m = std::min(too_large[0], too_large[1]); m != none)
      throw overflow_error(fmt::format("the personal volume of member '{}' overflows", net.id(m)));
  }
  for (auto a : s.kind_amount) s.total_amount += a;

  out.q = qualify(rules, net, std::move(pv));
  for (member_index m = 0; m < n; ++m) s.active_members += out.q.active[m];

  // Bonuses in plan order; each (member, bonus) rounded once.
  std::vector<bonus_result> results(rules.bonuses.size());
  for (std::size_t b = 0; b < rules.bonuses.size(); ++b) {
    const bonus& bonus = *rules.bonuses[b];
    period_input in{rules, net, sales, lines, out.q, options.explain, results};
    in.member_amounts = member_amounts.data();
    in.carry_in = &carry_in[b];
    bonus_result& r = results[b];
    bonus.evaluate(in, r);
    s.breakage += r.breakage;  // pools report what they could not distribute
    r.exact.resize(n, 0);
    r.rounded.resize(n);
    detail::two_halves(n, [&](int, std::size_t begin, std::size_t end) {
      for (std::size_t m = begin; m < end; ++m) r.rounded[m] = round_to_minor(r.exact[m], rules.money_decimals, rules.rounding);
    });
    std::vector<exact_t>().swap(r.exact);  // later bonuses read `rounded`; the memory is reused
    for (auto& e : r.lines) e.bonus = static_cast<std::uint16_t>(b);
    out.bonus_names.push_back(bonus.name());
  }
  std::vector<amount_t>().swap(member_amounts);

  // The cap scales copies: `rounded` stays what matching read and what the explanation
  // sums round to.
  std::vector<std::vector<minor_t>> capped;
  if (rules.payout_cap) {
    for (auto& r : results) capped.push_back(r.rounded);
    apply_cap(rules, capped, s);
  }
  auto paid = [&](std::size_t b) -> const std::vector<minor_t>& {
    return capped.empty() ? results[b].rounded : capped[b];
  };

  // Bonus totals, earners and each member's total payout, in two halves of the members.
  std::vector<minor_t> per_member(n, 0);
  for (std::size_t b = 0; b < results.size(); ++b) {
    bonus_summary bs;
    bs.name = rules.bonuses[b]->name();
    bs.type = rules.bonuses[b]->type();
    bs.figures = std::move(results[b].figures);
    const std::vector<minor_t>& amounts = paid(b);
    struct part {
      __int128 total = 0;
      std::uint64_t earners = 0;
      member_index overflow = none;  // the first member whose total payout overflows
    } parts[2];
    detail::two_halves(n, [&](int half, std::size_t begin, std::size_t end) {
      part p;
      for (std::size_t m = begin; m < end; ++m) {
        if (amounts[m] == 0) continue;
        p.total += amounts[m];
        ++p.earners;
        if (__builtin_add_overflow(per_member[m], amounts[m], &per_member[m]) && p.overflow == none)
          p.overflow = static_cast<member_index>(m);
      }
      parts[half] = p;
    });
    if (const member_index m = std::min(parts[0].overflow, parts[1].overflow); m != none)
      throw overflow_error(fmt::format("the total payout of member '{}' overflows", net.id(m)));
    const __int128 total = parts[0].total + parts[1].total;
    if (total > std::numeric_limits<minor_t>::max() || total < std::numeric_limits<minor_t>::min())
      throw overflow_error(fmt::format("the total of bonus '{}' overflows", bs.name));
    bs.total = static_cast<minor_t>(total);
    bs.earners = parts[0].earners + parts[1].earners;
    if (__builtin_add_overflow(s.total_payout, bs.total, &s.total_payout))
      throw overflow_error("the total payout overflows");
    s.bonuses.push_back(std::move(bs));
  }
  // The distribution figures on a second thread (large networks) while the payout lines
  // are gathered: file order, each member's amounts read a few rows ahead.
  std::future<distribution> describing =
      std::async(n >= detail::two_halves_threshold ? std::launch::async : std::launch::deferred, describe_payouts,
                 std::move(per_member));
  std::size_t payout_lines = 0;
  for (const auto& b : s.bonuses) payout_lines += b.earners;
  out.payouts.reserve(payout_lines);
  for (std::uint32_t row = 0; row < n; ++row) {
    if (row + 16 < n) {
      const member_index ahead = net.member_at_row(row + 16);
      for (std::size_t b = 0; b < results.size(); ++b) __builtin_prefetch(&paid(b)[ahead]);
    }
    const member_index m = net.member_at_row(row);
    for (std::size_t b = 0; b < results.size(); ++b)
      if (const minor_t amount = paid(b)[m]; amount != 0)
        out.payouts.push_back({m, static_cast<std::uint16_t>(b), amount, row});
  }
  const distribution d = describing.get();
  s.earners = d.earners;
  s.zero_earners = n - d.earners;
  s.max = d.max;
  s.median = d.median;
  s.p90 = d.p90;
  s.p99 = d.p99;

  if (options.explain) {
    for (auto& r : results) {
      // Each bonus numbers its detail strings from 0: shift them into the result's table.
      const auto shift = static_cast<std::uint32_t>(out.details.size());
      for (auto& e : r.lines)
        if (e.detail != no_detail) e.detail += shift;
      std::move(r.details.begin(), r.details.end(), std::back_inserter(out.details));
      out.lines.insert(out.lines.end(), r.lines.begin(), r.lines.end());
      std::vector<explanation>().swap(r.lines);
    }
    std::stable_sort(out.lines.begin(), out.lines.end(), [&](const explanation& a, const explanation& b) {
      std::uint32_t ra = net.row(a.earner), rb = net.row(b.earner);
      return ra != rb ? ra < rb : a.bonus < b.bonus;
    });
  }
  for (auto& r : results) out.carry.push_back(std::move(r.carry_out));
  for (auto& r : results) out.rounded.push_back(std::move(r.rounded));
  return out;
}

DOWNLINE_END_NAMESPACE
