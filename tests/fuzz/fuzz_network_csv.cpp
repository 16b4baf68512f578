// SPDX-License-Identifier: MIT
// network.csv (SPEC §2), with placement trees built for a binary and a matrix plan.
#include "downline/network.hpp"
#include "downline/placement.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  downline_fuzz::memory_file file(data, size);
  downline_fuzz::expect_answer([&] {
    const downline::network net = downline::network::from_csv(file.path());
    downline::placement_tree::build(net, {true, 2, downline::placement_rule::bfs});
    downline::placement_tree::build(net, {false, 3, downline::placement_rule::bfs});
  });
  return 0;
}
