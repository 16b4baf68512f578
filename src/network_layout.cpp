// SPDX-License-Identifier: MIT
#include "downline/network_layout.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "downline/error.hpp"
#include "downline/plan.hpp"

DOWNLINE_BEGIN_NAMESPACE

namespace {
void add_need(std::vector<placement_options>& needs, const placement_options& need) {
  if (std::find(needs.begin(), needs.end(), need) == needs.end()) needs.push_back(need);
}
}  // namespace

std::vector<placement_options> placement_needs(const plan& rules) {
  std::vector<placement_options> needs;
  for (const auto& b : rules.bonuses)
    if (auto need = b->placement_need()) add_need(needs, *need);
  return needs;
}

std::vector<placement_options> placement_needs(const std::vector<const plan*>& plans) {
  std::vector<placement_options> needs;
  for (const plan* rules : plans)
    for (const placement_options& need : placement_needs(*rules)) add_need(needs, need);
  return needs;
}

std::string describe(const placement_options& options) {
  if (!options.binary) return fmt::format("matrix width {}", options.width);
  switch (options.rule) {
    case placement_rule::outer_left: return "binary outer_left";
    case placement_rule::outer_right: return "binary outer_right";
    case placement_rule::bfs: break;
  }
  return "binary bfs";
}

network_layout network_layout::build(const network& net, const std::vector<placement_options>& needs,
                                     const network_layout* reuse) {
  if (reuse && !reuse->belongs_to(net)) reuse = nullptr;  // trees of another network are no use
  network_layout out;
  out.network_ = net.identity();
  out.members_ = net.size();
  for (const placement_options& need : needs) {
    if (out.entry_of(need)) continue;
    if (const entry* saved = reuse ? reuse->entry_of(need) : nullptr) out.trees_.push_back(*saved);
    else out.trees_.push_back({need, std::make_shared<const placement_tree>(placement_tree::build(net, need))});
  }
  return out;
}

network_layout network_layout::build(const network& net, const plan& rules, const network_layout* reuse) {
  return build(net, placement_needs(rules), reuse);
}

const network_layout::entry* network_layout::entry_of(const placement_options& options) const noexcept {
  for (const entry& e : trees_)
    if (e.options == options) return &e;
  return nullptr;
}

const placement_tree* network_layout::find(const placement_options& options) const noexcept {
  const entry* e = entry_of(options);
  return e ? e->tree.get() : nullptr;
}

const placement_tree& network_layout::tree(const placement_options& options) const {
  if (const placement_tree* t = find(options)) return *t;
  throw error(errc::usage, fmt::format("the network layout was built without the placement tree {}",
                                       quote_value(describe(options))));
}

std::vector<placement_options> network_layout::trees() const {
  std::vector<placement_options> out;
  for (const entry& e : trees_) out.push_back(e.options);
  return out;
}

void network_layout::check(const network& net, const plan& rules) const {
  if (network_ == 0)
    throw error(errc::usage, fmt::format("the network layout is empty (built for no network); build it for network {}",
                                         quote_value(net.source())));
  if (members_ != net.size())
    throw error(errc::usage, fmt::format("the network layout was built for another network ({} members; this one has "
                                         "{}) {}",
                                         members_, net.size(), quote_value(net.source())));
  if (!belongs_to(net))
    throw error(errc::usage, fmt::format("the network layout was built for another network of the same size (each "
                                         "load or build of a network is a network of its own) {}",
                                         quote_value(net.source())));
  for (const auto& b : rules.bonuses)
    if (auto need = b->placement_need(); need && !find(*need))
      throw error(errc::usage,
                  fmt::format("the network layout has no {} placement tree, which bonus {} pays over: build the "
                              "layout with this plan {}",
                              describe(*need), quote_value(b->name()), quote_value(rules.name)));
}

DOWNLINE_END_NAMESPACE
