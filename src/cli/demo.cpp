// SPDX-License-Identifier: MIT
// `downline demo`: the shipped example end to end, with a few commission statements.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

#include <fmt/format.h>

#include "args.hpp"
#include "commands.hpp"
#include "downline/decimal.hpp"
#include "downline/engine.hpp"
#include "downline/rounding.hpp"

namespace downline::cli {

namespace embedded {
extern const char* const demo_plan;
extern const char* const demo_network;
extern const char* const demo_sales;
extern const char* const plan_unilevel;
extern const char* const plan_stairstep_breakaway;
extern const char* const plan_unilevel_matching;
extern const char* const plan_hybrid_binary_unilevel_matching;
extern const char* const plan_binary;
extern const char* const plan_hybrid_rank_tiered;
}  // namespace embedded

/// examples/plans/<name>.json, for `downline demo --plan <name>` (on the demo network).
struct example_plan {
  const char* name;
  const char* const* json;
};
constexpr example_plan example_plans[] = {
    {"unilevel", &embedded::plan_unilevel},
    {"stairstep_breakaway", &embedded::plan_stairstep_breakaway},
    {"unilevel_matching", &embedded::plan_unilevel_matching},
    {"hybrid_binary_unilevel_matching", &embedded::plan_hybrid_binary_unilevel_matching},
    {"binary", &embedded::plan_binary},
    {"hybrid_rank_tiered", &embedded::plan_hybrid_rank_tiered},
};

namespace {

/// A temporary directory holding the example files, removed afterwards.
struct example_files {
  std::filesystem::path dir;
  example_files() {
    std::string pattern = (std::filesystem::temp_directory_path() / "downline-demo-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("cannot create a temporary directory");
    dir = pattern;
    std::ofstream(dir / "network.csv") << embedded::demo_network;
    std::ofstream(dir / "sales.csv") << embedded::demo_sales;
  }
  ~example_files() {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
};

void print_statement(const result& r, const plan& rules, const ledger& sales, member_index m) {
  const network& net = *r.net;
  const int md = rules.money_decimals;
  std::string rank(rules.rank_name(r.q.rank[m]));
  fmt::print("\nStatement for {} — rank {}, PV {}, GV {}, {}\n", net.id(m), rank.empty() ? "(none)" : rank,
             format_trimmed(r.q.pv[m], volume_decimals), format_trimmed(r.q.gv[m], volume_decimals),
             r.q.active[m] ? "active" : "inactive");
  minor_t total = 0;
  for (std::size_t b = 0; b < rules.bonuses.size(); ++b) {
    exact_t exact = 0;
    bool any = false;
    for (const explanation& e : r.lines) {
      if (e.earner != m || e.bonus != b) continue;
      any = true;
      exact += e.amount;
      fmt::print("  {:<8} level {}  from {:<6} order {:<8} {:>10} × {:>4} = {}\n", rules.bonuses[b]->name(), e.level,
                 e.source == none ? "" : net.id(e.source), e.line == none ? "" : sales.order_id(e.line),
                 format_trimmed(e.base, base_decimals), format_rate(e.rate),
                 format_trimmed(e.amount, exact_decimals));
      if (e.detail != no_detail) fmt::print("           {}\n", r.details[e.detail]);  // a binary member's legs
    }
    if (!any) continue;
    minor_t rounded = round_to_minor(exact, md, rules.rounding);
    fmt::print("  {:<8} exact {} → rounded ({}) {}\n", rules.bonuses[b]->name(), format_trimmed(exact, exact_decimals),
               to_string(rules.rounding), format_fixed(rounded, md));
  }
  for (const payout_line& p : r.payouts)
    if (p.member == m) total += p.amount;
  fmt::print("  earned (after the payout cap): {} {}\n", format_fixed(total, md), rules.currency);
  for (const payable& p : r.settled.payables)
    if (p.member == m)
      fmt::print("  settlement: earned {}, balance in {}, fee {}, deductions {}, paid {}, balance out {} ({})\n",
                 format_fixed(p.earned, md), format_fixed(p.balance_in, md), format_fixed(p.fee, md),
                 format_fixed(p.deductions, md), format_fixed(p.paid, md), format_fixed(p.balance_out, md),
                 to_string(p.status));
}

}  // namespace

int demo_command(int argc, char** argv) {
  args a(argc, argv, 2, {"plan"}, {});
  std::string plan_source = "demo/plan.json";
  const char* plan_json = embedded::demo_plan;
  if (auto name = a.get("plan")) {
    plan_json = nullptr;
    std::string names;
    for (const example_plan& e : example_plans) {
      if (*name == e.name) plan_json = *e.json;
      names += names.empty() ? e.name : std::string(", ") + e.name;
    }
    if (!plan_json) throw usage_error("--plan must name an example plan (" + names + "), not " + quote_value(*name));
    plan_source = "examples/plans/" + *name + ".json";
  }
  example_files files;
  const plan rules = plan::from_json(plan_json, plan_source);
  const network net = network::from_csv(files.dir / "network.csv");
  const ledger sales = ledger::from_csv(files.dir / "sales.csv", net);
  run_options options;
  options.explain = true;
  const result r = run(rules, net, sales, options);

  fmt::print("downline demo: plan '{}' on {} members and {} sale lines\n", rules.name, net.size(), sales.size());
  // The three best-paid members, and one who earned nothing although downline bought.
  std::map<member_index, minor_t> paid;
  for (const payout_line& p : r.payouts) paid[p.member] += p.amount;
  std::vector<std::pair<minor_t, member_index>> ranking;
  for (auto [m, v] : paid) ranking.emplace_back(-v, net.row(m));
  std::sort(ranking.begin(), ranking.end());
  for (std::size_t i = 0; i < std::min<std::size_t>(3, ranking.size()); ++i)
    print_statement(r, rules, sales, net.member_at_row(ranking[i].second));
  fmt::print("\nSummary\n{}", r.totals.to_text());
  print_history_story();
  return 0;
}

}  // namespace downline::cli
