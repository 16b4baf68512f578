// SPDX-License-Identifier: MIT
// What a back office keys in before closing a period (SPEC §7.4): the fuzzed bytes as an
// overrides file and as an adjustments file, each then used by a run with ranks and a cap.
#include "downline/engine.hpp"
#include "downline/ledger.hpp"
#include "downline/network.hpp"
#include "downline/overrides.hpp"
#include "downline/plan.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const downline::plan rules = downline::plan::from_json(
      R"({"name":"o","payout_cap":"20%","qualification":{"active_pv":"1"},
          "ranks":[{"name":"Bronze","pv":"1"},{"name":"Silver","gv":"50","legs":[{"count":1,"rank":"Bronze"}]}],
          "bonuses":[{"name":"level","type":"unilevel","rates":["10%","5%"],"min_rank":"Bronze"}]})",
      "plan");
  static const std::string network_text = "id,sponsor_id\nA,\nB,A\nC,A\nD,B\n";
  static const downline_fuzz::memory_file network_file(reinterpret_cast<const std::uint8_t*>(network_text.data()),
                                                       network_text.size());
  static const downline::network net = downline::network::from_csv(network_file.path());
  static const downline::ledger sales = [] {
    downline::ledger_builder b(net, "sales", false);
    b.add_values("D", 100'000'000, 1'000'000, downline::sale_kind::retail, downline::no_date, "", 0);
    b.add_values("C", 50'000'000, 500'000, downline::sale_kind::retail, downline::no_date, "", 1);
    return std::move(b).build();
  }();
  downline_fuzz::memory_file file(data, size);
  downline_fuzz::expect_answer([&] {
    const downline::overrides given = downline::overrides::from_csv(file.path(), rules, net);
    downline::run_options options;
    options.overrides_in = &given;
    downline::run(rules, net, sales, options);
  });
  downline_fuzz::expect_answer([&] {
    const downline::adjustments given = downline::adjustments::from_csv(file.path(), rules, net);
    downline::run_options options;
    options.adjustments_in = &given;
    downline::run(rules, net, sales, options);
  });
  return 0;
}
