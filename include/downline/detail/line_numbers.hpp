// SPDX-License-Identifier: MIT
// The input line of each row, kept as the few places where rows stop following each other.
#pragma once

#include <algorithm>
#include <cstddef>
#include <utility>
#include <vector>

#include "downline/base.hpp"

DOWNLINE_BEGIN_NAMESPACE
struct network_file_access;
namespace detail {

/**
 * Line numbers of rows 0, 1, 2, … for messages. CSV rows usually sit on consecutive lines,
 * so only the jumps (blank lines, quoted newlines, the header) are stored: line(i) = the
 * last jump at or before i, plus the rows since. O(1) memory per jump, O(log jumps) a query.
 *
 *     line_numbers lines;
 *     lines.push_back(2); lines.push_back(3); lines.push_back(5);  // a blank line 4
 *     lines[2];  // 5
 */
class line_numbers {
 public:
  /// The line of row size().
  void push_back(std::size_t line) {
    if (line != expected_) jumps_.emplace_back(size_, line);
    expected_ = line + 1;
    ++size_;
  }
  std::size_t size() const noexcept { return size_; }
  std::size_t operator[](std::size_t row) const noexcept {
    auto it = std::upper_bound(jumps_.begin(), jumps_.end(), std::make_pair(row, ~std::size_t{0}));
    if (it == jumps_.begin()) return row;
    --it;
    return it->second + (row - it->first);
  }
  /// Appends the rows of `rest` after these.
  void append(const line_numbers& rest) {
    // rest's row 0 is on line 0 unless rest says otherwise: say it here either way.
    if (rest.size_ > 0 && (rest.jumps_.empty() || rest.jumps_.front().first != 0)) jumps_.emplace_back(size_, 0);
    for (auto [row, line] : rest.jumps_) jumps_.emplace_back(row + size_, line);
    size_ += rest.size_;
    expected_ = rest.expected_;
  }

 private:
  friend struct downline::network_file_access;
  std::vector<std::pair<std::size_t, std::size_t>> jumps_;  // (row, its line), ascending
  std::size_t size_ = 0, expected_ = 0;
};

}  // namespace detail
DOWNLINE_END_NAMESPACE
