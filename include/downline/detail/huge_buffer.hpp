// SPDX-License-Identifier: MIT
// Zeroed arrays on transparent huge pages: random access into large tables (the id hash
// table) misses the TLB far less with 2 MiB pages.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <type_traits>

#include "downline/base.hpp"

DOWNLINE_BEGIN_NAMESPACE
namespace detail {

/// Advises huge pages for the whole 2 MiB pages within [p, p + bytes), memory not yet touched
/// (a large std::vector just reserved): its first touch then maps 2 MiB pages.
inline void advise_huge_pages(void* p, std::size_t bytes) noexcept {
  constexpr std::uintptr_t huge = std::uintptr_t{1} << 21;
  const auto begin = (reinterpret_cast<std::uintptr_t>(p) + huge - 1) & ~(huge - 1);
  const auto end = (reinterpret_cast<std::uintptr_t>(p) + bytes) & ~(huge - 1);
  if (end > begin) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
}

/// A fixed-size array of trivially copyable T, zero-filled (or filled with a value),
/// 2 MiB-aligned and advised for huge pages when large.
template <class T>
class huge_buffer {
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  huge_buffer() = default;
  /// n elements, each `fill` (written once: the first touch of each page).
  huge_buffer(std::size_t n, const T& fill) : huge_buffer(n, false) {
    for (std::size_t i = 0; i < n; ++i) data_[i] = fill;
  }
  explicit huge_buffer(std::size_t n, bool zero = true) : size_(n) {
    if (n == 0) return;
    constexpr std::size_t huge = std::size_t{1} << 21;
    std::size_t bytes = n * sizeof(T);
    if (bytes < huge) {  // small tables: no 2 MiB round-up to zero
      data_ = static_cast<T*>(std::malloc(bytes));
    } else {
      bytes = (bytes + huge - 1) / huge * huge;
      data_ = static_cast<T*>(std::aligned_alloc(huge, bytes));
      if (data_) ::madvise(data_, bytes, MADV_HUGEPAGE);
    }
    if (!data_) throw std::bad_alloc();
    if (zero) std::memset(static_cast<void*>(data_), 0, bytes);
  }
  huge_buffer(huge_buffer&& o) noexcept : data_(o.data_), size_(o.size_) {
    o.data_ = nullptr;
    o.size_ = 0;
  }
  huge_buffer& operator=(huge_buffer&& o) noexcept {
    if (this != &o) {
      std::free(data_);
      data_ = o.data_;
      size_ = o.size_;
      o.data_ = nullptr;
      o.size_ = 0;
    }
    return *this;
  }
  huge_buffer(const huge_buffer&) = delete;
  huge_buffer& operator=(const huge_buffer&) = delete;
  ~huge_buffer() { std::free(data_); }

  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  T& operator[](std::size_t i) noexcept { return data_[i]; }
  const T& operator[](std::size_t i) const noexcept { return data_[i]; }
  T* data() noexcept { return data_; }
  const T* data() const noexcept { return data_; }

 private:
  T* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace detail
DOWNLINE_END_NAMESPACE
