// SPDX-License-Identifier: MIT
// `downline demo`'s three-month story (examples/data/history): periods chained through the state,
// a paid-as rank kept by grace, activity by look-back, an override and adjustments.
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "commands.hpp"
#include "downline/decimal.hpp"
#include "downline/engine.hpp"

namespace downline::cli {

namespace embedded {
extern const char* const story_plan_json;
extern const char* const story_network_csv;
extern const char* const story_sales_csv;
extern const char* const story_overrides_2026_03_csv;
extern const char* const story_adjustments_2026_03_csv;
}  // namespace embedded

namespace {

/// The story's files in a temporary directory, removed afterwards.
struct story_files {
  std::filesystem::path dir;
  story_files() {
    std::string pattern = (std::filesystem::temp_directory_path() / "downline-story-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("cannot create a temporary directory");
    dir = pattern;
    std::ofstream(dir / "network.csv") << embedded::story_network_csv;
    std::ofstream(dir / "sales.csv") << embedded::story_sales_csv;
    std::ofstream(dir / "overrides.csv") << embedded::story_overrides_2026_03_csv;
    std::ofstream(dir / "adjustments.csv") << embedded::story_adjustments_2026_03_csv;
  }
  ~story_files() {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
};

std::string rank_text(const plan& rules, rank_index r) {
  const std::string_view name = rules.rank_name(r);
  return name.empty() ? "no rank" : std::string(name);
}

/// One line per member: paid-as rank and why, activity, and what it was paid per payout.
void print_month(const result& r, const plan& rules) {
  const network& net = *r.net;
  const qualification& q = r.q;
  fmt::print("\n{}\n", r.totals.period->to_string());
  for (std::uint32_t row = 0; row < net.size(); ++row) {
    const member_index m = net.member_at_row(row);
    std::string why;
    if (const std::string* note = q.override_of(m)) why = fmt::format(", overridden: {}", note->empty() ? "override" : *note);
    else if (q.grace_of(m) > 0) why = fmt::format(", kept by grace ({} of {})", q.grace_of(m), rules.grace_periods);
    const bool by_pv = q.pv[m] >= rules.active_pv;
    const std::string active = !q.active[m] ? "inactive" : by_pv ? "active" : q.override_of(m) ? "active (override)"
                                                                                           : "active by look-back";
    std::string paid;
    minor_t total = 0;
    for (const payout_line& p : r.payouts) {
      if (p.member != m) continue;
      paid += fmt::format("{}{} {}", paid.empty() ? "" : ", ", r.bonus_names[p.bonus], format_fixed(p.amount, rules.money_decimals));
      total += p.amount;
    }
    fmt::print("  {}  paid as {} (qualified {}{}), title {}, {}{}\n", net.id(m), rank_text(rules, q.rank[m]),
               rank_text(rules, q.qualified_rank_of(m)), why, rank_text(rules, q.title_rank_of(m)), active,
               paid.empty() ? "" : fmt::format(" — {}; total {}", paid, format_fixed(total, rules.money_decimals)));
  }
}

}  // namespace

void print_history_story() {
  story_files files;
  const plan rules = plan::from_json(embedded::story_plan_json, "examples/data/history/plan.json");
  const network net = network::from_csv(files.dir / "network.csv");
  const ledger sales = ledger::from_csv(files.dir / "sales.csv", net);
  fmt::print("\nThree months of history (examples/data/history; docs/periods-and-history.md): active = PV 50 "
             "this or last month, a rank kept one month by grace; in March an override and adjustments.\n");
  const network_layout layout = network_layout::build(net, rules);  // once for the three months
  std::optional<member_state> previous;
  for (const char* month : {"2026-01", "2026-02", "2026-03"}) {
    run_options options;
    options.layout = &layout;
    options.period = parse_period(month);
    options.state_in = previous ? &*previous : nullptr;
    std::optional<overrides> o;
    std::optional<adjustments> a;
    if (std::string_view(month) == "2026-03") {
      o = overrides::from_csv(files.dir / "overrides.csv", rules, net);
      a = adjustments::from_csv(files.dir / "adjustments.csv", rules, net);
      options.overrides_in = &*o;
      options.adjustments_in = &*a;
    }
    result r = run(rules, net, sales, options);
    print_month(r, rules);
    previous = std::move(r.next_state);
  }
}

}  // namespace downline::cli
