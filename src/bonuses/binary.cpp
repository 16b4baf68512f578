// SPDX-License-Identifier: MIT
#include "downline/bonuses/binary.hpp"

#include <algorithm>
#include <array>
#include <iterator>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "downline/bonuses/unilevel.hpp"
#include "downline/decimal.hpp"
#include "downline/detail/huge_buffer.hpp"
#include "downline/detail/parallel.hpp"
#include "downline/error.hpp"
#include "downline/plan.hpp"

DOWNLINE_BEGIN_NAMESPACE

namespace {

// Base units (millionths) per unit of carry (ten-thousandths): carry is stored with volume
// decimals, and every binary quantity is a whole number of ten-thousandths (see from_config).
constexpr base_t carry_unit = amount_scale / volume_scale;

// Money (cap, cycle pay): a non-negative decimal with at most the plan's money_decimals.
amount_t read_money(const config_node& node, int money_decimals) {
  amount_t v = node.as_decimal(amount_decimals, "money");
  if (v < 0) node.fail("money must not be negative");
  std::int64_t unit = 1;
  for (int d = money_decimals; d < amount_decimals; ++d) unit *= 10;
  if (v % unit != 0) node.fail(fmt::format("money has more decimals than the plan's money_decimals ({})", money_decimals));
  return v;
}

// A volume in the bonus's base unit (max_carry, cycle sizes): at most 4 decimals.
base_t read_base_volume(const config_node& node) { return node.as_volume() * carry_unit; }

void append_pair(std::string& s, const char* key, const base_t (&v)[2]) {
  s += key;
  s += "_L=";
  append_trimmed(s, v[0], base_decimals);
  s += ' ';
  s += key;
  s += "_R=";
  append_trimmed(s, v[1], base_decimals);
}

// lines.csv `detail` of one binary member: both legs, what pairing did, the cap.
std::string describe(const binary_legs& l, bool cycles) {
  std::string s;
  append_pair(s, "carry_in", l.carry_in);
  s += ' ';
  append_pair(s, "volume", l.volume);
  s += ' ';
  append_pair(s, "matched", l.matched);
  s += ' ';
  append_pair(s, "carry_out", l.carry_out);
  s += ' ';
  append_pair(s, "flushed", l.flushed);
  if (cycles) s += fmt::format(" cycles={}", l.cycles);
  s += " capped=";
  append_trimmed(s, l.capped, exact_decimals);
  return s;
}

}  // namespace

std::shared_ptr<bonus> binary_bonus::from_config(const config_node& node, const bonus_context& ctx) {
  node.allow_keys({DOWNLINE_COMMON_BONUS_KEYS, "base", "placement", "rate", "cycle", "cap", "max_carry",
                   "flush_inactive", "require_sponsored", "rate_by_rank", "pay_by_rank", "cap_by_rank"});
  auto b = std::make_shared<binary_bonus>();
  b->on_volume_ = read_base_is_volume(node);
  const int md = ctx.rules.money_decimals;
  // Carry is kept (and written to the state file) with volume decimals; amounts with more
  // decimals could not be carried exactly.
  if (!b->on_volume_ && md > volume_decimals)
    node.fail(fmt::format("a binary bonus on amount needs money_decimals of at most {} (carry keeps {} decimals); "
                          "money_decimals is",
                          volume_decimals, volume_decimals),
              std::to_string(md));
  if (auto p = node.get("placement")) {
    std::string s = p->as_string();
    if (s == "bfs") b->rule_ = placement_rule::bfs;
    else if (s == "outer_left") b->rule_ = placement_rule::outer_left;
    else if (s == "outer_right") b->rule_ = placement_rule::outer_right;
    else p->fail("placement must be bfs, outer_left or outer_right");
  }
  auto rate = node.get("rate");
  auto cycle = node.get("cycle");
  if (rate && cycle) cycle->fail("a binary bonus pairs by rate or by cycle, not both", "cycle");
  if (rate) {
    b->rate_ = rate->as_rate();
  } else if (cycle) {
    cycle->allow_keys({"left", "right", "pay"});
    const char* sides[2] = {"left", "right"};
    for (int s = 0; s < 2; ++s) {
      config_node size = (*cycle)[sides[s]];
      b->cycle_size_[s] = read_base_volume(size);
      if (b->cycle_size_[s] <= 0) size.fail("cycle size must be positive");
    }
    b->cycle_pay_ = read_money((*cycle)["pay"], md);
  } else {
    node.fail("a binary bonus needs \"rate\" or \"cycle\"", node["name"].as_string());
  }
  // By-rank tables: each belongs to one pairing (a rate table on a cycle bonus is an error).
  auto money = [md](const config_node& v) { return read_money(v, md); };
  if (auto t = node.get("rate_by_rank")) {
    if (!rate) t->fail("rate_by_rank needs rate pairing (\"rate\"); this bonus pairs by cycle: use pay_by_rank", "rate_by_rank");
    b->rate_by_rank_ = detail::by_rank<rate_t>::read(*t, ctx, [](const config_node& v) { return v.as_rate(); });
  }
  if (auto t = node.get("pay_by_rank")) {
    if (!cycle) t->fail("pay_by_rank needs cycle pairing (\"cycle\"); this bonus pairs by rate: use rate_by_rank", "pay_by_rank");
    b->pay_by_rank_ = detail::by_rank<amount_t>::read(*t, ctx, money);
  }
  if (auto v = node.get("cap")) b->cap_ = read_money(*v, md);
  if (auto t = node.get("cap_by_rank")) b->cap_by_rank_ = detail::by_rank<amount_t>::read(*t, ctx, money);
  if (auto v = node.get("max_carry")) {
    b->max_carry_ = read_base_volume(*v);
    if (*b->max_carry_ < 0) v->fail("max_carry must not be negative");
  }
  if (auto v = node.get("flush_inactive")) b->flush_inactive_ = v->as_bool();
  if (auto v = node.get("require_sponsored"))
    b->require_sponsored_ = static_cast<std::uint32_t>(v->as_integer(0, 1'000'000));
  return b;
}

const char* binary_bonus::pair(binary_legs& l, bool qualified, rank_index rank) const {
  base_t total[2];
  for (int s = 0; s < 2; ++s) {
    l.matched[s] = l.flushed[s] = 0;
    if (__builtin_add_overflow(l.carry_in[s], l.volume[s], &total[s])) return "binary leg volume";
  }
  l.cycles = 0;
  l.pay = l.capped = 0;
  // A negative (or empty) side pairs nothing.
  if (qualified && total[0] > 0 && total[1] > 0) {
    if (rate_) {
      const base_t matched = std::min(total[0], total[1]);
      l.matched[0] = l.matched[1] = matched;
      l.pay = static_cast<exact_t>(rate_for(rank)) * matched;
    } else {
      l.cycles = std::min(total[0] / cycle_size_[0], total[1] / cycle_size_[1]);
      for (int s = 0; s < 2; ++s) l.matched[s] = l.cycles * cycle_size_[s];  // ≤ total: no overflow
      amount_t money = 0;
      if (__builtin_mul_overflow(l.cycles, pay_for(rank), &money)) return "binary cycle pay";
      l.pay = static_cast<exact_t>(money) * rate_one;
    }
    // The matched volume is consumed in full even when the cap cuts the pay.
    if (const amount_t* cap_money = cap_for(rank)) {
      const exact_t cap = static_cast<exact_t>(*cap_money) * rate_one;
      if (l.pay > cap) {
        l.capped = l.pay - cap;
        l.pay = cap;
      }
    }
  }
  for (int s = 0; s < 2; ++s) {
    const base_t rest = total[s] - l.matched[s];
    if (!qualified && flush_inactive_) {
      l.carry_out[s] = 0;
      l.flushed[s] = rest;
    } else if (max_carry_ && rest > *max_carry_) {
      l.carry_out[s] = *max_carry_;
      l.flushed[s] = rest - *max_carry_;
    } else {
      l.carry_out[s] = rest;
    }
  }
  return nullptr;
}

std::string binary_bonus::describe_by_rank(rank_index r, const plan& rules) const {
  std::string s;
  const std::string paid_as = r == no_rank ? std::string("none") : std::string(rules.rank_name(r));
  // "(rate_by_rank Gold, paid-as rank Diamond)" or "(rate: paid-as rank none is below rate_by_rank)"
  auto why = [&](const auto& table, const char* table_name, const char* plain) {
    const rank_index listed = table.listed_rank(r);
    if (listed != no_rank)
      return fmt::format(" ({} {}, paid-as rank {})", table_name, rules.rank_name(listed), paid_as);
    return fmt::format(" ({}: paid-as rank {} is below {})", plain, paid_as, table_name);
  };
  const auto minor_per_millionth = static_cast<std::int64_t>(pow10_i128(amount_decimals - rules.money_decimals));
  auto money_text = [&](amount_t v) { return format_fixed(v / minor_per_millionth, rules.money_decimals); };
  if (!rate_by_rank_.empty()) s += " rate=" + format_rate(rate_for(r)) + why(rate_by_rank_, "rate_by_rank", "rate");
  if (!pay_by_rank_.empty()) s += " pay=" + money_text(pay_for(r)) + why(pay_by_rank_, "pay_by_rank", "cycle.pay");
  if (!cap_by_rank_.empty()) {
    const amount_t* cap = cap_for(r);
    s += " cap=" + (cap ? money_text(*cap) : std::string("none")) + why(cap_by_rank_, "cap_by_rank", "cap");
  }
  return s;
}

std::vector<state_key> binary_bonus::state_keys() const {
  return {{"carry_left:" + name(), state_kind::volume, 0}, {"carry_right:" + name(), state_kind::volume, 0}};
}

void binary_bonus::evaluate(const period_input& in, bonus_result& out) const {
  const network& net = in.net;
  const std::uint32_t n = net.size();
  const placement_tree& tree = in.layout->tree(placement());

  // Own sales per member (the engine's per-member sums: no second pass over the lines), then
  // placement-subtree sums in one reverse preorder sweep; a member's legs are its left and
  // right child's subtree sums (its own sales are not). Tables read or written at random live
  // on huge pages (see placement.cpp).
  detail::huge_buffer<base_t> sub(n);  // placement preorder
  if (on_volume_ || in.member_amounts) {
    detail::parallel_for(n, [&](std::size_t, std::size_t begin, std::size_t end) {
      for (auto m = static_cast<member_index>(begin); m < end; ++m) sub[tree.index(m)] = in.base_sum(m, on_volume_);
    });
  } else {
    for (std::uint32_t line : in.lines) {
      base_t& s = sub[tree.index(in.sales.member(line))];
      if (__builtin_add_overflow(s, in.base(line, on_volume_), &s))
        throw overflow_error(fmt::format("the sales of member '{}' overflow", net.id(in.sales.member(line))));
    }
  }
  detail::huge_buffer<std::array<base_t, 2>> legs(n);  // network numbering
  for (std::uint32_t p = n; p-- > 0;) {
    const std::uint32_t up = tree.parent(p);
    if (up == none) continue;
    legs[tree.member(up)][tree.slot(p)] = sub[p];
    if (__builtin_add_overflow(sub[up], sub[p], &sub[up]))
      throw overflow_error(fmt::format("the binary leg volume of member '{}' overflows", net.id(tree.member(up))));
  }
  sub = {};

  // require_sponsored: active personally sponsored members in each placement leg.
  detail::huge_buffer<std::array<std::uint32_t, 2>> sponsored;
  if (require_sponsored_ > 0) {
    sponsored = detail::huge_buffer<std::array<std::uint32_t, 2>>(n);
    for (member_index c = 0; c < n; ++c) {
      const member_index s = net.parent(c);
      if (s == none || !in.q.active[c]) continue;
      const std::uint32_t ps = tree.index(s), pc = tree.index(c);
      if (pc <= ps || pc >= tree.subtree_end(ps)) continue;  // placed outside the sponsor's subtree
      const std::uint32_t first = ps + 1;  // the first child of s; the other one is R
      ++sponsored[s][pc < tree.subtree_end(first) ? tree.slot(first) : 1];
    }
  }

  // Carry per side in and out (SPEC §7.2 keys carry_left:<name>, carry_right:<name>).
  const std::vector<state_key> keys = state_keys();
  const std::vector<std::int64_t>* carry[2] = {in.state_in.find(keys[0].name), in.state_in.find(keys[1].name)};
  out.exact.assign(n, 0);
  std::vector<std::int64_t>* carry_out[2] = {&in.state_out.column(keys[0], n), &in.state_out.column(keys[1], n)};
  // Members pair independently: chunks of them on the threads; each chunk keeps its own
  // figures and explanation lines, joined in member order afterwards.
  struct chunk_result {
    __int128 carried_in = 0, matched = 0, carried = 0, flushed = 0, capped = 0, cycles = 0;
    std::vector<explanation> lines;
    std::vector<std::string> details;
  };
  const detail::chunking chunks = detail::chunks_of(n);
  std::vector<chunk_result> parts(chunks.count);
  detail::parallel_for(chunks, [&](std::size_t chunk, std::size_t begin, std::size_t end) {
    chunk_result& h = parts[chunk];
    for (auto m = static_cast<member_index>(begin); m < end; ++m) {
      binary_legs l;
      for (int side = 0; side < 2; ++side)
        if (carry[side] && __builtin_mul_overflow((*carry[side])[m], carry_unit, &l.carry_in[side]))
          throw overflow_error(fmt::format("the binary carry of member '{}' overflows", net.id(m)));
      l.volume[0] = legs[m][0];
      l.volume[1] = legs[m][1];
      if ((l.carry_in[0] | l.carry_in[1] | l.volume[0] | l.volume[1]) == 0) continue;  // nothing to pair or carry
      const bool ok = qualified(m, in.q) &&
                      (require_sponsored_ == 0 ||
                       (sponsored[m][0] >= require_sponsored_ && sponsored[m][1] >= require_sponsored_));
      const rank_index rank = in.q.rank[m];
      if (const char* what = pair(l, ok, rank))
        throw overflow_error(fmt::format("the {} of member '{}' overflows", what, net.id(m)));
      out.exact[m] = l.pay;
      (*carry_out[0])[m] = l.carry_out[0] / carry_unit;
      (*carry_out[1])[m] = l.carry_out[1] / carry_unit;
      h.carried_in += static_cast<__int128>(l.carry_in[0]) + l.carry_in[1];
      h.matched += static_cast<__int128>(l.matched[0]) + l.matched[1];
      h.carried += static_cast<__int128>(l.carry_out[0]) + l.carry_out[1];
      h.flushed += static_cast<__int128>(l.flushed[0]) + l.flushed[1];
      h.capped += l.capped;
      h.cycles += l.cycles;
      if (in.explain && (l.pay != 0 || l.matched[0] != 0)) {
        // One line per paying member: the matched volume at the rate, or the cycles' money at 100%.
        const base_t base = rate_ ? l.matched[0] : l.cycles * pay_for(rank);  // cycles × pay fitted in pair()
        h.lines.push_back({m, none, none, 0, base, rate_ ? rate_for(rank) : rate_one, l.pay, 0,
                           static_cast<std::uint32_t>(h.details.size())});
        h.details.push_back(describe(l, !rate_) + describe_by_rank(rank, in.rules));
      }
    }
  });
  __int128 carried_in = 0, matched = 0, carried = 0, flushed = 0, capped = 0, cycles = 0;
  for (chunk_result& h : parts) {
    carried_in += h.carried_in;
    matched += h.matched;
    carried += h.carried;
    flushed += h.flushed;
    capped += h.capped;
    cycles += h.cycles;
    const auto shift = static_cast<std::uint32_t>(out.details.size());
    for (explanation& e : h.lines) {
      e.detail += shift;
      out.lines.push_back(e);
    }
    std::move(h.details.begin(), h.details.end(), std::back_inserter(out.details));
  }
  out.figures.emplace_back("volume_carried_in", format_trimmed(carried_in, base_decimals));
  out.figures.emplace_back("volume_matched", format_trimmed(matched, base_decimals));
  out.figures.emplace_back("volume_carried", format_trimmed(carried, base_decimals));
  out.figures.emplace_back("volume_flushed", format_trimmed(flushed, base_decimals));
  out.figures.emplace_back("pay_capped", format_trimmed(capped, exact_decimals));
  if (!rate_) out.figures.emplace_back("cycles", format_trimmed(cycles, 0));
}

DOWNLINE_END_NAMESPACE
