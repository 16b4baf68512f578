// SPDX-License-Identifier: MIT
// Stage timings on stderr, only when stderr is a terminal (long runs).
#pragma once

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace downline::cli {

class progress {
 public:
  /// On when stderr is a terminal, or when DOWNLINE_PROGRESS is set (benchmarks, logs).
  explicit progress(bool quiet) : enabled_(!quiet && (::isatty(2) || std::getenv("DOWNLINE_PROGRESS"))) {}
  /// Announces a stage; the previous one is closed with its time.
  void stage(const std::string& what) {
    finish();
    if (!enabled_) return;
    std::fprintf(stderr, "downline: %s…", what.c_str());
    std::fflush(stderr);
    open_ = true;
    start_ = std::chrono::steady_clock::now();
  }
  void finish() {
    if (!open_) return;
    open_ = false;
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    std::fprintf(stderr, " %.2f s\n", s);
  }
  ~progress() { finish(); }

 private:
  bool enabled_;
  bool open_ = false;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace downline::cli
