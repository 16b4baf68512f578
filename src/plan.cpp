// SPDX-License-Identifier: MIT
#include "downline/plan.hpp"

#include <array>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "downline/bonuses/builtin.hpp"
#include "downline/error.hpp"

DOWNLINE_BEGIN_NAMESPACE

namespace {
struct registry {
  std::mutex mutex;
  std::map<std::string, bonus_factory, std::less<>> factories;
};

registry& bonus_registry() {
  static registry* r = [] {
    auto* fresh = new registry;
    register_builtin_bonuses([fresh](std::string type, bonus_factory f) { fresh->factories[std::move(type)] = std::move(f); });
    return fresh;
  }();
  return *r;
}

// Types of SPEC §5 that this build does not evaluate yet: a clear message, not "unknown".
constexpr std::array<std::string_view, 0> planned_types{};

rounding_mode parse_rounding(const config_node& node) {
  std::string s = node.as_string();
  if (s == "half_even") return rounding_mode::half_even;
  if (s == "half_up") return rounding_mode::half_up;
  if (s == "down") return rounding_mode::down;
  if (s == "up") return rounding_mode::up;
  node.fail("rounding must be half_even, half_up, down or up");
}

rank_definition parse_rank(const config_node& node, const plan& p) {
  node.allow_keys({"name", "pv", "gv", "max_leg_share", "legs", "active"});
  rank_definition r;
  r.name = node["name"].as_string();
  if (r.name.empty()) node["name"].fail("rank name is empty");
  if (p.find_rank(r.name) != no_rank) node["name"].fail("duplicate rank name");
  if (auto v = node.get("pv")) r.pv = v->as_volume();
  if (auto v = node.get("gv")) r.gv = v->as_volume();
  if (auto v = node.get("max_leg_share")) {
    if (!r.gv) v->fail("max_leg_share needs a gv requirement on the same rank");
    r.max_leg_share = v->as_rate();
  }
  if (auto v = node.get("active")) r.active = v->as_bool();
  if (auto legs = node.get("legs")) {
    for (std::size_t i = 0; i < legs->size(); ++i) {
      config_node leg = legs->at(i);
      leg.allow_keys({"count", "rank"});
      leg_requirement req;
      req.count = static_cast<std::uint32_t>(leg["count"].as_integer(1, 1'000'000));
      std::string name = leg["rank"].as_string();
      req.rank = p.find_rank(name);
      // A rank may require legs of its own rank or lower; it is defined before its use.
      if (req.rank == no_rank && name != r.name) leg["rank"].fail("rank is not defined (ranks are listed lowest first)", name);
      if (req.rank == no_rank) req.rank = static_cast<rank_index>(p.ranks.size());
      r.legs.push_back(req);
    }
  }
  return r;
}
}  // namespace

void register_bonus_type(std::string type, bonus_factory factory) {
  registry& r = bonus_registry();
  std::lock_guard lock(r.mutex);
  r.factories[std::move(type)] = std::move(factory);
}

bonus_factory find_bonus_type(std::string_view type) {
  registry& r = bonus_registry();
  std::lock_guard lock(r.mutex);
  auto it = r.factories.find(type);
  return it == r.factories.end() ? bonus_factory() : it->second;
}

bool is_builtin_bonus_type(std::string_view type) {
  static const std::set<std::string, std::less<>> names = [] {
    std::set<std::string, std::less<>> builtin;
    register_builtin_bonuses([&builtin](std::string name, bonus_factory) { builtin.insert(std::move(name)); });
    return builtin;
  }();
  return names.count(type) > 0;
}

rank_index bonus_context::rank(const config_node& node) const {
  std::string name = node.as_string();
  rank_index r = rules.find_rank(name);
  if (r == no_rank) node.fail("rank is not defined in the plan's ranks", name);
  return r;
}

rank_index plan::find_rank(std::string_view rank_name) const noexcept {
  for (std::size_t i = 0; i < ranks.size(); ++i)
    if (ranks[i].name == rank_name) return static_cast<rank_index>(i);
  return no_rank;
}

int plan::find_bonus(std::string_view bonus_name) const noexcept {
  for (std::size_t i = 0; i < bonuses.size(); ++i)
    if (bonuses[i]->name() == bonus_name) return static_cast<int>(i);
  return -1;
}

plan plan::from_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in || std::filesystem::is_directory(path))
    throw input_error(fmt::format("{}: cannot open the plan file", path.string()), errc::io);
  std::ostringstream text;
  text << in.rdbuf();
  return from_json(text.str(), path.string());
}

plan plan::from_json(std::string_view text, const std::string& source) {
  json_value json = parse_plan_json(text, source);
  config_node root(json, "", source);
  root.expect_object();
  root.allow_keys({"name", "currency", "money_decimals", "rounding", "qualification", "ranks", "rank_rules", "bonuses",
                   "payout_cap", "payout"});
  plan p;
  p.name = root["name"].as_string();
  if (auto v = root.get("currency")) p.currency = v->as_string();
  if (auto v = root.get("money_decimals")) p.money_decimals = static_cast<int>(v->as_integer(0, 6));
  if (auto v = root.get("rounding")) p.rounding = parse_rounding(*v);
  if (auto q = root.get("qualification")) {
    q->allow_keys({"active_pv", "active_periods"});
    if (auto v = q->get("active_pv")) p.active_pv = v->as_volume();
    if (auto v = q->get("active_periods")) p.active_periods = static_cast<int>(v->as_integer(1, 1000));
  }
  if (auto rr = root.get("rank_rules")) {
    rr->allow_keys({"grace_periods"});
    if (auto v = rr->get("grace_periods")) p.grace_periods = static_cast<int>(v->as_integer(0, 1000));
  }
  if (auto ranks = root.get("ranks")) {
    if (ranks->size() > 32000) ranks->fail("too many ranks", std::to_string(ranks->size()));
    for (std::size_t i = 0; i < ranks->size(); ++i) p.ranks.push_back(parse_rank(ranks->at(i), p));
  }
  if (auto cap = root.get("payout_cap")) p.payout_cap = cap->as_rate();
  if (auto payout = root.get("payout")) p.payout = parse_payout_rules(*payout, p.money_decimals);

  config_node bonuses = root["bonuses"];
  if (bonuses.size() == 0) bonuses.fail("a plan needs at least one bonus", "[]");
  bonus_context ctx{p};
  for (std::size_t i = 0; i < bonuses.size(); ++i) {
    config_node node = bonuses.at(i);
    node.expect_object();
    std::string name = node["name"].as_string();
    if (name.empty()) node["name"].fail("bonus name is empty");
    if (p.find_bonus(name) >= 0) node["name"].fail("duplicate bonus name", name);
    if (name == adjustment_payout_name)
      node["name"].fail("'adjustment' is reserved for manual adjustments (SPEC §7.4)", name);
    std::string type = node["type"].as_string();
    bonus_factory factory = find_bonus_type(type);
    if (!factory) {
      for (auto planned : planned_types)
        if (planned == type) node["type"].fail("bonus type is not available in this version of downline", type);
      node["type"].fail("unknown bonus type", type);
    }
    std::shared_ptr<bonus> b = factory(node, ctx);
    b->name_ = name;
    b->type_ = type;
    if (auto v = node.get("min_rank")) b->min_rank_ = ctx.rank(*v);
    if (auto v = node.get("require_active")) b->require_active_ = v->as_bool();
    // A stairstep's breakaway changes the GV ranks use (its factory rejects a second one).
    if (b->breakaway_rank() != no_rank) p.breakaway_rank = b->breakaway_rank();
    p.bonuses.push_back(std::move(b));
  }
  return p;
}

DOWNLINE_END_NAMESPACE
