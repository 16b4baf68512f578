// SPDX-License-Identifier: MIT
#include "downline/io/output_set.hpp"

#include <sys/stat.h>

#include <fmt/format.h>

#include "downline/error.hpp"

DOWNLINE_BEGIN_NAMESPACE

namespace {
/// What makes two output paths the same file: standard output, the device and inode of an
/// existing file, or the resolved path of one not there yet.
std::string identity(const std::filesystem::path& path) {
  if (path == "-" || path == "/dev/stdout") return "stdout";
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) return fmt::format("inode {}:{}", st.st_dev, st.st_ino);
  std::error_code ec;
  std::filesystem::path resolved = std::filesystem::weakly_canonical(path, ec);
  if (ec) resolved = path;
  if (::stat(resolved.c_str(), &st) == 0) return fmt::format("inode {}:{}", st.st_dev, st.st_ino);  // "gone/../x"
  return "path " + resolved.string();
}
}  // namespace

void check_outputs(const std::vector<named_output>& outputs) {
  std::vector<std::string> seen;
  for (const auto& [name, path] : outputs) {
    if (std::filesystem::is_directory(path))
      throw error(errc::usage, fmt::format("{} names a directory, not a file {}", name, quote_value(path)));
    seen.push_back(identity(path));
    for (std::size_t j = 0; j + 1 < seen.size(); ++j)
      if (seen[j] == seen.back())
        throw error(errc::usage, fmt::format("{} and {} name the same file {}", outputs[j].first, name,
                                             quote_value(path)));
  }
}

output_file& output_set::open(const std::filesystem::path& path) {
  std::string id = identity(path);
  for (std::size_t i = 0; i < identities_.size(); ++i)
    if (identities_[i] == id)
      throw error(errc::usage, fmt::format("two outputs name the same file {} (first as {})", quote_value(path.string()),
                                           quote_value(outputs_[i]->path().string())));
  outputs_.push_back(std::make_unique<output_file>(path));
  identities_.push_back(std::move(id));
  return *outputs_.back();
}

bool output_set::to_stdout() const noexcept {
  for (const auto& out : outputs_)
    if (out->to_stdout()) return true;
  return false;
}

void output_set::commit() {
  // 1. Every byte written and every temporary closed: a full disk shows here, before any
  //    file is replaced.
  for (auto& out : outputs_) out->finish();
  // 2. The files into place, in order; the direct outputs after them (they cannot be taken
  //    back, so they are written only once every file is in place).
  std::vector<output_file*> order;
  for (auto& out : outputs_)
    if (!out->direct()) order.push_back(out.get());
  for (auto& out : outputs_)
    if (out->direct()) order.push_back(out.get());
  std::size_t done = 0;
  try {
    for (; done < order.size(); ++done) {
      if (order[done]->direct()) order[done]->deliver();
      else order[done]->place();
    }
  } catch (...) {
    for (std::size_t i = done; i-- > 0;) order[i]->restore();
    throw;
  }
  for (auto* out : order) out->drop_backup();
}

DOWNLINE_END_NAMESPACE
