// SPDX-License-Identifier: MIT
// C API: a network's layout (placement trees), built once for many runs.
#include <memory>

#include "guard.hpp"
#include "handles.hpp"

using namespace downline::capi;

extern "C" {

downline_status downline_layout_build(downline_layout** out, const downline_network* network,
                                      const downline_plan* plan) {
  const char* const fn = __func__;
  if (out) *out = nullptr;
  return guarded([&] {
    require(out, "out", fn);
    require(network, "network", fn);
    require(plan, "plan", fn);
    const network_data& data = *network->data;
    auto layout = std::make_unique<downline_layout>(
        downline_layout{network->data, downline::network_layout::build(data.net, *plan->rules, &data.saved)});
    *out = layout.release();
  });
}

void downline_layout_destroy(downline_layout** layout) {
  if (!layout) return;
  delete *layout;
  *layout = nullptr;
}

}  // extern "C"
