// SPDX-License-Identifier: MIT
// The placement trees of one network, built once and passed into every run (a stage of its own).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "downline/network.hpp"
#include "downline/placement.hpp"
#include "downline/types.hpp"

DOWNLINE_BEGIN_NAMESPACE

class plan;

/// The distinct placement trees the plan's bonuses pay over (bonus::placement_need), in plan order.
std::vector<placement_options> placement_needs(const plan& rules);
/// The union of several plans' needs (compare builds one layout for all its plans), in order.
std::vector<placement_options> placement_needs(const std::vector<const plan*>& plans);

/// "binary bfs", "binary outer_left", "matrix width 3": a tree's options in messages.
std::string describe(const placement_options& options);

/**
 * What the bonuses of a plan need from the network alone: its placement trees (binary,
 * matrix). It depends on the network and the plan's placement needs, not on the sales or the
 * period, so a caller builds it once and passes it to every run on that network
 * (run_options::layout); a compiled network saved with a plan holds one (load_network). It
 * is immutable and shares its trees: copies are cheap and may be used by several threads.
 *
 * A layout knows the network it was built for: run() refuses one built for another network
 * or lacking a tree the plan needs (error, errc::usage), rather than reading out of bounds.
 *
 *     const network_layout layout = network_layout::build(net, rules);
 *     run_options options;
 *     options.layout = &layout;
 *     for (auto period : periods) { options.period = period; run(rules, net, sales, options); }
 *
 * Building is placement (placement_tree::build) once per distinct need; O(members) memory per
 * tree (20 bytes a member). Throws network_error for a bad placement (a position taken
 * twice, a cycle), naming the member's line.
 */
class network_layout {
 public:
  /// A layout of no network (run() refuses it); assign one from build() or load_network().
  network_layout() = default;

  /// The trees `needs` over `net` (duplicates built once). Trees of `reuse` (a layout of
  /// the same network, e.g. the one saved in a compiled network) are shared, not rebuilt.
  static network_layout build(const network& net, const std::vector<placement_options>& needs,
                              const network_layout* reuse = nullptr);
  /// The trees `rules` needs (placement_needs).
  static network_layout build(const network& net, const plan& rules, const network_layout* reuse = nullptr);

  /// True when built for `net` (network::identity, and its size).
  bool belongs_to(const network& net) const noexcept {
    return network_ != 0 && network_ == net.identity() && members_ == net.size();
  }
  /// The tree of `options`, or nullptr when this layout was built without it.
  const placement_tree* find(const placement_options& options) const noexcept;
  /// The tree of `options`; error (errc::usage) naming it when this layout lacks it.
  const placement_tree& tree(const placement_options& options) const;
  /// The options of the trees held, in build order.
  std::vector<placement_options> trees() const;

  /// Throws error (errc::usage) unless this layout belongs to `net` and holds every tree
  /// `rules` needs; the message names the network or the bonus and its tree.
  void check(const network& net, const plan& rules) const;

 private:
  friend struct network_file_access;
  struct entry {
    placement_options options;
    std::shared_ptr<const placement_tree> tree;
  };
  const entry* entry_of(const placement_options& options) const noexcept;
  std::uint64_t network_ = 0;  // network::identity(), 0 for none
  std::uint32_t members_ = 0;
  std::vector<entry> trees_;
};

DOWNLINE_END_NAMESPACE
