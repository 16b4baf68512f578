// SPDX-License-Identifier: MIT
#include "downline/bonuses/fast_start.hpp"

#include <string>
#include <vector>

#include <fmt/format.h>

#include "downline/bonuses/unilevel.hpp"
#include "downline/detail/level_sweep.hpp"
#include "downline/error.hpp"

DOWNLINE_BEGIN_NAMESPACE

std::shared_ptr<bonus> fast_start_bonus::from_config(const config_node& node, const bonus_context& ctx) {
  node.allow_keys({DOWNLINE_COMMON_BONUS_KEYS, "base", "rates", "days"});
  auto b = std::make_shared<fast_start_bonus>();
  b->on_volume_ = read_base_is_volume(node);
  b->rules_ = detail::level_rules::from_config(node, ctx, /*allow_paid_on=*/false);
  b->days_ = static_cast<std::int32_t>(node["days"].as_integer(1, 36'600));
  return b;
}

void fast_start_bonus::evaluate(const period_input& in, bonus_result& out) const {
  const network& net = in.net;
  const std::uint32_t n = net.size();
  const std::vector<rate_t>& rates = rules_.rates;
  const std::uint32_t levels = static_cast<std::uint32_t>(rates.size());
  out.exact.assign(n, 0);
  if (!in.sales.first_undated().empty())
    throw input_error(fmt::format("{}: the fast_start bonus {} needs a date on every sale line ''",
                                  in.sales.first_undated(), quote_value(name())));
  // A copy of the joined dates, so the per-line lookups below can be prefetched.
  std::vector<date_t> joined_on(n);
  for (member_index m = 0; m < n; ++m) joined_on[m] = net.joined(m);
  // Is the line inside its buyer's fast-start window?
  auto in_window = [&](std::uint32_t line) {
    const member_index b = in.sales.member(line);
    const date_t joined = joined_on[b];
    if (joined == no_date)
      throw input_error(fmt::format("{}: the fast_start bonus {} needs the joined date of member '{}'{}", net.where(b),
                                    quote_value(name()), net.id(b), net.has_joined() ? "" : " (the network has no joined column)"));
    const date_t day = in.sales.date(line);
    return day >= joined && day - joined < days_;
  };

  std::uint64_t counted = 0;
  if (in.explain) {
    // No compression: the level-k upline is the k-th parent, paid only when qualified.
    for (std::uint32_t line : in.lines) {
      if (!in_window(line)) continue;
      ++counted;
      const member_index b = in.sales.member(line);
      const base_t base = in.base(line, on_volume_);
      std::uint32_t level = 1;
      for (member_index u = net.parent(b); u != none && level <= levels; u = net.parent(u), ++level)
        if (rates[level - 1] != 0 && qualified(u, in.q)) detail::credit(out, true, u, b, line, level, base, rates[level - 1]);
    }
  } else {
    // Pay is linear in the base: sum each buyer's in-window lines, then one sweep.
    std::vector<base_t> sum(n, 0);
    const std::size_t count = in.lines.size();
    for (std::size_t i = 0; i < count; ++i) {
      if (i + 16 < count) {  // random lookups: prefetch a few lines ahead
        const member_index ahead = in.sales.member(in.lines[i + 16]);
        __builtin_prefetch(&joined_on[ahead]);
        __builtin_prefetch(&sum[ahead], 1);
      }
      const std::uint32_t line = in.lines[i];
      if (!in_window(line)) continue;
      ++counted;
      base_t& s = sum[in.sales.member(line)];
      if (__builtin_add_overflow(s, in.base(line, on_volume_), &s))
        throw overflow_error("the sales of member '" + std::string(net.id(in.sales.member(line))) + "' overflow");
    }
    detail::sweep_levels(
        net, rates, [&](member_index m) { return sum[m]; }, [&](member_index) { return levels; },
        [&](member_index m) { return qualified(m, in.q) ? levels : 0u; }, out.exact);
  }
  out.figures.emplace_back("lines_in_window", std::to_string(counted));
}

DOWNLINE_END_NAMESPACE
