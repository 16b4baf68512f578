// SPDX-License-Identifier: MIT
#include "downline/io/csv.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "downline/error.hpp"

DOWNLINE_BEGIN_NAMESPACE

namespace {

/// The first ',', '\n' or '"' in [p, stop), or stop: 16 bytes per step where SSE2 exists.
const char* find_delimiter(const char* p, const char* stop) noexcept {
#if defined(__SSE2__)
  const __m128i comma = _mm_set1_epi8(','), newline = _mm_set1_epi8('\n'), quote = _mm_set1_epi8('"');
  for (; stop - p >= 16; p += 16) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i hits = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(bytes, comma), _mm_cmpeq_epi8(bytes, newline)),
                                      _mm_cmpeq_epi8(bytes, quote));
    if (const int mask = _mm_movemask_epi8(hits)) return p + __builtin_ctz(static_cast<unsigned>(mask));
  }
#endif
  for (; p < stop; ++p)
    if (*p == ',' || *p == '\n' || *p == '"') return p;
  return stop;
}
}  // namespace

csv_reader::csv_reader(const std::filesystem::path& path) : source_(path.string()) {
  if (std::filesystem::is_directory(path)) throw input_error(fmt::format("{}: is a directory, not a CSV file", source_), errc::io);
  file_.reset(std::fopen(source_.c_str(), "rb"));
  if (!file_) throw input_error(fmt::format("{}: cannot open: {}", source_, std::strerror(errno)), errc::io);
  buffer_.resize(block_bytes);
  fill();
  if (end_ - begin_ >= 3 && std::memcmp(buffer_.data() + begin_, "\xEF\xBB\xBF", 3) == 0) begin_ += 3;
  if (!read_row()) throw input_error(fmt::format("{}:1: empty file, expected a header row ''", source_));
  for (auto f : fields_) header_.emplace_back(f);
}

csv_reader::csv_reader(const std::filesystem::path& path, std::vector<std::string> header, std::uint64_t begin,
                       std::uint64_t end, std::size_t first_line)
    : source_(path.string()), header_(std::move(header)) {
  file_.reset(std::fopen(source_.c_str(), "rb"));
  if (!file_ || std::fseek(file_.get(), static_cast<long>(begin), SEEK_SET) != 0)
    throw input_error(fmt::format("{}: cannot open: {}", source_, std::strerror(errno)), errc::io);
  buffer_offset_ = begin;
  limit_ = end;
  next_line_ = first_line;
  buffer_.resize(block_bytes);
}

void csv_reader::limit(std::uint64_t end) {
  limit_ = end;
  if (buffer_offset_ + end_ > end) {  // already read past it: forget those bytes
    end_ = static_cast<std::size_t>(end - buffer_offset_);
    eof_ = true;
  }
}

int csv_reader::column(std::string_view name) const noexcept {
  for (std::size_t i = 0; i < header_.size(); ++i)
    if (header_[i] == name) return static_cast<int>(i);
  return -1;
}

int csv_reader::require_column(std::string_view name) const {
  int c = column(name);
  if (c < 0) throw input_error(fmt::format("{}:1: missing required column {}", source_, quote_value(name)));
  return c;
}

void csv_reader::fail(std::size_t line, std::string_view what, std::string_view value) const {
  throw input_error(fmt::format("{}:{}: {} {}", source_, line, what, quote_value(value)));
}

std::vector<csv_split> find_csv_splits(const std::filesystem::path& path, std::uint64_t begin, std::uint64_t size,
                                       std::size_t parts) {
  std::vector<csv_split> splits;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (parts < 2 || size <= begin || !f || std::fseek(f.get(), static_cast<long>(begin), SEEK_SET) != 0) return splits;
  // The k-th split is the first newline at or past begin + k/parts of the rows' bytes.
  auto target = [&](std::size_t k) { return begin + (size - begin) / parts * k; };
  std::vector<char> block(1 << 22);
  std::uint64_t position = begin;
  std::size_t newlines = 0;
  while (splits.size() + 1 < parts) {
    const std::size_t n = std::fread(block.data(), 1, block.size(), f.get());
    if (n == 0) return splits;  // no newline past the last target: fewer parts
    const char* data = block.data();
    if (std::memchr(data, '"', n)) return {};
    std::size_t at = 0;  // bytes of the block counted so far
    while (splits.size() + 1 < parts) {
      const std::uint64_t want = std::max(target(splits.size() + 1), position + at);
      if (want >= position + n) break;
      const auto from = static_cast<std::size_t>(want - position);
      newlines += static_cast<std::size_t>(std::count(data + at, data + from, '\n'));
      const auto newline = static_cast<std::size_t>(std::find(data + from, data + n, '\n') - data);
      if (newline == n) {
        at = from;
        break;
      }
      newlines += 1;  // the newline itself; none lies between `from` and it
      splits.push_back({position + newline + 1, newlines});
      at = newline + 1;
    }
    newlines += static_cast<std::size_t>(std::count(data + at, data + n, '\n'));
    position += n;
  }
  return splits;
}

std::optional<csv_split> find_csv_split(const std::filesystem::path& path, std::uint64_t begin, std::uint64_t size) {
  const std::vector<csv_split> splits = find_csv_splits(path, begin, size, 2);
  if (splits.empty()) return std::nullopt;
  return splits.front();
}

bool csv_reader::fill() {
  if (eof_) return false;
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    buffer_offset_ += begin_;
    begin_ = 0;
  }
  if (end_ == buffer_.size()) {  // the unfinished row, from buffer_[0], fills the buffer
    if (end_ >= max_row_bytes) {
      line_ = next_line_;
      fail(fmt::format("row longer than {} bytes (the most a CSV row may hold); it starts", max_row_bytes),
           std::string_view(buffer_.data(), 32));
    }
    buffer_.resize(std::min(buffer_.size() * 2, max_row_bytes));
  }
  std::size_t want = buffer_.size() - end_;
  const std::uint64_t position = buffer_offset_ + end_;
  if (position >= limit_) want = 0;
  else if (limit_ - position < want) want = static_cast<std::size_t>(limit_ - position);
  std::size_t n = want == 0 ? 0 : std::fread(buffer_.data() + end_, 1, want, file_.get());
  if (n == 0) {
    if (std::ferror(file_.get())) throw input_error(fmt::format("{}: read error: {}", source_, std::strerror(errno)), errc::io);
    eof_ = true;
    return false;
  }
  end_ += n;
  return true;
}

bool csv_reader::next() {
  if (!read_row()) return false;
  if (fields_.size() != header_.size())
    fail(fmt::format("has {} fields where the header has {}:", fields_.size(), header_.size()),
         fields_.empty() ? std::string_view() : fields_.front());
  return true;
}

bool csv_reader::read_row() {
  for (;;) {
    // Skip blank lines.
    while (begin_ < end_ && (buffer_[begin_] == '\n' || buffer_[begin_] == '\r')) {
      if (buffer_[begin_] == '\n') ++next_line_;
      ++begin_;
    }
    if (begin_ == end_) {
      if (!fill()) return false;
      continue;
    }
    // Fast path: one pass splitting at commas up to the newline; a quote sends the row to
    // the RFC 4180 state machine.
    const char* start = buffer_.data() + begin_;
    const char* stop = buffer_.data() + end_;
    fields_.clear();
    const char* field = start;
    const char* p = start;
    bool quoted = false;
    for (;;) {
      p = find_delimiter(p, stop);
      if (p == stop || *p == '\n') break;
      if (*p == '"') {
        quoted = true;
        break;
      }
      fields_.emplace_back(field, static_cast<std::size_t>(p - field));
      field = ++p;
    }
    if (!quoted) {
      if (p == stop && !eof_) {  // the row runs past the buffer
        fill();
        continue;
      }
      const char* content_end = p;
      if (content_end > field && content_end[-1] == '\r') --content_end;
      fields_.emplace_back(field, static_cast<std::size_t>(content_end - field));
      line_ = next_line_++;
      begin_ = p < stop ? static_cast<std::size_t>(p + 1 - buffer_.data()) : end_;
      return true;
    }
    std::size_t consumed = 0;
    if (split_quoted(consumed)) {
      begin_ += consumed;
      return true;
    }
    fill();  // the row runs past the buffer; at the end of the file split_quoted reports it
  }
}

bool csv_reader::split_quoted(std::size_t& consumed) {
  // Slow path for rows with quotes: a state machine over the buffer; unescaped text goes
  // to scratch_, reserved up front so views into it stay valid.
  const char* p = buffer_.data() + begin_;
  const char* stop = buffer_.data() + end_;
  scratch_.clear();
  scratch_.reserve(static_cast<std::size_t>(stop - p));
  std::vector<std::pair<std::size_t, std::size_t>> spans;  // offsets into scratch_
  std::size_t lines = 0;
  std::size_t field_start = 0;
  bool row_done = false;
  const char* q = p;
  while (!row_done) {
    if (q == stop) {
      if (!eof_) return false;
      break;
    }
    if (*q == '"' && scratch_.size() == field_start) {
      // A quoted field: runs to the closing quote; "" is a quote.
      ++q;
      for (;;) {
        if (q == stop) {
          if (!eof_) return false;
          line_ = next_line_;
          fail("unterminated quoted field", std::string_view(p, static_cast<std::size_t>(stop - p)));
        }
        if (*q == '"') {
          if (q + 1 == stop && !eof_) return false;
          if (q + 1 < stop && q[1] == '"') {
            scratch_.push_back('"');
            q += 2;
            continue;
          }
          ++q;
          break;
        }
        if (*q == '\n') ++lines;
        scratch_.push_back(*q++);
      }
      continue;
    }
    if (*q == ',') {
      spans.emplace_back(field_start, scratch_.size());
      field_start = scratch_.size();
      ++q;
    } else if (*q == '\n') {
      ++q;
      row_done = true;
    } else if (*q == '\r' && (q + 1 == stop || q[1] == '\n')) {
      ++q;
    } else {
      scratch_.push_back(*q++);
    }
  }
  spans.emplace_back(field_start, scratch_.size());
  fields_.clear();
  for (auto [a, b] : spans) fields_.emplace_back(scratch_.data() + a, b - a);
  line_ = next_line_;
  next_line_ += lines + 1;
  consumed = static_cast<std::size_t>(q - p);
  return true;
}

void append_csv_field(std::string& out, std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
    out.append(field);
    return;
  }
  out.push_back('"');
  for (char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

DOWNLINE_END_NAMESPACE
