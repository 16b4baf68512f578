// SPDX-License-Identifier: MIT
// What the harnesses share: fuzzed bytes as a file the readers can open, and the rule that
// only downline::error may come out of the library.
#pragma once

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "downline/error.hpp"

namespace downline_fuzz {

/// The bytes as an in-memory file (memfd), opened by path like any input file.
class memory_file {
 public:
  memory_file(const std::uint8_t* data, std::size_t size) : fd_(::memfd_create("downline-fuzz", 0)) {
    if (fd_ < 0) __builtin_trap();
    for (std::size_t done = 0; done < size;) {
      const ssize_t n = ::write(fd_, data + done, size - done);
      if (n <= 0) __builtin_trap();
      done += static_cast<std::size_t>(n);
    }
    path_ = "/proc/self/fd/" + std::to_string(fd_);
  }
  ~memory_file() { ::close(fd_); }
  memory_file(const memory_file&) = delete;
  memory_file& operator=(const memory_file&) = delete;
  const std::string& path() const noexcept { return path_; }

 private:
  int fd_;
  std::string path_;
};

/// Runs f; a downline::error is the expected answer to bad input. Anything else (another
/// exception, a crash, a sanitizer report) is a finding.
template <class F>
void expect_answer(F&& f) {
  try {
    f();
  } catch (const downline::error& e) {
    if (e.what()[0] == '\0') __builtin_trap();  // every error explains itself
  }
}

}  // namespace downline_fuzz
