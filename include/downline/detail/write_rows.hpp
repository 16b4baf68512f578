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
/// of chunks at a time, each chunk into its own text on the threads, and written in order
/// while the next window is formatted (the kernel's copying of a large file is about as long
/// as formatting it); two windows bound the memory. format may append nothing for a row (a row
/// that is left out).
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
  constexpr std::size_t window = 4;
  struct formatted {
    std::vector<std::string> texts = std::vector<std::string>(window);
    std::size_t count = 0;
  };
  auto format_window = [&](std::size_t first, formatted& into) {
    const std::size_t offset = chunks.begin(first), last = std::min(chunks.count, first + window);
    const chunking part{chunks.end(last - 1) - offset, chunks.size, last - first};
    parallel_for(part, [&](std::size_t chunk, std::size_t begin, std::size_t end) {
      std::string& text = into.texts[chunk];
      text.clear();
      for (std::size_t i = begin; i < end; ++i) format(text, offset + i);
    });
    into.count = part.count;
  };
  auto write_window = [&](const formatted& from) {
    for (std::size_t k = 0; k < from.count; ++k) out.write(from.texts[k]);
  };
  formatted windows[2];
  format_window(0, windows[0]);
  for (std::size_t first = 0, w = 0;; first += window, w ^= 1) {
    if (first + window >= chunks.count) {
      write_window(windows[w]);
      return;
    }
    side_by_side([&] { write_window(windows[w]); }, [&] { format_window(first + window, windows[w ^ 1]); });
  }
}

}  // namespace detail
DOWNLINE_END_NAMESPACE
