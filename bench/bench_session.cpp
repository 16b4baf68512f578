// SPDX-License-Identifier: MIT
// A session on the U8 data (1M members / 3M lines): one line added, then an estimate for one
// member (a leaf, a mid-level member, the biggest subtree's root) or for everyone, against a
// full run's compute part (engine::run on the loaded network and ledger), side by side.
//
//     downline_bench_session /tmp/u8/spec [ROUNDS]
//
// Prints, per measurement, the median and the range of ROUNDS (default 7) wall times in ms,
// and the process's user+sys CPU seconds at the end.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "downline/downline.hpp"
#include "downline/session.hpp"

namespace {

using clock_type = std::chrono::steady_clock;

/// Median, min and max of `rounds` timings of f() in ms (prepare() before each, untimed).
void measure(const char* what, int rounds, const std::function<void()>& prepare, const std::function<void()>& f) {
  std::vector<double> ms;
  for (int i = 0; i < rounds; ++i) {
    prepare();
    const auto start = clock_type::now();
    f();
    ms.push_back(std::chrono::duration<double, std::milli>(clock_type::now() - start).count());
  }
  std::sort(ms.begin(), ms.end());
  std::printf("%-62s median %9.3f ms  (%.3f .. %.3f)\n", what, ms[ms.size() / 2], ms.front(), ms.back());
  std::fflush(stdout);
}

/// One sale line of 10.00 for `id`.
downline::ledger_builder one_line(const std::string& id) {
  downline::ledger_builder b("sales", false);
  b.add_values(id, 10 * downline::amount_scale, 10 * downline::volume_scale, downline::sale_kind::retail,
               downline::no_date, "", 0);
  return b;
}

/// The member whose subtree size is nearest `size`.
downline::member_index with_subtree_near(const downline::network& net, std::uint32_t size) {
  downline::member_index best = 0;
  for (downline::member_index m = 0; m < net.size(); ++m) {
    const auto diff = [&](downline::member_index x) {
      const std::int64_t s = net.subtree_end(x) - x;
      return s > size ? s - size : size - s;
    };
    if (diff(m) < diff(best)) best = m;
  }
  return best;
}

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s DIR-with-network.csv,sales.csv,u8.json [ROUNDS]\n", argv[0]);
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 7;
  using namespace downline;
  const plan rules = plan::from_file(dir / "u8.json");
  auto net = std::make_shared<const network>(network::from_csv(dir / "network.csv"));
  const ledger sales = ledger::from_csv(dir / "sales.csv", *net);
  std::printf("%u members, %zu lines\n", net->size(), sales.size());

  session s(rules, net);
  {
    const auto start = clock_type::now();
    ledger_builder all("sales.csv", true);
    for (std::size_t i = 0; i < sales.size(); ++i)
      all.add_values(net->id(sales.member(i)), sales.amount(i), sales.volume(i), sales.kind(i), no_date, "", i + 2);
    s.add_sales(std::move(all));
    std::printf("%-62s %9.2f ms\n", "add the 3M lines to a session (one add)",
                std::chrono::duration<double, std::milli>(clock_type::now() - start).count());
  }
  member_index root = 0;
  for (member_index m = 0; m < net->size(); m = net->subtree_end(m))
    if (net->subtree_end(m) - m > net->subtree_end(root) - root) root = m;
  const member_index mid = with_subtree_near(*net, 1000);
  member_index leaf = net->size() / 2;
  while (net->subtree_end(leaf) != leaf + 1) ++leaf;
  std::printf("leaf %s; mid-level %s (subtree %u); biggest root %s (subtree %u)\n", std::string(net->id(leaf)).c_str(),
              std::string(net->id(mid)).c_str(), net->subtree_end(mid) - mid, std::string(net->id(root)).c_str(),
              net->subtree_end(root) - root);

  // Each estimate follows an add of one line to the member it asks about (untimed).
  auto add_to = [&](member_index m) { return [&s, &net, m] { s.add_sales(one_line(std::string(net->id(m)))); }; };
  auto nothing = [] {};
  measure("add one line", rounds, nothing, [&] { s.add_sales(one_line(std::string(net->id(leaf)))); });
  measure("estimate(leaf), explained, after one add", rounds, add_to(leaf), [&] { s.estimate(leaf, true); });
  measure("estimate(mid-level), explained, after one add", rounds, add_to(mid), [&] { s.estimate(mid, true); });
  // U8 keeps level bases: built by the first unexplained estimate of a large subtree, then
  // followed by each add.
  measure("estimate(biggest root), not explained, first (builds bases)", 1, nothing, [&] { s.estimate(root, false); });
  measure("estimate(biggest root), not explained, after one add", rounds, add_to(root),
          [&] { s.estimate(root, false); });
  measure("estimate(biggest root), not explained, after an add to a leaf", rounds, add_to(leaf),
          [&] { s.estimate(root, false); });
  measure("add one line to a leaf, bases kept", rounds, nothing,
          [&] { s.add_sales(one_line(std::string(net->id(leaf)))); });
  measure("estimate(biggest root), again without an add", rounds, nothing, [&] { s.estimate(root, false); });
  measure("estimate() for everyone, after one add", rounds, add_to(leaf), [&] { s.estimate(false); });
  const run_options options = s.options(false);
  measure("full run, compute part (engine::run, inputs loaded)", rounds, nothing,
          [&] { run(rules, s.net(), s.sales(), options); });
  // The kept bases' estimate is the run's, to the cent.
  const result full = run(rules, s.net(), s.sales(), options);
  const result mine = s.estimate(root, false);
  std::vector<std::pair<std::uint16_t, minor_t>> in_run, estimated;
  for (const payout_line& p : full.payouts)
    if (p.member == root) in_run.emplace_back(p.bonus, p.amount);
  for (const payout_line& p : mine.payouts) estimated.emplace_back(p.bonus, p.amount);
  std::printf("the root's estimate (%s, minor units) equals the full run's payouts: %s\n",
              estimated.empty() ? "nothing" : std::to_string(estimated.front().second).c_str(),
              in_run == estimated ? "yes" : "NO");
  std::printf("user+sys CPU %.1f s\n", cpu_seconds());
  return 0;
}
