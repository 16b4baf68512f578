// SPDX-License-Identifier: MIT
#include "downline/bonuses/matching.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "downline/decimal.hpp"
#include "downline/detail/level_sweep.hpp"
#include "downline/error.hpp"
#include "downline/plan.hpp"

DOWNLINE_BEGIN_NAMESPACE

namespace {
/// The matched member's rounded earning as a base (millionths), or an overflow error.
struct matched_amounts {
  const std::vector<minor_t>& rounded;
  const network& net;
  std::int64_t scale;  // minor units → millionths
  base_t operator[](member_index d) const {
    base_t b;
    if (__builtin_mul_overflow(rounded[d], scale, &b))
      throw overflow_error("the matched earning of member '" + std::string(net.id(d)) + "' overflows");
    return b;
  }
};
}  // namespace

std::shared_ptr<bonus> matching_bonus::from_config(const config_node& node, const bonus_context& ctx) {
  node.allow_keys({DOWNLINE_COMMON_BONUS_KEYS, "of", "rates", "compression", "levels_by_rank", "generation_rank"});
  auto b = std::make_shared<matching_bonus>();
  config_node of = node["of"];
  const std::string name = of.as_string();
  const int index = ctx.rules.find_bonus(name);
  if (index < 0) of.fail("matching needs the name of a bonus listed before it in the plan", name);
  // Matching a matching would make each one depend on the other's downline: a cycle.
  if (dynamic_cast<const matching_bonus*>(ctx.rules.bonuses[static_cast<std::size_t>(index)].get()))
    of.fail("a matching of a matching is a cycle in the plan: this names a matching bonus", name);
  b->of_ = static_cast<std::size_t>(index);
  b->rules_ = detail::level_rules::from_config(node, ctx, /*allow_paid_on=*/false);
  if (auto g = node.get("generation_rank")) {
    b->generation_rank_ = ctx.rank(*g);
    if (b->rules_.dynamic) node["compression"].fail("compression does not apply to generations (generation_rank)");
  }
  return b;
}

void matching_bonus::evaluate(const period_input& in, bonus_result& out) const {
  const network& net = in.net;
  const qualification& q = in.q;
  const std::uint32_t n = net.size();
  out.exact.assign(n, 0);
  out.figures.emplace_back("of", in.rules.bonuses[of_]->name());
  const matched_amounts amount{in.earlier[of_].rounded, net,
                               static_cast<std::int64_t>(pow10_i128(amount_decimals - in.rules.money_decimals))};
  const std::vector<rate_t>& rates = rules_.rates;
  const std::size_t levels = rates.size();

  // Levels (or generations) each member may earn on: 0 when not qualified.
  std::vector<std::uint32_t> levels_of_rank(in.rules.ranks.size() + 1);
  for (std::size_t r = 0; r < levels_of_rank.size(); ++r)
    levels_of_rank[r] = rules_.levels_unlocked(static_cast<rank_index>(static_cast<int>(r) - 1));
  auto unlocked = [&](member_index m) -> std::uint32_t {
    return qualified(m, q) ? levels_of_rank[static_cast<std::size_t>(q.rank[m] + 1)] : 0;
  };
  // One rule covers the four modes: the level (generation) of a downline member d seen
  // from an earner a is 1 + the members strictly between them that "close" a level: every
  // member (compression none), every qualified member (dynamic: the others are skipped),
  // every member of generation_rank (generations), or, generous, a qualified member whose
  // rank unlocks the level it would occupy. closes(m): up to which level m closes one.
  const auto all = static_cast<std::uint32_t>(levels);
  auto closes = [&](member_index m) -> std::uint32_t {
    if (generation_rank_ != no_rank) return q.rank[m] >= generation_rank_ ? all : 0;
    if (rules_.generous) return unlocked(m);  // 0 when not qualified
    return !rules_.dynamic || qualified(m, q) ? all : 0;
  };

  if (in.explain) {
    // jump[m × L + k − 1]: the nearest proper ancestor that closes a level or earns at level
    // k; a walk visits only those, so its length is its lines + levels.
    std::vector<member_index> jump(static_cast<std::size_t>(n) * levels);
    for (member_index m = 0; m < n; ++m) {
      const member_index p = net.parent(m);
      for (std::size_t k = 1; k <= levels; ++k) {
        const bool stop = p != none && (closes(p) >= k || (unlocked(p) >= k && rates[k - 1] != 0));
        jump[m * levels + k - 1] = p == none ? none : stop ? p : jump[p * levels + k - 1];
      }
    }
    // Sources in network-file order, so each earner's lines come out in that order.
    for (std::uint32_t row = 0; row < n; ++row) {
      const member_index d = net.member_at_row(row);
      if (amount.rounded[d] == 0) continue;
      const base_t base = amount[d];
      std::size_t k = 1;
      for (member_index u = jump[d * levels]; u != none; u = jump[u * levels + k - 1]) {
        if (unlocked(u) >= k && rates[k - 1] != 0)
          detail::credit(out, true, u, d, none, static_cast<std::uint32_t>(k), base, rates[k - 1]);
        if (closes(u) >= k && ++k > levels) break;
      }
    }
    return;
  }

  // One bottom-up sweep, no walks up the tree.
  detail::sweep_levels(
      net, rates, [&](member_index m) -> base_t { return amount.rounded[m] == 0 ? 0 : amount[m]; }, closes, unlocked,
      out.exact);
}

DOWNLINE_END_NAMESPACE
