// SPDX-License-Identifier: MIT
// CSV rows formatted on two threads into an output file, in order.
#pragma once

#include <string>

#include "downline/detail/two_halves.hpp"
#include "downline/io/output_file.hpp"

DOWNLINE_BEGIN_NAMESPACE
namespace detail {

/// Formats rows [0, count) with format(b, i) into `out`; large outputs in two halves on two
/// threads, the second into its own buffer appended after the first. format may append
/// nothing for a row (a row that is left out).
template <class Format>
void write_rows(output_file& out, std::size_t count, Format&& format) {
  std::string second;
  two_halves(count, [&](int half, std::size_t begin, std::size_t end) {
    std::string& b = half == 0 ? out.buffer() : second;
    if (half == 1) second.reserve((end - begin) * 32);  // payout rows take 20–30 bytes
    for (std::size_t i = begin; i < end; ++i) {
      format(b, i);
      if (half == 0) out.flush_if_large();
    }
  });
  out.buffer() += second;
  out.flush_if_large();
}

}  // namespace detail
DOWNLINE_END_NAMESPACE
