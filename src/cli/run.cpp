// SPDX-License-Identifier: MIT
// `downline run` and `downline validate`.
#include <cstdio>
#include <memory>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "args.hpp"
#include "commands.hpp"
#include "downline/detail/parallel.hpp"
#include "downline/engine.hpp"
#include "downline/network_file.hpp"
#include "downline/report.hpp"
#include "downline/io/writers.hpp"
#include "progress.hpp"

namespace downline::cli {

std::optional<commission_period> read_period(const args& a) {
  auto text = a.get("period");
  if (!text) return std::nullopt;
  auto p = parse_period(*text);
  if (!p)
    throw usage_error("--period must be a month YYYY-MM, an ISO week YYYY-Www or a range YYYY-MM-DD..YYYY-MM-DD of "
                      "real dates, not " + quote_value(*text));
  return p;
}

int run_command(int argc, char** argv) {
  args a(argc, argv, 2,
         {"plan", "network", "sales", "period", "state-in", "state-out", "overrides", "adjustments", "out", "ranks",
          "lines", "payables", "summary-json", "report"},
         {"quiet"});
  const std::string plan_path = a.require("plan"), network_path = a.require("network"), sales_path = a.require("sales");
  const auto period = read_period(a);
  const std::string out_path = a.get("out").value_or("payouts.csv");
  auto outputs_named = a.given({"ranks", "lines", "payables", "summary-json", "report", "state-out"});
  outputs_named.insert(outputs_named.begin(), {"--out", out_path});
  check_output_options(outputs_named);
  progress show(a.flag("quiet"));

  show.stage("reading the plan");
  const plan rules = plan::from_file(plan_path);
  // The sales are parsed beside loading the network, a large file in parts: the thread that
  // loaded the network takes the parts left when it is done. Their member ids are resolved
  // once the network exists. Order ids are kept only for the explanation.
  show.stage("reading the network and the sales");
  const bool explain = a.get("lines").has_value();
  detail::background<ledger_builder> parsing(
      [&] { return ledger_builder::parse_csv(sales_path, ledger_builder::split_size, explain); });
  const loaded_network loaded = load_network(network_path);  // network.csv or a compiled .dlnet
  const network& net = loaded.net;
  // The placement trees the plan needs (those a .dlnet was saved with are reused) are built
  // beside resolving the sales' member ids; a placement error is reported once the inputs are read.
  detail::background<network_layout> laying_out([&] { return network_layout::build(net, rules, &loaded.layout); });
  const ledger sales = parsing.get().build(net);
  std::optional<member_state> state_in;
  if (auto path = a.get("state-in")) state_in = read_state(*path, rules, net);
  std::optional<overrides> overridden;
  if (auto path = a.get("overrides")) overridden = overrides::from_csv(*path, rules, net);
  std::optional<adjustments> adjusted;
  if (auto path = a.get("adjustments")) adjusted = adjustments::from_csv(*path, rules, net);

  show.stage(fmt::format("computing ({} sale lines)", sales.size()));
  run_options options;
  options.period = period;
  options.explain = explain || (a.get("report") && report_explains(sales));
  options.state_in = state_in ? &*state_in : nullptr;
  options.overrides_in = overridden ? &*overridden : nullptr;
  options.adjustments_in = adjusted ? &*adjusted : nullptr;
  options.payables = a.get("payables").has_value();
  const network_layout layout = laying_out.get();
  options.layout = &layout;
  const result r = run(rules, net, sales, options);

  // All or nothing: every output is in place, or none of the new ones (docs/reliability.md).
  show.stage("writing");
  output_set outputs;
  write_payouts(outputs.open(out_path), r, rules);
  if (auto path = a.get("ranks")) write_ranks(outputs.open(*path), r, rules);
  if (auto path = a.get("lines")) write_lines(outputs.open(*path), r, sales);
  if (auto path = a.get("payables")) write_payables(outputs.open(*path), r, rules);
  if (auto path = a.get("summary-json")) outputs.open(*path).buffer() += r.totals.to_json();
  if (auto path = a.get("report")) outputs.open(*path).buffer() += report_html(comparison{&net, {outcome_of(r, rules)}});
  if (auto path = a.get("state-out")) write_state(outputs.open(*path), r.next_state, rules, net);
  outputs.commit();
  show.finish();
  if (!a.flag("quiet")) std::fputs(r.totals.to_text().c_str(), outputs.to_stdout() ? stderr : stdout);
  return 0;
}

int validate_command(int argc, char** argv) {
  args a(argc, argv, 2, {"plan", "network", "sales"}, {});
  const plan rules = plan::from_file(a.require("plan"));
  std::string report = fmt::format("ok: plan '{}' ({} ranks, {} bonuses)", rules.name, rules.ranks.size(), rules.bonuses.size());
  if (auto path = a.get("network")) {
    const network net = network::load(*path);
    report += fmt::format("; network {} members", net.size());
    if (auto sales_path = a.get("sales")) {
      const ledger sales = ledger::from_csv(*sales_path, net);
      report += fmt::format("; sales {} lines", sales.size());
    }
  } else if (a.get("sales")) {
    throw usage_error("--sales needs --network (sales are checked against the members)");
  }
  std::puts(report.c_str());
  return 0;
}

}  // namespace downline::cli
