// SPDX-License-Identifier: MIT
// `--threads N` and DOWNLINE_THREADS: how many threads a command computes on.
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "commands.hpp"
#include "downline/detail/parallel.hpp"

namespace downline::cli {

namespace {
unsigned parse_threads(std::string_view text, std::string_view what) {
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < 1 ||
      value > detail::max_threads)
    throw usage_error(fmt::format("{} must be a number of threads from 1 to {}, not {}", what, detail::max_threads,
                                  quote_value(text)));
  return value;
}
}  // namespace

unsigned take_thread_count(int& argc, char** argv) {
  std::optional<unsigned> given;
  int kept = 0;
  for (int i = 0; i < argc; ++i) {
    const std::string_view a = argv[i];
    std::optional<std::string_view> value;
    if (a == "--threads") {
      if (i + 1 >= argc) throw usage_error("option '--threads' needs a value");
      value = argv[++i];
    } else if (a.rfind("--threads=", 0) == 0) {
      value = a.substr(std::strlen("--threads="));
    } else {
      argv[kept++] = argv[i];
      continue;
    }
    if (given) throw usage_error("option '--threads' given twice");
    given = parse_threads(*value, "--threads");
  }
  argc = kept;
  if (given) return *given;
  const char* env = std::getenv("DOWNLINE_THREADS");
  if (env && *env) return parse_threads(env, "DOWNLINE_THREADS");
  return 0;  // all cores
}

}  // namespace downline::cli
