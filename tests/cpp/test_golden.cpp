// SPDX-License-Identifier: MIT
// The hand-computed golden cases (tests/data/golden, also run by tests/cli/test_golden.py),
// here through the C++ API: plan/network/sales → run → write_payouts / write_ranks, byte for byte.
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "downline/engine.hpp"
#include "downline/io/output_file.hpp"
#include "downline/io/writers.hpp"
#include "downline/rounding.hpp"
#include "downline/state.hpp"

using namespace downline;
namespace fs = std::filesystem;

namespace {

std::string read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  REQUIRE(in);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::vector<fs::path> golden_cases() {
  const fs::path root = fs::path(DOWNLINE_TEST_DATA) / "golden";
  std::vector<fs::path> cases;
  if (fs::is_directory(root))
    for (const auto& entry : fs::directory_iterator(root))
      if (entry.is_directory()) cases.push_back(entry.path());
  std::sort(cases.begin(), cases.end());
  return cases;
}

/// The CLI arguments of a case's `args` file that matter to the library.
struct case_args {
  std::optional<commission_period> period;
  std::optional<fs::path> state_in, overrides_in, adjustments_in;
};

case_args read_args(const fs::path& dir) {
  case_args a;
  if (!fs::exists(dir / "args")) return a;
  std::istringstream words(read_bytes(dir / "args"));
  std::string word;
  while (words >> word) {
    std::string value;
    if (word == "--period" && words >> value) {
      a.period = parse_period(value);
      INFO("case " << dir.filename().string() << ": --period '" << value << "'");
      REQUIRE(a.period.has_value());
    } else if (word == "--state-in" && words >> value) {
      a.state_in = dir / value;
    } else if (word == "--overrides" && words >> value) {
      a.overrides_in = dir / value;
    } else if (word == "--adjustments" && words >> value) {
      a.adjustments_in = dir / value;
    } else {
      FAIL("case " << dir.filename().string() << ": args word '" << word << "' is not understood by test_golden.cpp");
    }
  }
  return a;
}

struct scratch_dir {
  fs::path path;
  scratch_dir() : path(fs::temp_directory_path() / fmt::format("downline_test_golden_{}", ::getpid())) {
    fs::create_directories(path);
  }
  ~scratch_dir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
};

}  // namespace

TEST_CASE("golden cases through the C++ API", "[golden]") {
  const std::vector<fs::path> cases = golden_cases();
  REQUIRE(cases.size() >= 19);  // 01..13 with 07a..07g when this test was written
  scratch_dir scratch;
  for (const fs::path& dir : cases) {
    const std::string name = dir.filename().string();
    DYNAMIC_SECTION("case " << name) {
      INFO("case " << name << " (see " << (dir / "README.md").string() << ")");
      const case_args args = read_args(dir);
      const plan rules = plan::from_file(dir / "plan.json");
      const network net = network::from_csv(dir / "network.csv");
      const ledger sales = ledger::from_csv(dir / "sales.csv", net);
      std::optional<member_state> state;
      if (args.state_in) state = read_state(*args.state_in, rules, net);
      std::optional<overrides> overridden;
      if (args.overrides_in) overridden = overrides::from_csv(*args.overrides_in, rules, net);
      std::optional<adjustments> adjusted;
      if (args.adjustments_in) adjusted = adjustments::from_csv(*args.adjustments_in, rules, net);
      run_options options;
      options.period = args.period;
      options.explain = true;
      options.state_in = state ? &*state : nullptr;
      options.overrides_in = overridden ? &*overridden : nullptr;
      options.adjustments_in = adjusted ? &*adjusted : nullptr;
      const result r = run(rules, net, sales, options);

      const fs::path payouts_path = scratch.path / (name + "_payouts.csv");
      const fs::path ranks_path = scratch.path / (name + "_ranks.csv");
      {
        output_file payouts_out(payouts_path);
        write_payouts(payouts_out, r, rules);
        output_file ranks_out(ranks_path);
        write_ranks(ranks_out, r, rules);
        payouts_out.commit();
        ranks_out.commit();
      }
      CHECK(read_bytes(payouts_path) == read_bytes(dir / "expected_payouts.csv"));
      if (fs::exists(dir / "expected_ranks.csv")) CHECK(read_bytes(ranks_path) == read_bytes(dir / "expected_ranks.csv"));

      // The explanation lines of each (member, bonus) sum to an exact amount that rounds to the
      // pre-cap amount (SPEC §6).
      std::vector<std::vector<exact_t>> sums(r.rounded.size(), std::vector<exact_t>(net.size(), 0));
      for (const explanation& e : r.lines)
        if (e.rate != explanation::no_rate) sums.at(e.bonus).at(e.earner) += e.amount;  // adjustments come after
      for (std::size_t b = 0; b < r.rounded.size(); ++b)
        for (member_index m = 0; m < net.size(); ++m) {
          INFO("bonus " << r.bonus_names[b] << " member " << std::string(net.id(m)));
          CHECK(round_to_minor(sums[b][m], rules.money_decimals, rules.rounding) == r.rounded[b][m]);
        }
      // The summary agrees with the payout lines.
      minor_t total = 0;
      for (const payout_line& p : r.payouts) total += p.amount;
      CHECK(r.totals.total_payout == total);
      CHECK(r.totals.members == net.size());
    }
  }
}
