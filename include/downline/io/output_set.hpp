// SPDX-License-Identifier: MIT
// Every output of one run, all or nothing.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "downline/io/output_file.hpp"

DOWNLINE_BEGIN_NAMESPACE

/// An output as the user named it: (the option or argument that names it, its path).
using named_output = std::pair<std::string, std::string>;

/**
 * Checks, before any work, that the outputs can be written as asked: no two name the same
 * file (the same path after resolving `.`, `..` and symlinks, a hard link to the same file,
 * or standard output twice) and none is a directory. Throws error(errc::usage) naming both
 * options, or the option and the path.
 *
 *     check_outputs({{"--out", "p.csv"}, {"--ranks", "./p.csv"}});  // usage error
 */
void check_outputs(const std::vector<named_output>& outputs);

/**
 * The outputs of one run: either every one is in place, or none of the new ones is and every
 * file that existed before is untouched (docs/reliability.md gives the guarantee and its one
 * limit, a crash during the final renames).
 *
 *     output_set outputs;
 *     write_payouts(outputs.open("payouts.csv"), r, rules);
 *     write_ranks(outputs.open("ranks.csv"), r, rules);
 *     outputs.commit();
 *
 * commit() closes every temporary (a write error is found before anything is replaced),
 * renames the files into place one by one keeping a hard link to each file replaced, then
 * writes the direct outputs (standard output, FIFOs, devices). A failure at any step puts
 * back every file replaced so far, removes every new one and throws with the reason.
 */
class output_set {
 public:
  /// A new output (an error when another output of the set names the same file).
  output_file& open(const std::filesystem::path& path);
  void commit();
  /// True when an output goes to standard output (so the caller prints its report elsewhere).
  bool to_stdout() const noexcept;

 private:
  std::vector<std::unique_ptr<output_file>> outputs_;
  std::vector<std::string> identities_;
};

DOWNLINE_END_NAMESPACE
