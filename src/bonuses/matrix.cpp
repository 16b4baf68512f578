// SPDX-License-Identifier: MIT
#include "downline/bonuses/matrix.hpp"

#include <string>

#include <fmt/format.h>

#include "downline/bonuses/unilevel.hpp"
#include "downline/detail/huge_buffer.hpp"
#include "downline/error.hpp"

DOWNLINE_BEGIN_NAMESPACE

std::shared_ptr<bonus> matrix_bonus::from_config(const config_node& node, const bonus_context& ctx) {
  node.allow_keys({DOWNLINE_COMMON_BONUS_KEYS, "base", "width", "depth", "rates", "compression", "paid_on",
                   "levels_by_rank"});
  auto b = std::make_shared<matrix_bonus>();
  b->on_volume_ = read_base_is_volume(node);
  b->width_ = static_cast<std::uint32_t>(
      node["width"].as_integer(placement_options::min_width, placement_options::max_width));
  b->depth_ = static_cast<std::uint32_t>(node["depth"].as_integer(1, 1'000'000));
  b->rules_ = detail::level_rules::from_config(node, ctx);
  if (b->rules_.rates.size() > b->depth_)
    node["rates"].fail(fmt::format("a matrix of depth {} pays at most {} levels; rates has", b->depth_, b->depth_),
                       std::to_string(b->rules_.rates.size()));
  return b;
}

void matrix_bonus::evaluate(const period_input& in, bonus_result& out) const {
  const std::uint32_t n = in.net.size();
  const placement_tree& tree = in.layout->tree(placement());
  const qualification& q = in.q;

  // The walker runs over the placement preorder: eligibility and ranks are permuted to it
  // (level_walker reads only `rank` of a qualification).
  std::vector<std::uint8_t> eligible(n);
  qualification ranks;
  ranks.rank.resize(n);
  for (std::uint32_t p = 0; p < n; ++p) {
    const member_index m = tree.member(p);
    eligible[p] = qualified(m, q) && (!rules_.paid_on_active || q.active[m]);
    ranks.rank[p] = q.rank[m];
  }
  detail::level_walker walker(rules_, tree.parents(), std::move(eligible), ranks);
  auto generates = [&](member_index b) { return !rules_.paid_on_active || q.active[b]; };

  out.exact.assign(n, 0);
  if (in.explain) {
    for (std::uint32_t line : in.lines) {
      const member_index b = in.sales.member(line);
      if (!generates(b)) continue;
      const base_t base = in.base(line, on_volume_);
      walker.walk(tree.index(b), [&](std::uint32_t level, std::uint32_t u, rate_t rate) {
        detail::credit(out, true, tree.member(u), b, line, level, base, rate);
      });
    }
    return;
  }
  // The pay is linear in the base: one walk per buyer over its summed base (the engine's
  // per-member sums when there are).
  detail::huge_buffer<base_t> sum(n);  // placement preorder, on huge pages: written at random
  if (on_volume_ || in.member_amounts) {
    for (member_index m = 0; m < n; ++m) sum[tree.index(m)] = in.base_sum(m, on_volume_);
  } else {
    for (std::uint32_t line : in.lines) {
      base_t& s = sum[tree.index(in.sales.member(line))];
      if (__builtin_add_overflow(s, in.base(line, on_volume_), &s))
        throw overflow_error(fmt::format("the sales of member '{}' overflow", in.net.id(in.sales.member(line))));
    }
  }
  for (std::uint32_t p = 0; p < n; ++p) {
    if (sum[p] == 0 || !generates(tree.member(p))) continue;
    walker.walk(p, [&](std::uint32_t, std::uint32_t u, rate_t rate) {
      out.exact[tree.member(u)] += static_cast<exact_t>(rate) * sum[p];
    });
  }
}

DOWNLINE_END_NAMESPACE
