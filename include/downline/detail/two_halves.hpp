// SPDX-License-Identifier: MIT
// A pass over [0, n) split in two halves on two threads, for large per-member passes.
#pragma once

#include <cstddef>
#include <exception>
#include <thread>

#include "downline/base.hpp"

DOWNLINE_BEGIN_NAMESPACE
namespace detail {

/// Below this many items a second thread costs more than it saves.
inline constexpr std::size_t two_halves_threshold = std::size_t{1} << 18;

/**
 * Calls f(0, 0, n / 2) and f(1, n / 2, n), the second on another thread, when n is at least
 * two_halves_threshold; else f(0, 0, n) alone. The passes this is for are memory bound (one
 * random access per member at 10M members): a second core overlaps its cache misses with the
 * first's. f must only write what its half owns. An exception from the first half is
 * rethrown before one from the second, so errors do not depend on timing.
 *
 *     two_halves(n, [&](int half, std::size_t begin, std::size_t end) {
 *       for (std::size_t m = begin; m < end; ++m) out[m] = f(m);
 *     });
 */
template <class F>
void two_halves(std::size_t n, F&& f) {
  if (n < two_halves_threshold) {
    f(0, std::size_t{0}, n);
    return;
  }
  std::exception_ptr second_error;
  std::thread helper([&] {
    try {
      f(1, n / 2, n);
    } catch (...) {
      second_error = std::current_exception();
    }
  });
  std::exception_ptr first_error;
  try {
    f(0, std::size_t{0}, n / 2);
  } catch (...) {
    first_error = std::current_exception();
  }
  helper.join();
  if (first_error) std::rethrow_exception(first_error);
  if (second_error) std::rethrow_exception(second_error);
}

}  // namespace detail
DOWNLINE_END_NAMESPACE
