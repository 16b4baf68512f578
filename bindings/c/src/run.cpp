// SPDX-License-Identifier: MIT
// C API: downline_run.
#include <memory>

#include <fmt/format.h>

#include "downline/date.hpp"
#include "guard.hpp"
#include "handles.hpp"

using namespace downline::capi;

extern "C" {

downline_status downline_run(downline_result** out, const downline_plan* plan, const downline_network* network,
                             const downline_ledger* ledger, const downline_run_options* options) {
  const char* const fn = __func__;
  if (out) *out = nullptr;
  return guarded([&] {
    require(out, "out", fn);
    require(plan, "plan", fn);
    require(network, "network", fn);
    require(ledger, "ledger", fn);
    if (ledger->data->net != network->data)
      throw status_error(DOWNLINE_ERROR_USAGE,
                         fmt::format("{}: the ledger was loaded against another network '{}'", fn,
                                     ledger->data->sales.source()));
    downline::run_options run_options;
    if (options) {
      if (options->version != DOWNLINE_RUN_OPTIONS_VERSION)
        throw status_error(DOWNLINE_ERROR_USAGE, fmt::format("{}: unsupported downline_run_options version '{}'",
                                                             fn, options->version));
      if (options->period) {
        run_options.period = downline::parse_period(options->period);
        if (!run_options.period)
          throw status_error(DOWNLINE_ERROR_USAGE,
                             fmt::format("{}: period must be YYYY-MM '{}'", fn, options->period));
      }
      if (options->state_in) run_options.state_in = &options->state_in->state;
      run_options.explain = options->explain != 0;
    }
    auto result = std::make_unique<downline_result>();
    result->rules = plan->rules;
    result->net = network->data;
    result->sales = ledger->data;
    result->explained = run_options.explain;
    result->r = downline::run(*plan->rules, network->data->net, ledger->data->sales, run_options);
    *out = result.release();
  });
}

}  // extern "C"
