// SPDX-License-Identifier: MIT
// The state file a period hands to the next (SPEC §7.2): carry, history keys and balances, read
// and then used by a run with ranks and a binary bonus.
#include "downline/engine.hpp"
#include "downline/ledger.hpp"
#include "downline/network.hpp"
#include "downline/plan.hpp"
#include "downline/state.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const downline::plan rules = downline::plan::from_json(
      R"({"name":"b","qualification":{"active_pv":"1","active_periods":3},"rank_rules":{"grace_periods":2},
          "ranks":[{"name":"Bronze","pv":"1"},{"name":"Silver","gv":"50"}],
          "bonuses":[{"name":"bin","type":"binary","rate":"10%","max_carry":"1000"}]})",
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
    const downline::member_state state = downline::read_state(file.path(), rules, net);
    downline::run_options options;
    options.state_in = &state;
    downline::run(rules, net, sales, options);
  });
  return 0;
}
