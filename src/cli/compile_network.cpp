// SPDX-License-Identifier: MIT
// `downline compile-network`: network.csv (checked and numbered once) into a .dlnet file.
#include <cstdio>

#include <fmt/format.h>

#include "args.hpp"
#include "commands.hpp"
#include "downline/network_file.hpp"
#include "downline/plan.hpp"

namespace downline::cli {

int compile_network_command(int argc, char** argv) {
  args a(argc, argv, 2, {"network", "plan", "out"}, {"quiet"});
  const std::string network_path = a.require("network"), out_path = a.require("out");
  // With a plan, the placement trees its bonuses pay over are built now and saved too.
  std::vector<placement_options> needs;
  if (auto plan_path = a.get("plan")) needs = placement_needs(plan::from_file(*plan_path));
  const loaded_network loaded = load_network(network_path);
  const network_layout layout = network_layout::build(loaded.net, needs, &loaded.layout);
  write_compiled_network(loaded.net, out_path, &layout);
  if (!a.flag("quiet"))
    std::puts(fmt::format("compiled {} members ({} placement trees) into {}", loaded.net.size(), needs.size(), out_path)
                  .c_str());
  return 0;
}

}  // namespace downline::cli
