// SPDX-License-Identifier: MIT
// CSV rows formatted in parallel chunks into an output file, in order.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "downline/detail/parallel.hpp"
#include "downline/io/output_file.hpp"

DOWNLINE_BEGIN_NAMESPACE
namespace detail {

/// Formats rows [0, count) with format(b, i) into `out`. Large outputs are formatted a window
/// of chunks at a time, each chunk into its own text on the threads, appended in order (the
/// window bounds the memory). format may append nothing for a row (a row that is left out).
template <class Format>
void write_rows(output_file& out, std::size_t count, Format&& format) {
  const chunking chunks = chunks_of(count);
  if (chunks.count == 1) {
    for (std::size_t i = 0; i < count; ++i) {
      format(out.buffer(), i);
      out.flush_if_large();
    }
    return;
  }
  constexpr std::size_t window = 16;
  std::vector<std::string> texts(std::min(window, chunks.count));
  for (std::size_t first = 0; first < chunks.count; first += window) {
    const std::size_t offset = chunks.begin(first), last = std::min(chunks.count, first + window);
    const chunking part{chunks.end(last - 1) - offset, chunks.size, last - first};
    parallel_for(part, [&](std::size_t chunk, std::size_t begin, std::size_t end) {
      std::string& text = texts[chunk];
      text.clear();
      for (std::size_t i = begin; i < end; ++i) format(text, offset + i);
    });
    for (std::size_t k = 0; k < part.count; ++k) {
      out.buffer() += texts[k];
      out.flush_if_large();
    }
  }
}

}  // namespace detail
DOWNLINE_END_NAMESPACE
