// SPDX-License-Identifier: MIT
#include "downline/io/output_file.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "downline/error.hpp"

DOWNLINE_BEGIN_NAMESPACE

output_file::output_file(std::filesystem::path path) : path_(std::move(path)) {
  temporary_ = path_;
  temporary_ += fmt::format(".tmp-{}", static_cast<long>(::getpid()));
  file_ = std::fopen(temporary_.c_str(), "wb");
  if (!file_)
    throw input_error(fmt::format("{}: cannot write: {}", path_.string(), std::strerror(errno)), errc::io);
}

output_file::~output_file() {
  if (file_) {
    std::fclose(file_);
    std::error_code ignored;
    std::filesystem::remove(temporary_, ignored);
  }
}

void output_file::flush() {
  if (!buffer_.empty() && std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size())
    throw input_error(fmt::format("{}: write failed: {}", path_.string(), std::strerror(errno)), errc::io);
  buffer_.clear();
}

void output_file::commit() {
  flush();
  std::FILE* f = file_;
  file_ = nullptr;
  if (std::fclose(f) != 0) {
    std::error_code ignored;
    std::filesystem::remove(temporary_, ignored);
    throw input_error(fmt::format("{}: write failed: {}", path_.string(), std::strerror(errno)), errc::io);
  }
  std::error_code ec;
  std::filesystem::rename(temporary_, path_, ec);
  if (ec) {
    std::filesystem::remove(temporary_, ec);
    throw input_error(fmt::format("{}: cannot rename into place", path_.string()), errc::io);
  }
}

DOWNLINE_END_NAMESPACE
