// SPDX-License-Identifier: MIT
#include "downline/io/output_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <vector>

#include <fmt/format.h>

#include "downline/error.hpp"

DOWNLINE_BEGIN_NAMESPACE

namespace {
bool names_stdout(const std::filesystem::path& path) { return path == "-" || path == "/dev/stdout"; }

/// A name beside `target` that no other output of this or another process uses.
std::filesystem::path beside(const std::filesystem::path& target, std::string_view what) {
  static std::atomic<unsigned> counter{0};
  std::filesystem::path p = target;
  p += fmt::format(".{}-{}-{}", what, static_cast<long>(::getpid()), counter++);
  return p;
}
}  // namespace

output_file::output_file(std::filesystem::path path) : path_(std::move(path)) {
  struct stat st {};
  if (names_stdout(path_)) {
    direct_ = to_stdout_ = true;
  } else if (::stat(path_.c_str(), &st) == 0) {  // follows symlinks
    if (S_ISDIR(st.st_mode)) fail("is a directory", EISDIR);
    direct_ = !S_ISREG(st.st_mode);
  }
  if (direct_) {
    file_ = std::tmpfile();  // the bytes wait here until every other output is in place
    if (!file_) fail("cannot stage the output in a temporary file", errno);
    return;
  }
  std::error_code ec;
  target_ = std::filesystem::is_symlink(path_, ec) ? std::filesystem::weakly_canonical(path_, ec) : path_;
  if (ec) target_ = path_;
  // O_EXCL: a fresh file of our own, never one that someone placed at a guessed name.
  for (int attempt = 0; attempt < 100 && !file_; ++attempt) {
    temporary_ = beside(target_, "tmp");
    const int fd = ::open(temporary_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 && errno == EEXIST) continue;
    if (fd < 0) {
      const int error = errno;
      temporary_.clear();
      fail("cannot write", error);
    }
    file_ = ::fdopen(fd, "wb");
    if (!file_) ::close(fd);
  }
  if (!file_) fail("cannot write", errno);
}

output_file::~output_file() {
  if (file_) std::fclose(file_);
  if (!temporary_.empty() && !placed_) ::unlink(temporary_.c_str());
}

void output_file::fail(std::string_view what, int error) const {
  throw input_error(fmt::format("{}: {}: {}", path_.string(), what, std::strerror(error)), errc::io);
}

void output_file::flush() {
  if (!buffer_.empty() && std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size())
    fail("write failed", errno);
  buffer_.clear();
}

void output_file::write(std::string_view text) {
  flush();
  if (!text.empty() && std::fwrite(text.data(), 1, text.size(), file_) != text.size()) fail("write failed", errno);
}

void output_file::finish() {
  flush();
  if (direct_) {
    if (std::fflush(file_) != 0) fail("write failed", errno);
    return;
  }
  std::FILE* f = file_;
  file_ = nullptr;
  if (std::fclose(f) != 0) fail("write failed", errno);
}

void output_file::place() {
  // The file being replaced stays reachable under a second name until the whole set is in
  // place, so that a later failure can put it back.
  struct stat st {};
  if (::lstat(target_.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) fail("cannot rename into place", EISDIR);  // one made since open
    backup_ = beside(target_, "old");
    if (::link(target_.c_str(), backup_.c_str()) != 0) {
      // No hard links here (some file systems): move it aside instead.
      if (::rename(target_.c_str(), backup_.c_str()) != 0) {
        const int error = errno;
        backup_.clear();
        fail("cannot rename into place", error);
      }
      moved_old_ = true;
    }
  }
  if (::rename(temporary_.c_str(), target_.c_str()) != 0) {
    const int error = errno;
    if (moved_old_) ::rename(backup_.c_str(), target_.c_str());
    else if (!backup_.empty()) ::unlink(backup_.c_str());
    backup_.clear();
    fail("cannot rename into place", error);
  }
  placed_ = true;
}

void output_file::deliver() {
  std::FILE* out = to_stdout_ ? stdout : std::fopen(path_.c_str(), "wb");
  if (!out) fail("cannot write", errno);
  std::rewind(file_);
  std::vector<char> block(1 << 20);
  bool ok = true;
  while (ok) {
    const std::size_t n = std::fread(block.data(), 1, block.size(), file_);
    if (n == 0) {
      ok = !std::ferror(file_);
      break;
    }
    ok = std::fwrite(block.data(), 1, n, out) == n;
  }
  ok = std::fflush(out) == 0 && ok;
  const int error = errno;
  if (!to_stdout_) ok = std::fclose(out) == 0 && ok;
  if (!ok) fail("write failed", error ? error : EIO);
}

void output_file::restore() noexcept {
  if (!placed_) return;
  if (!backup_.empty()) ::rename(backup_.c_str(), target_.c_str());  // the old file back, atomically
  else ::unlink(target_.c_str());
  backup_.clear();
  placed_ = false;
  temporary_.clear();  // renamed away: nothing left to remove
}

void output_file::drop_backup() noexcept {
  if (!backup_.empty()) ::unlink(backup_.c_str());
  backup_.clear();
}

void output_file::commit() {
  finish();
  if (direct_) {
    deliver();
    return;
  }
  place();
  drop_backup();
}

DOWNLINE_END_NAMESPACE
