// SPDX-License-Identifier: MIT
// C API: downline_run.
#include <memory>

#include <optional>

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
    std::optional<downline::member_state> state_in;
    std::optional<downline::overrides> overridden;
    std::optional<downline::adjustments> adjusted;
    const downline::plan& rules = *plan->rules;
    const downline::network& net = network->data->net;
    if (options) {
      if (options->version < 1 || options->version > DOWNLINE_RUN_OPTIONS_VERSION)
        throw status_error(DOWNLINE_ERROR_USAGE, fmt::format("{}: unsupported downline_run_options version '{}'",
                                                             fn, options->version));
      if (options->period) {
        run_options.period = downline::parse_period(options->period);
        if (!run_options.period)
          throw status_error(DOWNLINE_ERROR_USAGE,
                             fmt::format("{}: period must be YYYY-MM, YYYY-Www or YYYY-MM-DD..YYYY-MM-DD '{}'", fn,
                                         options->period));
      }
      if (const downline_state* s = options->state_in)
        state_in = s->source.empty() ? downline::read_state(s->text, rules, net) : downline::read_state(s->source, rules, net);
      if (options->version >= 2 && options->overrides) {
        const downline_overrides& o = *options->overrides;
        overridden = o.source.empty() ? downline::overrides::from_rows(o.rows, rules, net)
                                      : downline::overrides::from_csv(o.source, rules, net);
      }
      if (options->version >= 2 && options->adjustments) {
        const downline_adjustments& a = *options->adjustments;
        adjusted = a.source.empty() ? downline::adjustments::from_rows(a.rows, rules, net)
                                    : downline::adjustments::from_csv(a.source, rules, net);
      }
      run_options.explain = options->explain != 0;
      if (options->version >= 3 && options->layout) run_options.layout = &options->layout->layout;
      if (options->version >= 4) run_options.threads = options->threads;
    }
    if (state_in) run_options.state_in = &*state_in;
    if (overridden) run_options.overrides_in = &*overridden;
    if (adjusted) run_options.adjustments_in = &*adjusted;
    // Without a layout, a compiled network's saved trees are used, not rebuilt (run() builds any others).
    std::optional<downline::network_layout> layout;
    if (!run_options.layout && !network->data->saved.trees().empty()) {
      layout = downline::network_layout::build(net, rules, &network->data->saved);
      run_options.layout = &*layout;
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
