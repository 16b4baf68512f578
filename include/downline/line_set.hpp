// SPDX-License-Identifier: MIT
// The ledger lines one period covers: all of them, or those dated in the period.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <utility>
#include <vector>

#include "downline/base.hpp"

DOWNLINE_BEGIN_NAMESPACE

/**
 * Line indices into a ledger, ascending. A run without a period covers every line: that
 * set is a count, not a vector of 0, 1, 2, … (120 MB at 30M lines).
 *
 *     for (std::uint32_t line : in.lines) use(in.sales.amount(line));
 *     std::uint32_t tenth = in.lines[9];
 */
class line_set {
 public:
  /// Lines 0 … count - 1.
  static line_set all(std::size_t count) noexcept {
    line_set s;
    s.count_ = count;
    return s;
  }
  /// These lines (ascending).
  explicit line_set(std::vector<std::uint32_t> lines) noexcept
      : lines_(std::move(lines)), count_(lines_.size()), all_(false) {}

  std::size_t size() const noexcept { return count_; }
  bool empty() const noexcept { return count_ == 0; }
  std::uint32_t operator[](std::size_t i) const noexcept {
    return all_ ? static_cast<std::uint32_t>(i) : lines_[i];
  }

  class iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = std::uint32_t;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = std::uint32_t;
    iterator() = default;
    iterator(const line_set* set, std::size_t i) noexcept : set_(set), i_(i) {}
    std::uint32_t operator*() const noexcept { return (*set_)[i_]; }
    iterator& operator++() noexcept {
      ++i_;
      return *this;
    }
    iterator operator++(int) noexcept {
      iterator before = *this;
      ++i_;
      return before;
    }
    bool operator==(const iterator& o) const noexcept { return i_ == o.i_; }
    bool operator!=(const iterator& o) const noexcept { return i_ != o.i_; }

   private:
    const line_set* set_ = nullptr;
    std::size_t i_ = 0;
  };
  iterator begin() const noexcept { return {this, 0}; }
  iterator end() const noexcept { return {this, count_}; }

 private:
  line_set() = default;
  std::vector<std::uint32_t> lines_;
  std::size_t count_ = 0;
  bool all_ = true;
};

DOWNLINE_END_NAMESPACE
