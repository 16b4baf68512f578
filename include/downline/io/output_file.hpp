// SPDX-License-Identifier: MIT
// All-or-nothing output files: written beside the target, renamed into place on commit.
#pragma once

#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>

#include "downline/base.hpp"

DOWNLINE_BEGIN_NAMESPACE

class output_set;

/**
 * One output of a run. Writes are buffered into a temporary file next to `path`; `commit()`
 * renames it over `path`. Destroyed without a commit, the temporary is removed, so a failed
 * run leaves no partial file and an existing file at `path` untouched. Several outputs that
 * must appear together go through an output_set (docs/reliability.md).
 *
 *     output_file out("payouts.csv");
 *     out.buffer() += "member_id,bonus,amount\n";
 *     out.commit();
 *
 * Where the output goes:
 *  - `-` and `/dev/stdout`: standard output;
 *  - a FIFO, a character device or any other existing node that is not a regular file (or
 *    a symlink to one): written directly, once everything else has succeeded (the bytes are
 *    staged in an unnamed temporary file until then);
 *  - a symlink to a regular file, or to a path not yet there: the file it points to is
 *    replaced, the link stays;
 *  - anything else: a regular file, replaced atomically by rename.
 * A directory is an error. Errors throw input_error(errc::io) naming the path and the reason.
 */
class output_file {
 public:
  explicit output_file(std::filesystem::path path);
  ~output_file();
  output_file(const output_file&) = delete;
  output_file& operator=(const output_file&) = delete;

  /// Text appended here is written out in large blocks.
  std::string& buffer() noexcept { return buffer_; }
  /// Writes the buffer out once it holds more than a block.
  void flush_if_large() {
    if (buffer_.size() >= (1u << 22)) flush();
  }
  void flush();
  /// Writes `text` after what the buffer holds, without copying it into the buffer (large
  /// texts formatted elsewhere).
  void write(std::string_view text);
  /// Flushes, closes and puts the file in place (an output_set of one).
  void commit();

  /// The path as given, for messages.
  const std::filesystem::path& path() const noexcept { return path_; }
  /// True when the output is written directly (standard output, a FIFO, a device).
  bool direct() const noexcept { return direct_; }
  /// True when the output is standard output.
  bool to_stdout() const noexcept { return to_stdout_; }

 private:
  friend class output_set;
  // The steps of a commit, in order (output_set runs each step over all its outputs).
  void finish();             // flush and close: every byte is in the temporary
  void place();              // a file: rename into place, the old file kept as a backup
  void deliver();            // direct: copy the staged bytes to the destination
  void restore() noexcept;   // undo place(): the old file back, or the new one removed
  void drop_backup() noexcept;

  [[noreturn]] void fail(std::string_view what, int error) const;

  std::filesystem::path path_;       // as given
  std::filesystem::path target_;     // what is replaced: path_ with a symlink resolved
  std::filesystem::path temporary_;  // beside target_; empty for a direct output
  std::filesystem::path backup_;     // the replaced file's hard link while committing
  bool direct_ = false, to_stdout_ = false, placed_ = false, moved_old_ = false;
  std::FILE* file_ = nullptr;
  std::string buffer_;
};

DOWNLINE_END_NAMESPACE
