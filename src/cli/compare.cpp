// SPDX-License-Identifier: MIT
// `downline compare`: several plans over one network and one ledger, loaded once.
#include <cstdio>
#include <memory>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "args.hpp"
#include "commands.hpp"
#include "downline/compare.hpp"
#include "downline/detail/parallel.hpp"
#include "downline/network_file.hpp"
#include "downline/report.hpp"
#include "downline/error.hpp"
#include "downline/io/output_set.hpp"
#include "progress.hpp"

namespace downline::cli {

int compare_command(int argc, char** argv) {
  args a(argc, argv, 2, {"plan", "network", "sales", "period", "state-in", "out", "summary-json", "report"}, {"quiet"},
         {"plan", "state-in"});
  const std::vector<std::string> plan_paths = a.all("plan"), state_paths = a.all("state-in");
  if (plan_paths.size() < 2) throw usage_error("compare needs at least two --plan files");
  if (!state_paths.empty() && state_paths.size() != plan_paths.size())
    throw usage_error(fmt::format("--state-in is given once per plan, in plan order: {} plans, {} states",
                                  plan_paths.size(), state_paths.size()));
  const std::string network_path = a.require("network"), sales_path = a.require("sales");
  const std::string out_path = a.require("out");
  check_output_options(a.given({"out", "summary-json", "report"}));
  const auto period = read_period(a);
  progress show(a.flag("quiet"));

  show.stage("reading the plans");
  std::vector<plan> rules;
  for (const auto& path : plan_paths) rules.push_back(plan::from_file(path));
  std::vector<const plan*> plans;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j)
      if (rules[j].name == rules[i].name)
        throw plan_error(fmt::format("{}: the plan name is also the name of {}; compared plans need distinct names {}",
                                     plan_paths[i], plan_paths[j], quote_value(rules[i].name)));
    plans.push_back(&rules[i]);
  }
  show.stage("reading the network and the sales");
  // As in run: the sales beside the network, a large file in parts.
  detail::background<ledger_builder> parsing(
      [&] { return ledger_builder::parse_csv(sales_path, ledger_builder::split_size, false); });
  const loaded_network loaded = load_network(network_path);  // network.csv or a compiled .dlnet
  const network& net = loaded.net;
  // One layout for every plan (the union of their placement trees), beside resolving the sales.
  detail::background<network_layout> laying_out(
      [&] { return network_layout::build(net, placement_needs(plans), &loaded.layout); });
  const ledger sales = parsing.get().build(net);
  std::vector<member_state> states;  // each plan's state names its own bonuses and ranks
  for (std::size_t i = 0; i < state_paths.size(); ++i) states.push_back(read_state(state_paths[i], rules[i], net));

  show.stage(fmt::format("computing {} plans ({} sale lines)", plans.size(), sales.size()));
  const network_layout layout = laying_out.get();
  std::vector<run_options> options(plans.size());
  for (std::size_t i = 0; i < options.size(); ++i) {
    options[i].layout = &layout;
    options[i].period = period;
    options[i].state_in = states.empty() ? nullptr : &states[i];
    options[i].explain = a.get("report") && report_explains(sales);
  }
  const comparison c = compare(plans, net, sales, options);

  show.stage("writing");
  output_set outputs;
  write_comparison(outputs.open(out_path), c);
  if (auto path = a.get("summary-json")) outputs.open(*path).buffer() += comparison_json(c);
  if (auto path = a.get("report")) outputs.open(*path).buffer() += report_html(c);
  outputs.commit();
  show.finish();
  if (!a.flag("quiet"))
    for (std::size_t i = 0; i < c.plans.size(); ++i)
      std::fputs(((i ? "\n" : "") + c.plans[i].totals.to_text()).c_str(), outputs.to_stdout() ? stderr : stdout);
  return 0;
}

}  // namespace downline::cli
