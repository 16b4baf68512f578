// SPDX-License-Identifier: MIT
#include "downline/bonuses/stairstep.hpp"

#include <algorithm>
#include <limits>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "downline/bonuses/unilevel.hpp"
#include "downline/decimal.hpp"
#include "downline/detail/level_sweep.hpp"
#include "downline/detail/levels.hpp"
#include "downline/error.hpp"
#include "downline/plan.hpp"

DOWNLINE_BEGIN_NAMESPACE

namespace {
constexpr std::size_t max_steps = 100;
constexpr std::uint8_t breakaway_bit = 0x80;  // code = rate level | breakaway_bit
}  // namespace

std::shared_ptr<bonus> stairstep_bonus::from_config(const config_node& node, const bonus_context& ctx) {
  node.allow_keys({DOWNLINE_COMMON_BONUS_KEYS, "base", "steps", "include_personal", "breakaway"});
  auto b = std::make_shared<stairstep_bonus>();
  b->on_volume_ = read_base_is_volume(node);
  config_node steps = node["steps"];
  if (steps.size() == 0) steps.fail("steps must list at least one step", "[]");
  if (steps.size() > max_steps) steps.fail(fmt::format("at most {} steps", max_steps), std::to_string(steps.size()));
  for (std::size_t i = 0; i < steps.size(); ++i) {
    config_node s = steps.at(i);
    s.allow_keys({"rank", "rate"});
    step st{ctx.rank(s["rank"]), s["rate"].as_rate()};
    // "the highest step at or below its paid rank" needs one step per rank, lowest first.
    if (!b->steps_.empty() && st.rank <= b->steps_.back().rank)
      s["rank"].fail("steps must be listed by strictly increasing rank");
    b->steps_.push_back(st);
  }
  if (auto v = node.get("include_personal")) b->include_personal_ = v->as_bool();
  if (auto br = node.get("breakaway")) {
    br->allow_keys({"rank", "generations"});
    config_node rank = (*br)["rank"];
    b->breakaway_rank_ = ctx.rank(rank);
    // Ranks use one GV for the whole plan, so every breakaway in it must agree.
    for (const auto& earlier : ctx.rules.bonuses) {
      rank_index r = earlier->breakaway_rank();
      if (r != no_rank && r != b->breakaway_rank_)
        rank.fail(fmt::format("the breakaway rank must be the same in every bonus of a plan (bonus {} breaks away at {})",
                              quote_value(earlier->name()), ctx.rules.rank_name(r)));
    }
    if (auto gens = br->get("generations"))
      for (std::size_t i = 0; i < gens->size(); ++i) b->generations_.push_back(gens->at(i).as_rate());
  }
  return b;
}

void stairstep_bonus::evaluate(const period_input& in, bonus_result& out) const {
  const network& net = in.net;
  const qualification& q = in.q;
  const std::uint32_t n = net.size();
  out.exact.assign(n, 0);

  // The distinct rates, ascending, 0 first; a member's rate is rates[its level].
  std::vector<rate_t> rates{0};
  for (const step& s : steps_) rates.push_back(s.rate);
  std::sort(rates.begin(), rates.end());
  rates.erase(std::unique(rates.begin(), rates.end()), rates.end());
  const std::size_t k_count = rates.size();
  auto level_of_rate = [&](rate_t r) {
    return static_cast<std::uint8_t>(std::lower_bound(rates.begin(), rates.end(), r) - rates.begin());
  };
  // Rate level by paid rank (index rank + 1, so no_rank is 0).
  std::vector<std::uint8_t> by_rank(in.rules.ranks.size() + 1, 0);
  for (std::size_t r = 0; r < in.rules.ranks.size(); ++r) {
    rate_t rate = 0;
    for (const step& s : steps_)
      if (s.rank <= static_cast<rank_index>(r)) rate = s.rate;
    by_rank[r + 1] = level_of_rate(rate);
  }
  std::vector<std::uint8_t> code(n);
  for (member_index m = 0; m < n; ++m) {
    std::uint8_t c = qualified(m, q) ? by_rank[static_cast<std::size_t>(q.rank[m] + 1)] : 0;
    if (breakaway_rank_ != no_rank && q.rank[m] >= breakaway_rank_) c |= breakaway_bit;
    code[m] = c;
  }
  auto level = [&](member_index m) -> unsigned { return code[m] & 0x7fu; };
  auto heads = [&](member_index m) { return (code[m] & breakaway_bit) != 0; };

  std::vector<std::uint32_t> depth;
  const std::uint32_t max_depth = detail::sponsor_depths(net, depth);

  // (head, group volume) of every breakaway group with volume, by increasing member index.
  std::vector<std::pair<member_index, __int128>> groups;

  if (in.explain) {
    // jump[m × K + j]: the nearest proper ancestor whose rate level exceeds j or that heads a
    // group. A walk at running level j only ever stops at such members, so it makes at most
    // K + 1 jumps whatever the depth.
    std::vector<member_index> jump(static_cast<std::size_t>(n) * k_count);
    for (member_index m = 0; m < n; ++m) {
      member_index p = net.parent(m);
      for (std::size_t j = 0; j < k_count; ++j)
        jump[m * k_count + j] = p == none ? none : (level(p) > j || heads(p)) ? p : jump[p * k_count + j];
    }
    std::vector<__int128> group(n, 0);
    for (std::uint32_t line : in.lines) {
      const member_index b = in.sales.member(line);
      const base_t base = in.base(line, on_volume_);
      unsigned k = level(b);
      if (include_personal_ && rates[k] != 0) detail::credit(out, true, b, b, line, 0, base, rates[k]);
      member_index head = heads(b) ? b : none;
      for (member_index cur = b; head == none;) {
        const member_index u = jump[cur * k_count + k];
        if (u == none) break;
        if (level(u) > k) {
          detail::credit(out, true, u, b, line, depth[b] - depth[u], base, rates[level(u)] - rates[k]);
          k = level(u);
        }
        if (heads(u)) head = u;
        cur = u;
      }
      if (head != none) group[head] += base;
    }
    for (member_index h = 0; h < n; ++h)
      if (group[h] != 0) groups.emplace_back(h, group[h]);
  } else {
    // Each buyer's summed base: pay is linear in it. A volume base summed is the PV.
    std::vector<base_t> sum;
    if (!on_volume_) {
      sum.assign(n, 0);
      const std::size_t count = in.lines.size();
      for (std::size_t i = 0; i < count; ++i) {
        // A random scatter: prefetch a few lines ahead so the cache misses overlap.
        if (i + 16 < count) __builtin_prefetch(&sum[in.sales.member(in.lines[i + 16])], 1);
        const std::uint32_t line = in.lines[i];
        base_t& s = sum[in.sales.member(line)];
        if (__builtin_add_overflow(s, in.sales.amount(line), &s))
          throw overflow_error("the sales of member '" + std::string(net.id(in.sales.member(line))) + "' overflow");
      }
    }
    auto sales_of = [&](member_index m) -> base_t {
      if (!on_volume_) return sum[m];
      base_t v;
      if (__builtin_mul_overflow(q.pv[m], amount_scale / volume_scale, &v))
        throw overflow_error("the sales of member '" + std::string(net.id(m)) + "' overflow");
      return v;
    };
    // One reverse sweep of the preorder. Between a member's children and the member itself
    // only its own subtree is visited, so one accumulator per depth holds "what the children
    // of the member now at depth d − 1 pass up", bucketed by the highest rate level the
    // volume has met so far. A member pays itself the difference to its rate on every bucket
    // below it and merges them into its own; a group's head keeps everything.
    std::vector<__int128> acc((static_cast<std::size_t>(max_depth) + 2) * k_count, 0);
    for (member_index m = n; m-- > 0;) {
      __int128* below = &acc[(static_cast<std::size_t>(depth[m]) + 1) * k_count];
      __int128* up = &acc[static_cast<std::size_t>(depth[m]) * k_count];
      const unsigned k = level(m);
      const rate_t own = rates[k];
      const base_t mine_sales = sales_of(m);
      exact_t pay = include_personal_ ? static_cast<exact_t>(own) * mine_sales : 0;
      __int128 mine = mine_sales;
      for (unsigned j = 0; j <= k; ++j) {
        if (below[j] == 0) continue;
        pay += static_cast<exact_t>(own - rates[j]) * below[j];
        mine += below[j];
        below[j] = 0;
      }
      if (heads(m)) {
        for (std::size_t j = k + 1; j < k_count; ++j) mine += std::exchange(below[j], 0);
        if (mine != 0) groups.emplace_back(m, mine);
      } else {
        up[k] += mine;
        for (std::size_t j = k + 1; j < k_count; ++j) up[j] += std::exchange(below[j], 0);
      }
      out.exact[m] += pay;
    }
    std::reverse(groups.begin(), groups.end());
  }

  // Generation overrides: the i-th breakaway-rank upline above a head earns generations[i-1].
  // One forward sweep keeps the stack of breakaway-rank members whose subtree holds the
  // current member: its top entries are a head's 1st, 2nd, … breakaway-rank uplines.
  __int128 group_volume = 0;
  for (auto& g : groups) group_volume += g.second;
  if (!generations_.empty() && !groups.empty()) {
    std::vector<explanation> lines;
    std::vector<member_index> above;
    std::size_t next = 0;
    for (member_index m = 0; m < n && next < groups.size(); ++m) {
      while (!above.empty() && net.subtree_end(above.back()) <= m) above.pop_back();
      if (groups[next].first == m) {
        const __int128 volume = groups[next++].second;
        const std::size_t reach = std::min(generations_.size(), above.size());
        for (std::size_t i = 0; i < reach; ++i) {
          const member_index u = above[above.size() - 1 - i];
          if (!qualified(u, q) || generations_[i] == 0) continue;
          if (!in.explain) {
            out.exact[u] += static_cast<exact_t>(generations_[i]) * volume;
            continue;
          }
          if (volume > std::numeric_limits<base_t>::max() || volume < std::numeric_limits<base_t>::min())
            throw overflow_error("the breakaway group volume of member '" + std::string(net.id(m)) + "' overflows");
          out.exact[u] += static_cast<exact_t>(generations_[i]) * volume;
          lines.push_back({u, m, none, static_cast<std::uint32_t>(i + 1), static_cast<base_t>(volume), generations_[i],
                           static_cast<exact_t>(generations_[i]) * volume});
        }
      }
      if (heads(m)) above.push_back(m);
    }
    // After each earner's sale lines, its overrides by the group head's network-file order.
    std::stable_sort(lines.begin(), lines.end(),
                     [&](const explanation& a, const explanation& b) { return net.row(a.source) < net.row(b.source); });
    out.lines.insert(out.lines.end(), lines.begin(), lines.end());
  }
  if (breakaway_rank_ != no_rank) {
    out.figures.emplace_back("breakaway_groups", std::to_string(groups.size()));
    out.figures.emplace_back("group_volume", format_trimmed(group_volume, base_decimals));
  }
}

DOWNLINE_END_NAMESPACE
