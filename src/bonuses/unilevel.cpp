// SPDX-License-Identifier: MIT
#include "downline/bonuses/unilevel.hpp"

#include <string>

#include "downline/detail/level_bases.hpp"
#include "downline/detail/shared_work.hpp"

DOWNLINE_BEGIN_NAMESPACE

bool read_base_is_volume(const config_node& node) {
  auto base = node.get("base");
  if (!base) return false;
  std::string s = base->as_string();
  if (s == "volume") return true;
  if (s != "amount") base->fail("base must be amount or volume");
  return false;
}

std::shared_ptr<bonus> unilevel_bonus::from_config(const config_node& node, const bonus_context& ctx) {
  node.allow_keys({DOWNLINE_COMMON_BONUS_KEYS, "base", "rates", "compression", "paid_on", "levels_by_rank"});
  auto b = std::make_shared<unilevel_bonus>();
  b->on_volume_ = read_base_is_volume(node);
  b->rules_ = detail::level_rules::from_config(node, ctx);
  return b;
}

void unilevel_bonus::evaluate(const period_input& in, bonus_result& out) const {
  const std::uint32_t n = in.net.size();
  const qualification& q = in.q;
  // paid_on "active": an inactive member neither earns nor generates pay.
  auto walker = [&] {
    std::vector<std::uint8_t> eligible(n);
    for (member_index m = 0; m < n; ++m) eligible[m] = qualified(m, q) && (!rules_.paid_on_active || q.active[m]);
    return detail::level_walker(rules_, in.net.parents(), std::move(eligible), q);
  };
  auto generates = [&](member_index b) { return !rules_.paid_on_active || q.active[b]; };

  out.exact.assign(n, 0);
  if (in.explain) {
    const detail::level_walker w = walker();
    for (std::uint32_t line : in.lines) {
      member_index b = in.sales.member(line);
      if (!generates(b)) continue;
      base_t base = in.base(line, on_volume_);
      w.walk(b, [&](std::uint32_t level, member_index u, rate_t rate) {
        detail::credit(out, true, u, b, line, level, base, rate);
      });
    }
    return;
  }
  // The pay is linear in the base, so one walk per buyer over its summed base suffices.
  auto walk_sums = [&](auto&& pay) {
    const detail::level_walker w = walker();
    for (member_index b = 0; b < n; ++b) {
      const base_t sum = in.base_sum(b, on_volume_);
      if (sum == 0 || !generates(b)) continue;
      w.walk(b, [&](std::uint32_t level, member_index u, rate_t rate) { pay(level, u, rate, sum); });
    }
  };
  // Compared plans whose unilevels differ only in rates walk once: each pays V × its rates.
  if (in.shared) {
    const auto& bases = in.shared->get<detail::level_bases>(structure(in.net), [&] {
      detail::level_bases v(n, static_cast<std::uint32_t>(rules_.rates.size()));
      walk_sums([&](std::uint32_t level, member_index u, rate_t, base_t sum) { v.add(u, level, sum); });
      return v;
    });
    if (bases.fits()) return bases.pay(rules_.rates, out.exact);
  }
  walk_sums([&](std::uint32_t, member_index u, rate_t rate, base_t sum) {
    out.exact[u] += static_cast<exact_t>(rate) * sum;
  });
}

detail::level_structure unilevel_bonus::structure(const network& net) const {
  return {&net.parents(), static_cast<std::uint32_t>(rules_.rates.size()), rules_.dynamic, rules_.generous,
          rules_.paid_on_active, on_volume_, rules_.levels_by_rank, min_rank(), require_active()};
}

DOWNLINE_END_NAMESPACE
