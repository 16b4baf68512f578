// SPDX-License-Identifier: MIT
#include "downline/bonuses/pool.hpp"

#include <limits>
#include <string>
#include <vector>

#include "downline/bonuses/unilevel.hpp"
#include "downline/decimal.hpp"
#include "downline/error.hpp"
#include "downline/plan.hpp"
#include "downline/rounding.hpp"

DOWNLINE_BEGIN_NAMESPACE

std::shared_ptr<bonus> pool_bonus::from_config(const config_node& node, const bonus_context&) {
  node.allow_keys({DOWNLINE_COMMON_BONUS_KEYS, "base", "share", "split"});
  auto b = std::make_shared<pool_bonus>();
  b->on_volume_ = read_base_is_volume(node);
  b->share_ = node["share"].as_rate();
  if (auto split = node.get("split")) {
    std::string s = split->as_string();
    if (s == "gv") b->split_ = split_rule::gv;
    else if (s != "equal") split->fail("split must be equal or gv");
  }
  return b;
}

void pool_bonus::evaluate(const period_input& in, bonus_result& out) const {
  const std::uint32_t n = in.net.size();
  const int md = in.rules.money_decimals;
  out.exact.assign(n, 0);

  __int128 total = 0;
  for (std::uint32_t line : in.lines) total += in.base(line, on_volume_);
  // share × total is exact (10^-12); the pool is that truncated to minor units.
  const __int128 exact_per_minor = pow10_i128(exact_decimals - md);
  const __int128 pool = total > 0 ? static_cast<__int128>(share_) * total / exact_per_minor : 0;
  if (pool > std::numeric_limits<minor_t>::max()) throw overflow_error("the pool of bonus '" + name() + "' overflows");

  std::vector<volume_t> weight(n, 0);
  __int128 weights = 0;
  std::uint64_t sharers = 0;
  for (member_index m = 0; m < n; ++m) {
    if (!qualified(m, in.q)) continue;
    const volume_t w = split_ == split_rule::equal ? 1 : in.q.gv[m];
    if (w <= 0) continue;
    weight[m] = w;
    weights += w;
    ++sharers;
  }
  __int128 paid = 0;
  const __int128 pool_base = pool * pow10_i128(amount_decimals - md);  // for explanation lines
  if (in.explain && pool_base > std::numeric_limits<base_t>::max())
    throw overflow_error("the pool of bonus '" + name() + "' overflows");
  if (pool > 0 && weights > 0) {
    // Stored in preorder; explanation lines in network-file order.
    for (std::uint32_t row = 0; row < n; ++row) {
      const member_index m = in.explain ? in.net.member_at_row(row) : row;
      if (weight[m] == 0) continue;
      const __int128 part = pool * weight[m] / weights;  // toward zero: both positive
      if (part == 0) continue;
      paid += part;
      out.exact[m] = static_cast<exact_t>(part) * exact_per_minor;
      if (in.explain) {
        const rate_t fraction = static_cast<rate_t>(static_cast<__int128>(weight[m]) * rate_scale / weights);
        out.lines.push_back({m, none, none, 0, static_cast<base_t>(pool_base), fraction, out.exact[m]});
      }
    }
  }
  out.breakage = static_cast<minor_t>(pool - paid);
  out.figures.emplace_back("pool", format_fixed(pool, md));
  out.figures.emplace_back("sharers", std::to_string(sharers));
  out.figures.emplace_back("breakage", format_fixed(pool - paid, md));
}

DOWNLINE_END_NAMESPACE
