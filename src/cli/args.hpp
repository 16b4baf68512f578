// SPDX-License-Identifier: MIT
// A small `--flag value` parser for the CLI's subcommands.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "downline/error.hpp"
#include "downline/io/output_set.hpp"

namespace downline::cli {

/// Thrown for a malformed command line: exit code 2.
struct usage_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Options of one subcommand: `--name value` pairs and `--switch` flags, each at most once
/// unless named `repeatable` (then all() gives every value, in order).
class args {
 public:
  args(int argc, char** argv, int first, const std::set<std::string>& valued, const std::set<std::string>& switches,
       const std::set<std::string>& repeatable = {}) {
    for (int i = first; i < argc; ++i) {
      std::string a = argv[i];
      if (a.rfind("--", 0) != 0) throw usage_error("unexpected argument " + quote_value(a));
      std::string key = a.substr(2), value;
      if (auto eq = key.find('='); eq != std::string::npos) {
        value = key.substr(eq + 1);
        key = key.substr(0, eq);
      } else if (valued.count(key)) {
        if (i + 1 >= argc) throw usage_error("option '--" + key + "' needs a value");
        value = argv[++i];
      }
      if (!valued.count(key) && !switches.count(key)) throw usage_error("unknown option " + quote_value("--" + key));
      if (values_.count(key) && !repeatable.count(key)) throw usage_error("option '--" + key + "' given twice");
      values_[key].push_back(value);
    }
  }
  std::optional<std::string> get(const std::string& key) const {
    auto it = values_.find(key);
    return it == values_.end() ? std::nullopt : std::optional<std::string>(it->second.front());
  }
  /// Every value of a repeatable option, in command-line order.
  std::vector<std::string> all(const std::string& key) const {
    auto it = values_.find(key);
    return it == values_.end() ? std::vector<std::string>() : it->second;
  }
  std::string require(const std::string& key) const {
    auto v = get(key);
    if (!v) throw usage_error("missing required option '--" + key + "'");
    return *v;
  }
  bool flag(const std::string& key) const { return values_.count(key) != 0; }
  /// ("--key", value) for each of `keys` given, in that order: outputs to check before any work.
  std::vector<std::pair<std::string, std::string>> given(std::initializer_list<std::string> keys) const {
    std::vector<std::pair<std::string, std::string>> named;
    for (const auto& key : keys)
      if (auto v = get(key)) named.emplace_back("--" + key, *v);
    return named;
  }

 private:
  std::map<std::string, std::vector<std::string>> values_;
};

/// check_outputs() for the command line: two outputs naming one file, or a directory, is a
/// usage error (exit 2), found before any work.
inline void check_output_options(const std::vector<named_output>& outputs) {
  try {
    check_outputs(outputs);
  } catch (const error& e) {
    throw usage_error(e.what());
  }
}

}  // namespace downline::cli
