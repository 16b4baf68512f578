// SPDX-License-Identifier: MIT
// Streaming CSV reading (RFC 4180 quoting, CRLF, BOM) with line numbers for messages.
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "downline/base.hpp"

DOWNLINE_BEGIN_NAMESPACE

/**
 * Reads a CSV file a block at a time; a row's fields are views valid until the next `next()`.
 *
 *     csv_reader csv("network.csv");
 *     int id = csv.require_column("id");
 *     while (csv.next()) use(csv.field(id), csv.line());
 *
 * Blank lines are skipped. A row whose field count differs from the header's, or a row longer
 * than max_row_bytes, is an error.
 * Errors throw input_error "<file>:<line>: <what> '<value>'". Memory: one block (a row is at
 * most max_row_bytes). Time: O(bytes).
 */
class csv_reader {
 public:
  /// Bytes read at a time (a longer row grows the buffer).
  static constexpr std::size_t block_bytes = std::size_t{1} << 20;
  /// The most bytes a row may hold, its line break included (1 MiB); a longer row is an error
  /// naming the file and line, so a file without newlines (/dev/zero) cannot take all memory.
  static constexpr std::size_t max_row_bytes = std::size_t{1} << 20;

  /// Opens `path` and reads the header row; an empty file or one without a header is an error.
  explicit csv_reader(const std::filesystem::path& path);
  csv_reader(const csv_reader&) = delete;
  csv_reader& operator=(const csv_reader&) = delete;

  /// The file name as given, for messages.
  const std::string& source() const noexcept { return source_; }
  const std::vector<std::string>& header() const noexcept { return header_; }
  /// The column's index, or -1 when the header lacks it.
  int column(std::string_view name) const noexcept;
  /// The column's index; an error naming the file and the column when absent.
  int require_column(std::string_view name) const;

  /// Moves to the next data row; false at the end of the file.
  bool next();
  /// The 1-based line the current row starts on (the header is line 1).
  std::size_t line() const noexcept { return line_; }
  /// The current row's field, or "" for column -1.
  std::string_view field(int column) const noexcept {
    return column < 0 ? std::string_view() : fields_[static_cast<std::size_t>(column)];
  }

  /// Reads `header`'s data rows from bytes [begin, end) of `path`, numbering lines from
  /// `first_line`: a part of a file split at a newline, parsed beside the other parts.
  csv_reader(const std::filesystem::path& path, std::vector<std::string> header, std::uint64_t begin,
             std::uint64_t end, std::size_t first_line);

  /// The line number the next row starts on (before blank lines are skipped).
  std::size_t next_line() const noexcept { return next_line_; }
  /// File offset of the next unread byte (after the header: where the data rows start).
  std::uint64_t offset() const noexcept { return buffer_offset_ + begin_; }
  /// Stops reading at file offset `end` (a row boundary): the rest belongs to another reader.
  void limit(std::uint64_t end);

  /// Throws input_error "<file>:<line>: <what> '<value>'" for the current row.
  [[noreturn]] void fail(std::string_view what, std::string_view value) const { fail(line_, what, value); }
  /// The same for a row read earlier, on line `line`.
  [[noreturn]] void fail(std::size_t line, std::string_view what, std::string_view value) const;

 private:
  bool read_row();
  bool fill();  // reads more bytes after compacting; false at end of file
  bool split_quoted(std::size_t& consumed);  // false when the row runs past the buffer

  struct file_closer {
    void operator()(std::FILE* f) const noexcept { std::fclose(f); }
  };
  std::string source_;
  std::unique_ptr<std::FILE, file_closer> file_;  // closed even when the constructor throws
  std::vector<char> buffer_;
  std::size_t begin_ = 0, end_ = 0;  // unread bytes are buffer_[begin_, end_)
  bool eof_ = false;
  std::uint64_t buffer_offset_ = 0;  // file offset of buffer_[0]
  std::uint64_t limit_ = ~std::uint64_t{0};  // no byte at or past this offset is read
  std::size_t line_ = 0, next_line_ = 1;
  std::vector<std::string> header_;
  std::vector<std::string_view> fields_;
  std::string scratch_;  // unescaped quoted fields
};

/// Where a file's rows may be split in two for two parsers (the second a csv_reader over
/// [offset, size) numbering lines from the first's next_line() + newlines).
struct csv_split {
  std::uint64_t offset;  ///< just after the first newline at or past the middle
  std::size_t newlines;  ///< newlines from `begin` up to offset
};
/// Where to split rows [begin, size) of `path` (begin: a reader's offset() after the header);
/// nullopt when no split is safe (a quote before it: a quoted field may hold a newline) or
/// there is no newline past the middle.
std::optional<csv_split> find_csv_split(const std::filesystem::path& path, std::uint64_t begin, std::uint64_t size);
/// Where to split rows [begin, size) into `parts` of about equal bytes: the splits in file order
/// (each just after the first newline at or past its share, `newlines` counted from begin),
/// fewer when the last rows are too long to split, none when a quote comes before the last.
std::vector<csv_split> find_csv_splits(const std::filesystem::path& path, std::uint64_t begin, std::uint64_t size,
                                       std::size_t parts);

/// Quotes a CSV field when it needs it (comma, quote, CR or LF), for writers.
void append_csv_field(std::string& out, std::string_view field);

DOWNLINE_END_NAMESPACE
