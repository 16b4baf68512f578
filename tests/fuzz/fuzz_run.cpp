// SPDX-License-Identifier: MIT
// A whole period with a fuzzed plan over a small fixed network and ledger: ranks, every
// bonus type, rounding and the cap, with explanation lines and the outputs' text.
#include "downline/engine.hpp"
#include "downline/io/writers.hpp"
#include "downline/ledger.hpp"
#include "downline/network.hpp"
#include "downline/plan.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string network_text =
      "id,sponsor_id,joined\nA,,2026-01-01\nB,A,2026-02-01\nC,A,2026-03-01\nD,B,2026-03-02\nE,B,2026-03-03\n"
      "F,C,2026-03-04\nG,D,2026-03-05\n";
  static const downline_fuzz::memory_file network_file(reinterpret_cast<const std::uint8_t*>(network_text.data()),
                                                       network_text.size());
  static const downline::network net = downline::network::from_csv(network_file.path());
  static const downline::ledger sales = [] {
    downline::ledger_builder b(net, "sales", false);
    const char* members[] = {"A", "B", "C", "D", "E", "F", "G", "G", "E"};
    for (int i = 0; i < 9; ++i)
      b.add_values(members[i], (i % 4 == 3 ? -1 : 1) * 12'340'000 * (i + 1), 1'000'000 * (i + 1),
                   static_cast<downline::sale_kind>(i % 3), downline::days_from_civil(2026, 3, 1 + i), "o", i);
    return std::move(b).build();
  }();
  downline_fuzz::expect_answer([&] {
    const downline::plan rules =
        downline::plan::from_json(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.json");
    downline::run_options options;
    options.explain = true;
    const downline::result r = downline::run(rules, net, sales, options);
    downline::output_file out("/dev/null");
    downline::write_payouts(out, r, rules);
    downline::write_ranks(out, r, rules);
    downline::write_lines(out, r, sales);
    out.buffer() += r.totals.to_json();
    out.buffer().clear();
  });
  return 0;
}
