// SPDX-License-Identifier: MIT
// The sponsor forest (and raw placement data), members numbered in DFS preorder.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "downline/detail/id_list.hpp"
#include "downline/detail/id_map.hpp"
#include "downline/detail/line_numbers.hpp"
#include "downline/member_status.hpp"
#include "downline/types.hpp"

DOWNLINE_BEGIN_NAMESPACE

/// A member's position under its placement parent: `L`, `R`, or a matrix slot 1..width.
using position_t = std::int32_t;
inline constexpr position_t no_position = 0;
inline constexpr position_t position_left = -1;
inline constexpr position_t position_right = -2;

/**
 * The sponsor tree of one company: a forest. Members are numbered in DFS preorder (roots
 * in file order, children in file order), so a member's subtree is the index range
 * [m, subtree_end(m)), its parent has a smaller index, and bottom-up passes are one reverse
 * sweep without recursion. The file (row) order is kept for outputs.
 *
 *     auto net = network::from_csv("network.csv");
 *     member_index m = net.find("A17");
 *     for (member_index u = net.parent(m); u != none; u = net.parent(u)) ...
 */
class network {
 public:
  /// Loads network.csv (SPEC §2). Throws input_error / network_error naming file, line, value.
  /// O(rows); memory O(rows).
  static network from_csv(const std::filesystem::path& path);
  /// Loads a compiled network (network_file.hpp) or, failing its magic, network.csv.
  static network load(const std::filesystem::path& path);

  std::uint32_t size() const noexcept { return static_cast<std::uint32_t>(parent_.size()); }
  /// Name used in messages: the file path, or "arrays".
  const std::string& source() const noexcept { return source_; }

  std::string_view id(member_index m) const noexcept { return ids_.id(row_[m]); }
  /// The id on a network-file row (sequential reads when walking rows in order).
  std::string_view id_at_row(std::uint32_t r) const noexcept { return ids_.id(r); }
  /// The member with this id, or `none`.
  member_index find(std::string_view id) const noexcept {
    return ids_.find(id);  // renumbered to preorder indices at build
  }
  /// Bulk find: calls found(i, member or none, id) for the id id_of(i) of each i in
  /// [begin, end), in order, until found returns false; id_of is called once per i, in
  /// order. Faster than find() in a loop: the cache misses of consecutive lookups overlap.
  template <class IdOf, class Found>
  void find_each(std::size_t begin, std::size_t end, IdOf&& id_of, Found&& found) const {
    ids_.find_each(begin, end, id_of, found);
  }

  member_index parent(member_index m) const noexcept { return parent_[m]; }
  /// One past the last member of m's subtree.
  member_index subtree_end(member_index m) const noexcept { return end_[m]; }
  /// The member's 0-based row in the input (file order).
  std::uint32_t row(member_index m) const noexcept { return row_[m]; }
  member_index member_at_row(std::uint32_t r) const noexcept { return member_at_row_[r]; }
  /// member_at_row for every row: the members in network-file order.
  const std::vector<member_index>& members_by_row() const noexcept { return member_at_row_; }
  /// Where the member came from, for messages ("network.csv:12" or "arrays row 11").
  std::string where(member_index m) const;

  date_t joined(member_index m) const noexcept { return joined_.empty() ? no_date : joined_[m]; }
  bool has_joined() const noexcept { return has_joined_; }
  member_index placement_parent(member_index m) const noexcept {
    return placement_parent_.empty() ? none : placement_parent_[m];
  }
  position_t position(member_index m) const noexcept { return position_.empty() ? no_position : position_[m]; }
  bool has_placement() const noexcept { return has_placement_; }
  /// network.csv `status` (settlement, SPEC §11); `active` when the file has none.
  member_status status(member_index m) const noexcept { return status_.empty() ? member_status::active : status_[m]; }
  /// Per member; empty when every member is active (one byte per member otherwise).
  const std::vector<member_status>& statuses() const noexcept { return status_; }

  /// Unique to this network (moving it keeps it; each load gets a new one): what a
  /// network_layout checks it was built for.
  std::uint64_t identity() const noexcept { return identity_; }

  const std::vector<member_index>& parents() const noexcept { return parent_; }
  const std::vector<member_index>& subtree_ends() const noexcept { return end_; }

  /// The members of m's subtree as a network of their own: m is member 0, the preorder is
  /// kept (member i is m + i here), rows keep their relative order. Ids are not indexed
  /// (find() finds none) and placement is left out: what a session's estimate for m runs
  /// over. O(subtree × log subtree).
  network subtree(member_index m) const;

  /// Calls f(child) for each sponsored member of m, in file order. O(children).
  template <class F>
  void for_each_child(member_index m, F&& f) const {
    for (member_index c = m + 1; c < end_[m]; c = end_[c]) f(c);
  }

 private:
  friend class network_builder;
  friend struct network_file_access;
  static std::uint64_t next_identity() noexcept;
  std::uint64_t identity_ = next_identity();
  std::string source_;
  bool rows_are_lines_ = true;  // CSV: where() says "file:line"; arrays: "source row i"
  detail::id_map ids_;          // ids in row order
  std::vector<std::uint32_t> row_, member_at_row_;
  detail::line_numbers lines_;  // by row
  std::vector<member_index> parent_, end_, placement_parent_;
  std::vector<date_t> joined_;  // empty when no member has a date
  std::vector<position_t> position_;
  std::vector<member_status> status_;  // empty when every member is active
  bool has_joined_ = false, has_placement_ = false;
};

/**
 * Builds a network from rows in any order: the CSV loader and the array constructors of
 * the C and Python APIs go through it.
 *
 *     network_builder b("arrays", false);
 *     b.add("A", "", "", "", "", 0);
 *     b.add("B", "A", "", "", "", 1);
 *     network net = std::move(b).build();
 */
class network_builder {
 public:
  /// `rows_are_lines`: locations are "source:line" (CSV) rather than "source row i" (arrays).
  explicit network_builder(std::string source, bool rows_are_lines = true);
  void reserve(std::size_t rows);
  /// Adds one member; `line` is its CSV line (or array index). Checks the id and date now,
  /// the sponsor and placement parent at build().
  void add(std::string_view id, std::string_view sponsor_id, std::string_view placement_id,
           std::string_view position, std::string_view joined, std::size_t line);
  void set_has_joined(bool v) noexcept { has_joined_ = v; }
  /// The `status` of the member added last: `active` (or empty), `hold` or `terminated`;
  /// anything else is a network_error naming the line and value.
  void set_status(std::string_view status);
  /// A builder holding `net`'s rows (file order, their locations), to add more rows and build
  /// the whole again: a session's new members. O(rows).
  static network_builder extending(const network& net);
  /// Resolves sponsors, rejects cycles, numbers members in DFS preorder. O(rows).
  network build() &&;

 private:
  [[noreturn]] void fail(std::size_t line, std::string_view what, std::string_view value) const;
  std::string location(std::size_t line) const;

  std::string source_;
  bool rows_are_lines_;
  bool has_joined_ = false, has_placement_ = false;
  detail::id_map ids_;
  detail::id_list sponsor_ids_, placement_ids_;  // "" for none; resolved at build()
  detail::line_numbers lines_;
  std::vector<date_t> joined_;
  std::vector<position_t> position_;
  std::vector<member_status> status_;  // by row; empty until a member is not active
};

DOWNLINE_END_NAMESPACE
