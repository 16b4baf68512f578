// SPDX-License-Identifier: MIT
// Placement trees (binary, forced matrix): explicit and automatic placement (SPEC §2, §5.2, §5.3).
#pragma once

#include <cstdint>
#include <vector>

#include "downline/detail/huge_buffer.hpp"
#include "downline/network.hpp"
#include "downline/types.hpp"

DOWNLINE_BEGIN_NAMESPACE

/// Where a member without an explicit placement goes (SPEC §5.2).
enum class placement_rule : std::uint8_t {
  bfs,          ///< first free position of the sponsor's placement subtree, breadth-first
  outer_left,   ///< bottom of the sponsor's outermost left line
  outer_right,  ///< bottom of the sponsor's outermost right line
};

/// The shape of a placement tree: binary (positions `L`, `R`) or a matrix of `width` (1..width).
struct placement_options {
  bool binary = true;          ///< positions are L/R (width 2) rather than 1..width
  std::uint32_t width = 2;     ///< positions per placement parent (2..max_width)
  placement_rule rule = placement_rule::bfs;  ///< a matrix always places breadth-first

  static constexpr std::uint32_t min_width = 2, max_width = 1024;

  bool operator==(const placement_options&) const = default;
};

/**
 * A placement forest over the members of a network, numbered in its own DFS preorder (roots
 * in network-file order, children in position order): a member's placement subtree is the
 * index range [p, subtree_end(p)), parents come before children, and bottom-up passes are
 * one reverse sweep. `member(p)` and `index(m)` translate to and from the sponsor numbering.
 *
 * Built in three steps, none recursive:
 *  1. explicit placements (`placement_id` + `position`): the position must be L/R (binary)
 *     or 1..width (matrix) and free;
 *  2. every other member in enrolment order (SPEC §2): a member without a sponsor starts a
 *     tree; the others go to the first free position of the sponsor's placement subtree,
 *     breadth-first (`bfs`, and always for a matrix), or to the bottom of the sponsor's
 *     outermost left / right line (`outer_left` / `outer_right`);
 *  3. the preorder numbering; a member that no root reaches sits below a placement cycle.
 *
 * Complexity. Enrolment order: O(n log depth) (see enrolment_order). `bfs` keeps, per sponsor
 * that still has recruits to place, a persistent breadth-first frontier of its placement
 * subtree whose cursor only moves forward (positions are never freed): a node is passed once
 * per sponsor above it whose subtree is complete down to that node's level, at most
 * log_width(n) + 1 sponsors, so O(n log n) in the worst case and O(n) for typical networks; a
 * frontier is released when its sponsor's last recruit is placed. `outer_*` follows "bottom of
 * the line" pointers with path compression, amortized O(log n). Numbering O(n). Memory O(n),
 * plus `width` slots per member that has a placement child when width > 4. The large tables
 * live on huge pages and every pass is written so that its cache misses overlap: on 10M
 * members placement costs a few memory round trips per member.
 *
 *     placement_tree t = placement_tree::build(net, {true, 2, placement_rule::bfs});
 *     std::uint32_t p = t.index(net.find("A17"));
 *     for (std::uint32_t c = p + 1; c < t.subtree_end(p); c = t.subtree_end(c))
 *       std::cout << net.id(t.member(c)) << " at slot " << t.slot(c) << '\n';
 *
 * Throws network_error naming the member's network line for a position outside L/R or
 * 1..width, a position taken twice, a placement_id without a position (or the reverse) and a
 * placement cycle. (Unknown placement parents are rejected when the network is loaded.)
 */
class placement_tree {
 public:
  /// The storage of one node (preorder): what a bottom-up or top-down sweep reads together.
  struct node {
    member_index member;
    std::uint32_t parent, end, slot;
  };

  /// The tree of `options` over `net`. A run gets its trees from a network_layout, which
  /// builds each once for all the periods on one network.
  static placement_tree build(const network& net, const placement_options& options);

  std::uint32_t size() const noexcept { return static_cast<std::uint32_t>(node_.size()); }
  std::uint32_t width() const noexcept { return width_; }
  bool binary() const noexcept { return binary_; }

  /// The network member at preorder index p, and the preorder index of member m.
  member_index member(std::uint32_t p) const noexcept { return node_[p].member; }
  std::uint32_t index(member_index m) const noexcept { return index_[m]; }
  /// The placement parent of p (a preorder index), or `none` for a root.
  std::uint32_t parent(std::uint32_t p) const noexcept { return node_[p].parent; }
  /// One past the last index of p's placement subtree.
  std::uint32_t subtree_end(std::uint32_t p) const noexcept { return node_[p].end; }
  /// p's position under its parent, 0-based (0 = L, 1 = R for binary); 0 for a root.
  std::uint32_t slot(std::uint32_t p) const noexcept { return node_[p].slot; }
  /// The child of p at a 0-based slot, or `none`. O(children).
  std::uint32_t child(std::uint32_t p, std::uint32_t slot) const noexcept;

  /// A copy of the parent pointers in preorder (parents before children), e.g. for
  /// detail::level_walker. O(n).
  std::vector<std::uint32_t> parents() const;

  /// In network numbering: m's placement parent (`none` for a root), and its position
  /// (position_left / position_right, 1..width, or no_position for a root).
  member_index parent_member(member_index m) const noexcept {
    std::uint32_t p = node_[index_[m]].parent;
    return p == none ? none : node_[p].member;
  }
  position_t position(member_index m) const noexcept;

 private:
  friend struct network_file_access;
  bool binary_ = true;
  std::uint32_t width_ = 2;
  // On huge pages: bonuses read them at random, and TLB misses dominate on large networks.
  detail::huge_buffer<node> node_;
  detail::huge_buffer<std::uint32_t> index_;
};

/**
 * The enrolment order of SPEC §2: network-file order, except that a sponsor always comes
 * before its recruits (repeatedly the earliest row whose sponsor is already taken). Computed
 * in closed form: each member waits for its nearest ancestor listed later in the file, and the
 * order is the preorder of that "holder" forest with roots and children in file order.
 * O(n log depth), no recursion.
 *
 *     for (member_index m : enrolment_order(net)) ...
 */
std::vector<member_index> enrolment_order(const network& net);

DOWNLINE_END_NAMESPACE
