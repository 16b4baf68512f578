// SPDX-License-Identifier: MIT
// The plan file (SPEC §3): every key, type and option of every bonus.
#include <string_view>

#include "downline/plan.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  downline_fuzz::expect_answer([&] {
    downline::plan::from_json(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.json");
  });
  return 0;
}
