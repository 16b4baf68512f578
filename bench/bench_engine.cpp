// SPDX-License-Identifier: MIT
// Google Benchmark over generated networks: loading, the U8 unilevel plan, binary placement
// and the binary bonus.
// Sizes 1k … 1M by default; DOWNLINE_BENCH_MAX=10000000 adds 10M (needs ~3 GiB).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>

#include "downline/downline.hpp"

namespace {

namespace fs = std::filesystem;

const char* u8_plan = R"({
  "name": "U8", "currency": "EUR", "money_decimals": 2, "rounding": "half_even",
  "qualification": { "active_pv": "50" },
  "bonuses": [ { "name": "level", "type": "unilevel", "base": "amount", "compression": "dynamic",
                 "rates": ["10%", "5%", "4%", "3%", "2%", "1%", "1%", "1%"] } ]
})";

const char* binary_plan = R"({
  "name": "binary", "currency": "EUR", "money_decimals": 2, "qualification": { "active_pv": "50" },
  "bonuses": [ { "name": "team", "type": "binary", "base": "volume", "placement": "bfs", "rate": "10%",
                 "cap": "1500.00", "max_carry": "20000" } ]
})";

/// Generated data sets, made once per size and kept for the whole process.
const fs::path& data_set(std::int64_t members) {
  static std::map<std::int64_t, fs::path> made;
  auto it = made.find(members);
  if (it != made.end()) return it->second;
  fs::path dir = fs::temp_directory_path() / ("downline-bench-" + std::to_string(members));
  if (!fs::exists(dir / "sales.csv")) {
    downline::generate_options o;
    o.members = static_cast<std::uint64_t>(members);
    o.sales_per_member_milli = 3000;
    o.seed = 7;
    downline::generate(o, dir);
  }
  return made[members] = dir;
}

void sizes(benchmark::internal::Benchmark* b) {
  std::int64_t max = 1'000'000;
  if (const char* env = std::getenv("DOWNLINE_BENCH_MAX")) max = std::atoll(env);
  for (std::int64_t n = 1000; n <= max; n *= 10) b->Arg(n);
  b->Unit(benchmark::kMillisecond);
}

void set_rates(benchmark::State& state, std::int64_t members, std::int64_t lines) {
  using benchmark::Counter;
  if (members) state.counters["members/s"] = Counter(static_cast<double>(members), Counter::kIsIterationInvariantRate);
  if (lines) state.counters["lines/s"] = Counter(static_cast<double>(lines), Counter::kIsIterationInvariantRate);
}

void load_network(benchmark::State& state) {
  const fs::path& dir = data_set(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(downline::network::from_csv(dir / "network.csv"));
  set_rates(state, state.range(0), 0);
}
BENCHMARK(load_network)->Apply(sizes);

void load_ledger(benchmark::State& state) {
  const fs::path& dir = data_set(state.range(0));
  auto net = downline::network::from_csv(dir / "network.csv");
  std::size_t lines = 0;
  for (auto _ : state) {
    auto sales = downline::ledger::from_csv(dir / "sales.csv", net);
    lines = sales.size();
    benchmark::DoNotOptimize(sales);
  }
  set_rates(state, 0, static_cast<std::int64_t>(lines));
}
BENCHMARK(load_ledger)->Apply(sizes);

/// One period run of `plan_json` over the generated data set: evaluation alone, since what a
/// plan needs from the network alone (its layout: placement trees) is built before timing starts.
void run_plan(benchmark::State& state, const char* plan_json, const char* name) {
  const fs::path& dir = data_set(state.range(0));
  auto net = downline::network::from_csv(dir / "network.csv");
  auto sales = downline::ledger::from_csv(dir / "sales.csv", net);
  auto rules = downline::plan::from_json(plan_json, name);
  const auto layout = downline::network_layout::build(net, rules);
  downline::run_options options;
  options.layout = &layout;
  for (auto _ : state) benchmark::DoNotOptimize(downline::run(rules, net, sales, options));
  set_rates(state, state.range(0), static_cast<std::int64_t>(sales.size()));
}

void run_u8(benchmark::State& state) { run_plan(state, u8_plan, "u8"); }
BENCHMARK(run_u8)->Apply(sizes);

/// Automatic bfs placement of every member (the generated files have no placement columns).
void place_binary_bfs(benchmark::State& state) {
  const fs::path& dir = data_set(state.range(0));
  auto net = downline::network::from_csv(dir / "network.csv");
  const downline::placement_options bfs{true, 2, downline::placement_rule::bfs};
  for (auto _ : state) benchmark::DoNotOptimize(downline::placement_tree::build(net, bfs));
  set_rates(state, state.range(0), 0);
}
BENCHMARK(place_binary_bfs)->Apply(sizes);

/// The binary bonus's evaluation alone (the placement tree is in the layout built before timing).
void run_binary(benchmark::State& state) { run_plan(state, binary_plan, "binary"); }
BENCHMARK(run_binary)->Apply(sizes);

/// A plan of bench/plans/, the files the whole-process runs of bench/README.md use.
void run_plan_file(benchmark::State& state, const char* file) {
  std::ifstream in(fs::path(DOWNLINE_BENCH_PLANS) / file, std::ios::binary);
  const std::string json((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  run_plan(state, json.c_str(), file);
}

/// The binary plan with three PV ranks and plain rate and cap, then with rate_by_rank and
/// cap_by_rank: what ranks cost, and what the by-rank lookup adds to them.
void run_binary_ranked(benchmark::State& state) { run_plan_file(state, "binary_bfs_ranked.json"); }
BENCHMARK(run_binary_ranked)->Apply(sizes);
void run_binary_by_rank(benchmark::State& state) { run_plan_file(state, "binary_bfs_by_rank.json"); }
BENCHMARK(run_binary_by_rank)->Apply(sizes);

}  // namespace

BENCHMARK_MAIN();
