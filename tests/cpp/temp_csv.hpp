// SPDX-License-Identifier: MIT
// A CSV file with given bytes in the temporary directory, removed at scope exit.
#pragma once

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>
#include <fmt/format.h>

namespace downline_test {

struct temp_csv {
  std::filesystem::path path;
  explicit temp_csv(const std::string& content) {
    static std::atomic<int> counter{0};
    path = std::filesystem::temp_directory_path() / fmt::format("downline_test_{}_{}.csv", ::getpid(), counter++);
    std::ofstream out(path, std::ios::binary);
    out << content;
    REQUIRE(out.good());
  }
  ~temp_csv() {
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
  }
  temp_csv(const temp_csv&) = delete;
  temp_csv& operator=(const temp_csv&) = delete;
  std::string name() const { return path.string(); }
  /// "path:line", as error messages locate a row.
  std::string at(std::size_t line) const { return fmt::format("{}:{}", path.string(), line); }
};

}  // namespace downline_test
