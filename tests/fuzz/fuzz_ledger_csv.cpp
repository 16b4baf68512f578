// SPDX-License-Identifier: MIT
// sales.csv (SPEC §2) against a small fixed network.
#include "downline/ledger.hpp"
#include "downline/network.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const downline::network net = [] {
    const std::string text = "id,sponsor_id\nA,\nB,A\nC,B\nD,A\n";
    downline_fuzz::memory_file f(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
    return downline::network::from_csv(f.path());
  }();
  downline_fuzz::memory_file file(data, size);
  downline_fuzz::expect_answer([&] { downline::ledger::from_csv(file.path(), net); });
  return 0;
}
