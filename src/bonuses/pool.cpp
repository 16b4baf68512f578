// SPDX-License-Identifier: MIT
#include "downline/bonuses/pool.hpp"

#include <limits>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "downline/bonuses/unilevel.hpp"
#include "downline/decimal.hpp"
#include "downline/error.hpp"
#include "downline/plan.hpp"
#include "downline/rounding.hpp"

DOWNLINE_BEGIN_NAMESPACE

std::shared_ptr<bonus> pool_bonus::from_config(const config_node& node, const bonus_context& ctx) {
  node.allow_keys({DOWNLINE_COMMON_BONUS_KEYS, "base", "share", "split", "shares_by_rank"});
  auto b = std::make_shared<pool_bonus>();
  b->on_volume_ = read_base_is_volume(node);
  b->share_ = node["share"].as_rate();
  if (auto split = node.get("split")) {
    std::string s = split->as_string();
    if (s == "gv") b->split_ = split_rule::gv;
    else if (s == "shares") b->split_ = split_rule::shares;
    else if (s != "equal") split->fail("split must be equal, gv or shares");
  }
  auto table = node.get("shares_by_rank");
  if (b->split_ == split_rule::shares && !table)
    node["split"].fail("split shares needs shares_by_rank (the shares each rank holds)");
  if (table) {
    if (b->split_ != split_rule::shares)
      table->fail("shares_by_rank applies only to split \"shares\"", "shares_by_rank");
    b->shares_by_rank_ = detail::by_rank<std::int64_t>::read(*table, ctx, [](const config_node& v) {
      if (!v.json().is_number_integer()) v.fail("a share count must be a whole number (a JSON integer)");
      return v.as_integer(0, max_shares);
    });
  }
  return b;
}

std::int64_t pool_bonus::shares_of(member_index m, const qualification& q) const noexcept {
  const std::int64_t* shares = shares_by_rank_.find(q.rank[m]);
  return shares ? *shares : 0;
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
    const std::int64_t w = split_ == split_rule::equal ? 1
                           : split_ == split_rule::gv  ? in.q.gv[m]
                                                       : shares_of(m, in.q);
    if (w <= 0) continue;
    weight[m] = w;
    weights += w;
    ++sharers;
  }
  __int128 paid = 0;
  const __int128 pool_base = pool * pow10_i128(amount_decimals - md);  // for explanation lines
  if (in.explain && pool_base > std::numeric_limits<base_t>::max())
    throw overflow_error("the pool of bonus '" + name() + "' overflows");
  // With shares, the share value is truncated first: every share pays the same whole amount.
  const __int128 share_value = split_ == split_rule::shares && weights > 0 ? pool / weights : 0;
  if (pool > 0 && weights > 0) {
    // Stored in preorder; explanation lines in network-file order.
    for (std::uint32_t row = 0; row < n; ++row) {
      const member_index m = in.explain ? in.net.member_at_row(row) : row;
      if (weight[m] == 0) continue;
      // Toward zero: both positive.
      const __int128 part = split_ == split_rule::shares ? share_value * weight[m] : pool * weight[m] / weights;
      if (part == 0) continue;
      paid += part;
      out.exact[m] = static_cast<exact_t>(part) * exact_per_minor;
      if (in.explain) {
        const rate_t fraction = static_cast<rate_t>(static_cast<__int128>(weight[m]) * rate_scale / weights);
        out.lines.push_back({m, none, none, 0, static_cast<base_t>(pool_base), fraction, out.exact[m]});
        if (split_ == split_rule::shares) {
          out.lines.back().detail = static_cast<std::uint32_t>(out.details.size());
          out.details.push_back(describe_shares(m, in.q, in.rules, format_fixed(share_value, md)));
        }
      }
    }
  }
  out.breakage = static_cast<minor_t>(pool - paid);
  out.figures.emplace_back("pool", format_fixed(pool, md));
  out.figures.emplace_back("sharers", std::to_string(sharers));
  out.figures.emplace_back("breakage", format_fixed(pool - paid, md));
  if (split_ == split_rule::shares) {
    out.figures.emplace_back("shares", format_fixed(weights, 0));
    out.figures.emplace_back("share_value", format_fixed(share_value, md));
  }
}

// lines.csv `detail` of a shareholder: "shares=2 (shares_by_rank Gold, paid-as rank Diamond) share_value=5882".
std::string pool_bonus::describe_shares(member_index m, const qualification& q, const plan& rules,
                                        const std::string& share_value) const {
  const rank_index r = q.rank[m];
  return fmt::format("shares={} (shares_by_rank {}, paid-as rank {}) share_value={}", shares_of(m, q),
                     rules.rank_name(shares_by_rank_.listed_rank(r)), rules.rank_name(r), share_value);
}

DOWNLINE_END_NAMESPACE
