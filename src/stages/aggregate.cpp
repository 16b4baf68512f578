// SPDX-License-Identifier: MIT
// Stage: the period's sale lines reduced to per-member sums (PV, amount) and sums per kind.
#include <algorithm>
#include <array>
#include <limits>

#include <fmt/format.h>

#include "downline/detail/parallel.hpp"
#include "downline/error.hpp"
#include "stages.hpp"

DOWNLINE_BEGIN_NAMESPACE
namespace stages {

void check_precision(const plan& rules, const ledger& sales) {
  const auto& witness = sales.amount_precision();
  for (int d = rules.money_decimals + 1; d <= amount_decimals; ++d) {
    const auto& w = witness[static_cast<std::size_t>(d)];
    if (!w.where.empty())
      throw input_error(fmt::format("{}: amount has more decimals than the plan's money_decimals ({}) '{}'", w.where,
                                    rules.money_decimals, w.text));
  }
}

overflow_error sales_overflow(const network& net, member_index m) {
  return overflow_error(fmt::format("the sales of member '{}' in the period overflow", net.id(m)));
}

overflow_error volume_overflow(const network& net, member_index m) {
  return overflow_error(fmt::format("the personal volume of member '{}' overflows", net.id(m)));
}

line_set lines_in_period(const ledger& sales, const std::optional<commission_period>& period) {
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

namespace {

/// A member's Σ volume and Σ amount side by side: one cache line per line's scatter.
struct member_sums {
  volume_t pv = 0;
  amount_t amount = 0;
};

/**
 * Σ volume and Σ amount per member, and Σ amount per kind, over the period's lines. Lines
 * come in file order and members at random, so the scatter is bound by cache misses: each
 * line's cell is prefetched a few lines ahead. With many lines the second half of them is
 * summed beside the first into cells of its own, added in afterwards.
 */
void sum_lines(const ledger& sales, const line_set& lines, member_sums* sums, std::uint32_t n,
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
  // Always two halves (not one per thread): each needs cells for every member.
  if (count >= 4 * detail::parallel_threshold()) {
    std::vector<member_sums> second(n);
    detail::side_by_side([&] { work(0, count / 2, sums, parts[0]); },
                         [&] { work(count / 2, count, second.data(), parts[1]); });
    if (parts[0].overflow == none && parts[1].overflow == none) {
      const detail::chunking chunks = detail::chunks_of(n);
      std::vector<member_index> overflow(chunks.count, none);
      detail::parallel_for(chunks, [&](std::size_t chunk, std::size_t lo, std::size_t hi) {
        for (std::size_t m = lo; m < hi; ++m)
          if ((__builtin_add_overflow(sums[m].pv, second[m].pv, &sums[m].pv) ||
               __builtin_add_overflow(sums[m].amount, second[m].amount, &sums[m].amount)) &&
              overflow[chunk] == none)
            overflow[chunk] = static_cast<member_index>(m);
      });
      parts[0].overflow = *std::min_element(overflow.begin(), overflow.end());
    }
  } else {
    work(0, count, sums, parts[0]);
  }
  const member_index bad = parts[0].overflow != none ? parts[0].overflow : parts[1].overflow;
  if (bad != none) throw sales_overflow(net, bad);
  for (std::size_t k = 0; k < kinds.size(); ++k) kinds[k] = parts[0].kinds[k] + parts[1].kinds[k];
}

}  // namespace

period_sums aggregate(const ledger& sales, const line_set& lines, const network& net, summary& s) {
  const std::uint32_t n = net.size();
  period_sums out;
  // The two columns apart are allocated after the sums, into the memory its second half's
  // cells leave.
  std::vector<member_sums> sums(n);
  sum_lines(sales, lines, sums.data(), n, s.kind_amount, net);
  out.pv.resize(n);
  out.amount.resize(n);
  // Volume bases are volume × 100 (millionths): that must fit too.
  const detail::chunking chunks = detail::chunks_of(n);
  std::vector<member_index> too_large(chunks.count, none);
  detail::parallel_for(chunks, [&](std::size_t chunk, std::size_t begin, std::size_t end) {
    for (std::size_t m = begin; m < end; ++m) {
      out.pv[m] = sums[m].pv;
      out.amount[m] = sums[m].amount;
      if ((out.pv[m] > volume_base_limit || out.pv[m] < -volume_base_limit) && too_large[chunk] == none)
        too_large[chunk] = static_cast<member_index>(m);
    }
  });
  if (const member_index m = *std::min_element(too_large.begin(), too_large.end()); m != none)
    throw volume_overflow(net, m);
  for (auto a : s.kind_amount) s.total_amount += a;
  return out;
}

period_basis open_period(const ledger& sales, const network& net, const std::optional<commission_period>& period) {
  period_basis basis{lines_in_period(sales, period), {}, {}};
  basis.sums = aggregate(sales, basis.lines, net, basis.sold);
  return basis;
}

}  // namespace stages
DOWNLINE_END_NAMESPACE
