// SPDX-License-Identifier: MIT
// All-or-nothing output files: written beside the target, renamed into place on commit.
#pragma once

#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>

#include "downline/base.hpp"

DOWNLINE_BEGIN_NAMESPACE

/**
 * Buffers writes into a temporary file next to `path`; `commit()` renames it over `path`.
 * Destroyed without a commit, the temporary is removed, so a failed run leaves no partial
 * file and an existing file at `path` untouched.
 *
 *     output_file out("payouts.csv");
 *     out.buffer() += "member_id,bonus,amount\n";
 *     out.commit();
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
  /// Flushes, closes and renames into place. Throws input_error(errc::io) on failure.
  void commit();

 private:
  std::filesystem::path path_, temporary_;
  std::FILE* file_ = nullptr;
  std::string buffer_;
};

DOWNLINE_END_NAMESPACE
