// SPDX-License-Identifier: MIT
// Networks derived from another: one member's subtree on its own, or the same rows with more
// to come (a session's new members).
#include "downline/network.hpp"

#include <algorithm>
#include <utility>

DOWNLINE_BEGIN_NAMESPACE

network network::subtree(member_index top) const {
  const member_index end = end_[top];
  const std::uint32_t k = end - top;
  network sub;
  sub.source_ = source_;
  sub.rows_are_lines_ = rows_are_lines_;
  sub.has_joined_ = has_joined_;
  // Rows in the order of the network's rows: bonuses and outputs that go by file order see
  // the subtree's members in the same order as in a run over everyone.
  std::vector<std::pair<std::uint32_t, member_index>> by_row(k);
  for (std::uint32_t i = 0; i < k; ++i) by_row[i] = {row_[top + i], i};
  std::sort(by_row.begin(), by_row.end());
  sub.row_.resize(k);
  sub.member_at_row_.resize(k);
  sub.ids_.reserve(k, std::size_t{k} * 8);
  for (std::uint32_t r = 0; r < k; ++r) {
    const member_index i = by_row[r].second;
    sub.row_[i] = r;
    sub.member_at_row_[r] = i;
    sub.ids_.append(id(top + i));
    sub.lines_.push_back(lines_[by_row[r].first]);
  }
  sub.parent_.resize(k);
  sub.end_.resize(k);
  for (std::uint32_t i = 0; i < k; ++i) {
    sub.parent_[i] = i == 0 ? none : parent_[top + i] - top;
    sub.end_[i] = end_[top + i] - top;
  }
  if (!joined_.empty()) sub.joined_.assign(joined_.begin() + top, joined_.begin() + end);
  if (!status_.empty()) sub.status_.assign(status_.begin() + top, status_.begin() + end);
  return sub;
}

network_builder network_builder::extending(const network& net) {
  network_builder b(net.source_, net.rows_are_lines_);
  const std::uint32_t n = net.size();
  b.reserve(n);
  b.has_joined_ = net.has_joined_;
  b.has_placement_ = net.has_placement_;
  auto id_or_empty = [&](member_index m) { return m == none ? std::string_view() : net.id(m); };
  for (std::uint32_t r = 0; r < n; ++r) {
    const member_index m = net.member_at_row_[r];
    b.ids_.append(net.id_at_row(r));
    b.lines_.push_back(net.lines_[r]);
    b.sponsor_ids_.push_back(id_or_empty(net.parent_[m]));
    if (net.has_placement_) {
      b.placement_ids_.push_back(id_or_empty(net.placement_parent_[m]));
      b.position_.push_back(net.position_[m]);
    }
    if (!net.joined_.empty()) b.joined_.push_back(net.joined_[m]);
    if (!net.status_.empty()) b.status_.push_back(net.status_[m]);
  }
  return b;
}

DOWNLINE_END_NAMESPACE
