// SPDX-License-Identifier: MIT
// Stages after the bonuses: the payout cap, adjustments, totals, distribution and payout lines.
#include <algorithm>
#include <iterator>
#include <limits>

#include <fmt/format.h>

#include "downline/detail/parallel.hpp"
#include "downline/error.hpp"
#include "downline/rounding.hpp"
#include "stages.hpp"

DOWNLINE_BEGIN_NAMESPACE
namespace stages {

std::vector<minor_t>& paid_amounts::own(std::size_t b) {
  for (const auto& o : owned_)
    if (o.get() == columns_[b]) return *o;
  owned_.push_back(std::make_unique<std::vector<minor_t>>(*columns_[b]));
  columns_[b] = owned_.back().get();
  return *owned_.back();
}

std::vector<minor_t>& paid_amounts::add(std::uint32_t members) {
  owned_.push_back(std::make_unique<std::vector<minor_t>>(members, 0));
  columns_.push_back(owned_.back().get());
  return *owned_.back();
}

void apply_cap(const plan& rules, paid_amounts& paid, summary& s) {
  if (!rules.payout_cap) return;
  __int128 positive = 0;
  for (std::size_t b = 0; b < paid.size(); ++b)
    for (minor_t v : paid[b])
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
  for (std::size_t b = 0; b < paid.size(); ++b)
    for (minor_t& v : paid.own(b))
      if (v > 0) {
        const auto scaled = static_cast<minor_t>(static_cast<exact_t>(v) * bounded_cap / sum);
        s.capped += v - scaled;
        v = scaled;
      }
}

bonus_result apply_adjustments(const plan& rules, const adjustments& given, paid_amounts& paid, bool explain,
                               result& out) {
  bonus_result adjusted;
  if (given.entries.empty()) return adjusted;
  const network& net = *out.net;
  if (given.uses_adjustment_payout(rules)) {
    paid.add(net.size());
    out.bonus_names.emplace_back(adjustment_payout_name);
  }
  for (const member_adjustment& a : given.entries) {
    minor_t& v = paid.own(a.bonus)[a.member];
    if (__builtin_add_overflow(v, a.amount, &v))
      throw overflow_error(fmt::format("the adjusted payout of member '{}' overflows", net.id(a.member)));
    if (!explain) continue;
    explanation e{a.member, none, none, 0, 0, explanation::no_rate, minor_to_exact(a.amount, rules.money_decimals), a.bonus,
                  static_cast<std::uint32_t>(adjusted.details.size())};
    adjusted.lines.push_back(e);
    adjusted.details.push_back(a.note);
  }
  return adjusted;
}

std::vector<minor_t> total_payouts(const plan& rules, const paid_amounts& paid, std::vector<bonus_result>& results,
                                   result& out) {
  const network& net = *out.net;
  const std::uint32_t n = net.size();
  summary& s = out.totals;
  std::vector<minor_t> per_member(n, 0);
  for (std::size_t b = 0; b < paid.size(); ++b) {
    bonus_summary bs;
    if (b < rules.bonuses.size()) {
      bs.name = rules.bonuses[b]->name();
      bs.type = rules.bonuses[b]->type();
      bs.figures = std::move(results[b].figures);
    } else {
      bs.name = bs.type = adjustment_payout_name;
    }
    const std::vector<minor_t>& amounts = paid[b];
    struct part {
      __int128 total = 0;
      std::uint64_t earners = 0;
      member_index overflow = none;  // the first member whose total payout overflows
    };
    const detail::chunking chunks = detail::chunks_of(n);
    std::vector<part> parts(chunks.count);
    detail::parallel_for(chunks, [&](std::size_t chunk, std::size_t begin, std::size_t end) {
      part p;
      for (std::size_t m = begin; m < end; ++m) {
        if (amounts[m] == 0) continue;
        p.total += amounts[m];
        ++p.earners;
        if (__builtin_add_overflow(per_member[m], amounts[m], &per_member[m]) && p.overflow == none)
          p.overflow = static_cast<member_index>(m);
      }
      parts[chunk] = p;
    });
    __int128 total = 0;
    for (const part& p : parts) {
      if (p.overflow != none)  // the lowest member: chunks are in member order
        throw overflow_error(fmt::format("the total payout of member '{}' overflows", net.id(p.overflow)));
      total += p.total;
      bs.earners += p.earners;
    }
    if (total > std::numeric_limits<minor_t>::max() || total < std::numeric_limits<minor_t>::min())
      throw overflow_error(fmt::format("the total of bonus {} overflows", quote_value(bs.name)));
    bs.total = static_cast<minor_t>(total);
    if (__builtin_add_overflow(s.total_payout, bs.total, &s.total_payout))
      throw overflow_error("the total payout overflows");
    s.bonuses.push_back(std::move(bs));
  }
  return per_member;
}

void describe_payouts(std::vector<minor_t> totals, summary& s) {
  s.members = totals.size();
  if (totals.empty()) return;
  // Debts, then zeros, then amounts earned: a percentile whose rank falls on the zeros (half
  // the members, often) needs no selection, and the others select within their part only.
  const auto zeros = std::partition(totals.begin(), totals.end(), [](minor_t t) { return t < 0; });
  const auto earned = std::partition(zeros, totals.end(), [](minor_t t) { return t == 0; });
  s.zero_earners = static_cast<std::uint64_t>(earned - zeros);
  s.earners = totals.size() - s.zero_earners;
  s.max = earned != totals.end() ? *std::max_element(earned, totals.end())
          : zeros != earned      ? 0
                                 : *std::max_element(totals.begin(), zeros);
  // Nearest-rank percentiles, each selection narrowed to the part above the previous one. O(n).
  auto from = totals.begin();
  auto at_rank = [&](std::uint64_t percent) {
    const std::uint64_t rank = std::max<std::uint64_t>((totals.size() * percent + 99) / 100, 1);  // ceil(p × N)
    const auto nth = totals.begin() + static_cast<std::ptrdiff_t>(rank - 1);
    if (nth >= zeros && nth < earned) {
      from = nth;
      return minor_t{0};
    }
    const auto part_end = nth < zeros ? zeros : totals.end();
    std::nth_element(std::max(from, nth < zeros ? totals.begin() : earned), nth, part_end);
    from = nth;
    return *nth;
  };
  s.median = at_rank(50);
  s.p90 = at_rank(90);
  s.p99 = at_rank(99);
}

std::vector<payout_line> gather_payout_lines(const network& net, const paid_amounts& paid, const summary& s) {
  std::vector<payout_line> lines;
  std::size_t count = 0;
  for (const auto& b : s.bonuses) count += b.earners;
  lines.reserve(count);
  const std::uint32_t n = net.size();
  // File order; each member's amounts read a few rows ahead.
  for (std::uint32_t row = 0; row < n; ++row) {
    if (row + 16 < n) {
      const member_index ahead = net.member_at_row(row + 16);
      for (std::size_t b = 0; b < paid.size(); ++b) __builtin_prefetch(&paid[b][ahead]);
    }
    const member_index m = net.member_at_row(row);
    for (std::size_t b = 0; b < paid.size(); ++b)
      if (const minor_t amount = paid[b][m]; amount != 0) lines.push_back({m, static_cast<std::uint16_t>(b), amount, row});
  }
  return lines;
}

void gather_explanations(std::vector<bonus_result>& results, bonus_result& adjusted, result& out) {
  auto gather = [&](bonus_result& r) {
    // Each bonus numbers its detail strings from 0: shift them into the result's table.
    const auto shift = static_cast<std::uint32_t>(out.details.size());
    for (auto& e : r.lines)
      if (e.detail != no_detail) e.detail += shift;
    std::move(r.details.begin(), r.details.end(), std::back_inserter(out.details));
    out.lines.insert(out.lines.end(), r.lines.begin(), r.lines.end());
    std::vector<explanation>().swap(r.lines);
  };
  for (auto& r : results) gather(r);
  gather(adjusted);
  const network& net = *out.net;
  std::stable_sort(out.lines.begin(), out.lines.end(), [&](const explanation& a, const explanation& b) {
    const std::uint32_t ra = net.row(a.earner), rb = net.row(b.earner);
    return ra != rb ? ra < rb : a.bonus < b.bonus;
  });
}

}  // namespace stages
DOWNLINE_END_NAMESPACE
