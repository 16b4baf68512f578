// SPDX-License-Identifier: MIT
// The report's figures (income disclosure, Gini) on the hand-computed case, and the page's
// self-containment (issue 13).
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>

#include "downline/decimal.hpp"
#include "downline/report.hpp"
#include "downline/rounding.hpp"
#include "downline/summary_json.hpp"

using namespace downline;

namespace {
const std::filesystem::path case_dir = std::filesystem::path(DOWNLINE_TEST_DATA) / "report" / "disclosure";

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct disclosure_case {
  plan rules = plan::from_file(case_dir / "plan.json");
  network net = network::from_csv(case_dir / "network.csv");
  ledger sales = ledger::from_csv(case_dir / "sales.csv", net);
};
}  // namespace

TEST_CASE("report: the income-disclosure table equals the hand computation", "[report]") {
  disclosure_case k;
  const plan_outcome o = outcome_of(run(k.rules, k.net, k.sales), k.rules);
  std::string csv = "rank,members,share_of_members,share_earning_nothing,median,mean,min,max\n";
  for (const disclosure_row& r : disclosure(o)) {
    if (r.members == 0) continue;
    csv += (r.rank.empty() ? "(no rank)" : r.rank) + "," + std::to_string(r.members) + "," +
           ratio_text(r.members, o.member_totals.size(), 4) + "," + ratio_text(r.zero_earners, r.members, 4) + "," +
           format_fixed(r.median, 2) + "," + format_fixed(divide_rounded(r.sum, r.members, rounding_mode::half_even), 2) +
           "," + format_fixed(r.min, 2) + "," + format_fixed(r.max, 2) + "\n";
  }
  CHECK(csv == read(case_dir / "expected_disclosure.csv"));
  CHECK(gini(o) == std::optional<std::string>("0.6293"));
}

TEST_CASE("report: nobody earning gives no Gini coefficient", "[report]") {
  plan_outcome o;
  o.member_totals = {0, 0, -5};
  CHECK_FALSE(gini(o).has_value());
}

TEST_CASE("report: one self-contained page whose figures are the summary's", "[report]") {
  disclosure_case k;
  run_options explained;
  explained.explain = true;  // payout by level comes from the explanation lines
  const result r = run(k.rules, k.net, k.sales, explained);
  const std::string html = report_html(comparison{&k.net, {outcome_of(r, k.rules)}});
  for (const char* outside : {"<script", "http:", "https:", "src=", "url(", "@import", "<link"})
    CHECK(html.find(outside) == std::string::npos);
  const json_value s = summary_json(r.totals);
  CHECK(html.find("<td>" + s.at("total_payout").get<std::string>() + "</td>") != std::string::npos);  // 153.00
  CHECK(html.find("<td>" + s.at("payout_ratio").get<std::string>() + "</td>") != std::string::npos);  // 0.1275
  CHECK(html.find("<td>level</td><td>1</td><td>110.00</td>") != std::string::npos);
  CHECK(html.find("<td>level</td><td>2</td><td>43.00</td>") != std::string::npos);
}
