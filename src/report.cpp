// SPDX-License-Identifier: MIT
// The HTML report: one self-contained page (inline CSS and SVG, no script, nothing fetched).
// Every figure the summary JSON holds is printed from summary_json(), so both agree.
#include <algorithm>
#include <functional>
#include <map>

#include <fmt/format.h>

#include "downline/decimal.hpp"
#include "downline/report.hpp"
#include "downline/rounding.hpp"
#include "downline/summary_json.hpp"

DOWNLINE_BEGIN_NAMESPACE

namespace {

std::string escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

// A summary JSON value as the page shows it: the string itself, a number, or "—" for null.
std::string shown(const json_value& v) {
  if (v.is_null()) return "—";
  if (v.is_string()) return escape(v.get<std::string>());
  return v.dump();
}

const char* style = R"(
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2933;margin:24px auto;max-width:1200px;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d9e2ec;padding-bottom:4px}
h3{font-size:14px;margin:12px 0 6px}.meta{color:#52606d}
table{border-collapse:collapse;margin:6px 0 12px}th,td{padding:3px 10px;border-bottom:1px solid #e4e7eb;text-align:right}
th:first-child,td:first-child{text-align:left}thead th{background:#f0f4f8}
.plans{display:grid;gap:18px}.plan{min-width:0}svg{max-width:100%;height:auto}
svg text{font:11px system-ui,sans-serif;fill:#334e68}.bar{fill:#4c78a8}.neg{fill:#e45756}.zero{fill:#9fb3c8}
.curve{fill:none;stroke:#4c78a8;stroke-width:2}.diag{stroke:#9fb3c8;stroke-dasharray:4 3}.axis{stroke:#829ab1}
.note{color:#52606d;font-size:12px}
)";

/// One bar of a chart: its label and its height (a count or an amount in minor units).
struct bar {
  std::string label;
  __int128 value;
  const char* css = "bar";
};

// A vertical bar chart with the value above each bar and the label below; heights are
// proportional to |value| (integer arithmetic: these are drawing units, not money).
std::string bar_chart(const std::vector<bar>& bars, const std::vector<std::string>& shown_values) {
  const int width = 520, height = 220, top = 18, bottom = 40, left = 8;
  const int plot = height - top - bottom;
  __int128 largest = 1;
  for (const bar& b : bars) largest = std::max<__int128>(largest, b.value < 0 ? -b.value : b.value);
  const int slot = bars.empty() ? width : (width - left) / static_cast<int>(bars.size());
  std::string svg = fmt::format(R"(<svg viewBox="0 0 {} {}" width="{}" height="{}" role="img">)", width, height, width, height);
  svg += fmt::format(R"(<line class="axis" x1="{}" y1="{}" x2="{}" y2="{}"/>)", left, top + plot, width, top + plot);
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const __int128 magnitude = bars[i].value < 0 ? -bars[i].value : bars[i].value;
    const int h = static_cast<int>(magnitude * plot / largest);
    const int x = left + static_cast<int>(i) * slot;
    svg += fmt::format(R"(<rect class="{}" x="{}" y="{}" width="{}" height="{}"/>)", bars[i].css, x + 2, top + plot - h,
                       std::max(slot - 4, 1), h);
    svg += fmt::format(R"(<text x="{}" y="{}" text-anchor="middle">{}</text>)", x + slot / 2, top + plot - h - 4,
                       shown_values[i]);
    svg += fmt::format(R"(<text x="{}" y="{}" text-anchor="middle">{}</text>)", x + slot / 2, top + plot + 14,
                       escape(bars[i].label));
  }
  return svg + "</svg>";
}

std::string counts_chart(const std::vector<bar>& bars) {
  std::vector<std::string> values;
  for (const bar& b : bars) values.push_back(fmt::format("{}", static_cast<long long>(b.value)));
  return bar_chart(bars, values);
}

// The number of decimal digits of |v| (v ≠ 0): the log-scale bin of an amount in minor units.
int digits(__int128 v) {
  if (v < 0) v = -v;
  int d = 0;
  for (; v > 0; v /= 10) ++d;
  return d;
}

// Bins of amounts in minor units on a log scale: [10^(d-1), 10^d) minor units for each d
// present, labelled by their lower edge in money ("≥ 1.00"); zero and negatives apart.
std::vector<bar> log_bins(const std::vector<__int128>& values, int decimals, bool signed_bins) {
  std::map<int, std::uint64_t> positive, negative;
  std::uint64_t zero = 0, below = 0;
  for (__int128 v : values) {
    if (v > 0) ++positive[digits(v)];
    else if (v == 0) ++zero;
    else if (signed_bins) ++negative[digits(v)];
    else ++below;
  }
  std::vector<bar> bars;
  // Every bin between the smallest and the largest present, empty ones too: the scale stays even.
  auto count_at = [](const std::map<int, std::uint64_t>& bins, int d) {
    auto it = bins.find(d);
    return it == bins.end() ? std::uint64_t{0} : it->second;
  };
  if (!negative.empty())
    for (int d = negative.rbegin()->first; d >= negative.begin()->first; --d)
      bars.push_back({"≤ −" + format_fixed(pow10_i128(d - 1), decimals), count_at(negative, d), "neg"});
  if (!signed_bins && below) bars.push_back({"< 0", below, "neg"});
  bars.push_back({"0", zero, "zero"});
  if (!positive.empty())
    for (int d = positive.begin()->first; d <= positive.rbegin()->first; ++d)
      bars.push_back({"≥ " + format_fixed(pow10_i128(d - 1), decimals), count_at(positive, d)});
  return bars;
}

// The Lorenz curve of the totals (negatives as 0), with the line of equality.
std::string lorenz_chart(const plan_outcome& o) {
  std::vector<minor_t> x(o.member_totals);
  for (minor_t& v : x) v = std::max<minor_t>(v, 0);
  std::sort(x.begin(), x.end());
  __int128 total = 0;
  for (minor_t v : x) total += v;
  const int size = 220, pad = 24, plot = size - 2 * pad;
  std::string svg = fmt::format(R"(<svg viewBox="0 0 {0} {0}" width="{0}" height="{0}" role="img">)", size);
  svg += fmt::format(R"(<line class="diag" x1="{0}" y1="{1}" x2="{1}" y2="{0}"/>)", pad, pad + plot);
  svg += fmt::format(R"(<rect x="{0}" y="{0}" width="{1}" height="{1}" fill="none" class="axis" stroke="#829ab1"/>)", pad, plot);
  std::string points;
  const std::size_t n = x.size(), steps = std::min<std::size_t>(n, 200);
  __int128 cumulative = 0;
  std::size_t taken = 0;
  points += fmt::format("{},{}", pad, pad + plot);
  for (std::size_t s = 1; s <= steps && total > 0; ++s) {
    const std::size_t upto = n * s / steps;
    for (; taken < upto; ++taken) cumulative += x[taken];
    const int px = pad + static_cast<int>(static_cast<__int128>(upto) * plot / static_cast<__int128>(n));
    const int py = pad + plot - static_cast<int>(cumulative * plot / total);
    points += fmt::format(" {},{}", px, py);
  }
  svg += fmt::format(R"(<polyline class="curve" points="{}"/>)", points);
  svg += fmt::format(R"(<text x="{}" y="{}">members, poorest first →</text>)", pad, size - 6);
  svg += fmt::format(R"(<text x="4" y="{}">share of payout</text>)", pad - 8);
  return svg + "</svg>";
}

struct plan_view {
  const plan_outcome& o;
  std::size_t index;  ///< the plan's place in the comparison, from 1
  json_value s = summary_json(o.totals);
  std::vector<disclosure_row> rows = disclosure(o);
  std::optional<std::string> gini_text = gini(o);
  std::string money(__int128 minor) const { return format_fixed(minor, o.totals.money_decimals); }
};

// Rows of label + one cell per plan.
std::string side_by_side(const std::string& id, const std::vector<plan_view>& views,
                         const std::vector<std::pair<std::string, std::function<std::string(const plan_view&)>>>& rows) {
  std::string t = "<table id=\"" + id + "\"><thead><tr><th></th>";
  for (const plan_view& v : views) t += "<th>" + escape(v.o.totals.plan_name) + "</th>";
  t += "</tr></thead><tbody>";
  for (const auto& [label, cell] : rows) {
    t += "<tr><td>" + escape(label) + "</td>";
    for (const plan_view& v : views) t += "<td>" + cell(v) + "</td>";
    t += "</tr>";
  }
  return t + "</tbody></table>";
}

std::string summary_section(const std::vector<plan_view>& views) {
  auto field = [](const char* key) { return [key](const plan_view& v) { return shown(v.s.at(key)); }; };
  auto earnings = [](const char* key) { return [key](const plan_view& v) { return shown(v.s.at("earnings").at(key)); }; };
  std::vector<std::pair<std::string, std::function<std::string(const plan_view&)>>> rows = {
      {"total payout", field("total_payout")},
      {"payout ratio (payout / sales amount)", field("payout_ratio")},
      {"payout cap", field("payout_cap")},
      {"cap factor", field("cap_factor")},
      {"breakage", field("breakage")},
      {"members", field("members")},
      {"active members", field("active_members")},
      {"earners", field("earners")},
      {"share earning nothing", earnings("zero_share")},
      {"median earnings", earnings("median")},
      {"90th percentile", earnings("p90")},
      {"99th percentile", earnings("p99")},
      {"largest earnings", earnings("max")},
      {"Gini coefficient", [](const plan_view& v) { return v.gini_text.value_or("—"); }},
  };
  // Payout by bonus: every bonus name of any plan, in first-seen order.
  std::vector<std::string> bonus_names;
  for (const plan_view& v : views)
    for (const auto& b : v.s.at("bonuses"))
      if (std::find(bonus_names.begin(), bonus_names.end(), b.at("name")) == bonus_names.end())
        bonus_names.push_back(b.at("name"));
  for (const std::string& name : bonus_names)
    rows.emplace_back("bonus " + name, [name](const plan_view& v) {
      for (const auto& b : v.s.at("bonuses"))
        if (b.at("name") == name) return shown(b.at("total"));
      return std::string("—");
    });
  return "<h2>Summary</h2>" + side_by_side("summary", views, rows);
}

std::string kinds_section(const std::vector<plan_view>& views) {
  auto share = [](const char* kind) { return [kind](const plan_view& v) { return shown(v.s.at("kind_shares").at(kind)); }; };
  return "<h2>Sales by kind (share of the amount sold)</h2>" +
         side_by_side("kinds", views, {{"retail (customers outside the network)", share("retail")},
                              {"personal (members' own use)", share("personal")},
                              {"fee (enrolment, starter kits)", share("fee")}});
}

std::string disclosure_table(const plan_view& v) {
  const auto all = static_cast<__int128>(v.o.member_totals.size());
  std::string t = fmt::format(R"(<table id="disclosure-{}">)", v.index) +
      "<thead><tr><th>paid-as rank</th><th>members</th><th>share of members</th><th>share earning nothing</th>"
      "<th>median</th><th>mean</th><th>min</th><th>max</th></tr></thead><tbody>";
  for (const disclosure_row& r : v.rows) {
    t += "<tr><td>" + (r.rank.empty() ? std::string("(no rank)") : escape(r.rank)) + "</td>";
    t += fmt::format("<td>{}</td><td>{}</td>", r.members, ratio_text(r.members, all, 4));
    if (r.members == 0) {
      t += "<td>—</td><td>—</td><td>—</td><td>—</td><td>—</td></tr>";
      continue;
    }
    const __int128 mean = divide_rounded(r.sum, r.members, rounding_mode::half_even);
    t += fmt::format("<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", ratio_text(r.zero_earners, r.members, 4),
                     v.money(r.median), v.money(mean), v.money(r.min), v.money(r.max));
  }
  return t + "</tbody></table>";
}

std::string level_table(const plan_view& v) {
  if (v.o.level_totals.empty())
    return R"(<p class="note">Payout by level needs explanation lines: kept for the report up to 250,000 sale lines, )"
           R"(beyond that with --lines (Python: explain=True).</p>)";
  std::string t = "<table><thead><tr><th>bonus</th><th>level</th><th>amount</th></tr></thead><tbody>";
  const auto& bonuses = v.s.at("bonuses");
  for (std::size_t b = 0; b < v.o.level_totals.size(); ++b)
    for (std::size_t level = 0; level < v.o.level_totals[b].size(); ++level) {
      const exact_t amount = v.o.level_totals[b][level];
      if (amount == 0) continue;
      t += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td></tr>", shown(bonuses.at(b).at("name")),
                       level == 0 ? std::string("—") : std::to_string(level),
                       v.money(round_to_minor(amount, v.o.totals.money_decimals, rounding_mode::half_even)));
    }
  return t + R"(</tbody></table><p class="note">Levels: the exact sums of the explanation lines, before each member's rounding and the payout cap.</p>)";
}

// One block per plan, `columns` side by side (tables take the whole width, charts half).
std::string per_plan(const std::vector<plan_view>& views, const std::string& title, std::size_t columns,
                     const std::function<std::string(const plan_view&)>& body) {
  std::string h = "<h2>" + escape(title) + "</h2>";
  h += fmt::format(R"x(<div class="plans" style="grid-template-columns:repeat({},minmax(0,1fr))">)x",
                   std::min(views.size(), columns));
  for (const plan_view& v : views) h += R"(<div class="plan"><h3>)" + escape(v.o.totals.plan_name) + "</h3>" + body(v) + "</div>";
  return h + "</div>";
}

std::string distribution(const plan_view& v) {
  std::vector<__int128> totals(v.o.member_totals.begin(), v.o.member_totals.end());
  return "<p>Members by total earnings (log scale: each bar is ten times the one before)</p>" +
         counts_chart(log_bins(totals, v.o.totals.money_decimals, false)) + "<p>Lorenz curve; Gini coefficient " +
         v.gini_text.value_or("—") + "</p>" + lorenz_chart(v.o);
}

std::string bonus_chart(const plan_view& v) {
  std::vector<bar> bars;
  std::vector<std::string> values;
  for (std::size_t b = 0; b < v.o.totals.bonuses.size(); ++b) {
    const bonus_summary& bs = v.o.totals.bonuses[b];
    bars.push_back({bs.name, bs.total, bs.total < 0 ? "neg" : "bar"});
    values.push_back(shown(v.s.at("bonuses").at(b).at("total")));
  }
  return bar_chart(bars, values) + level_table(v);
}

// Each later plan against the first, member by member, in a common unit.
std::string differences_section(const std::vector<plan_view>& views) {
  const plan_view& first = views.front();
  std::string h = "<h2>Per-member differences from " + escape(first.o.totals.plan_name) + "</h2>";
  for (std::size_t p = 1; p < views.size(); ++p) {
    const plan_view& v = views[p];
    const int decimals = std::max(first.o.totals.money_decimals, v.o.totals.money_decimals);
    const __int128 scale_first = pow10_i128(decimals - first.o.totals.money_decimals);
    const __int128 scale_this = pow10_i128(decimals - v.o.totals.money_decimals);
    std::vector<__int128> differences(v.o.member_totals.size());
    std::uint64_t gain = 0, loss = 0;
    __int128 net_change = 0;
    for (std::size_t m = 0; m < differences.size(); ++m) {
      differences[m] = v.o.member_totals[m] * scale_this - first.o.member_totals[m] * scale_first;
      gain += differences[m] > 0;
      loss += differences[m] < 0;
      net_change += differences[m];
    }
    h += "<h3>" + escape(v.o.totals.plan_name) + " − " + escape(first.o.totals.plan_name) + "</h3>";
    h += fmt::format("<p>{} members earn more, {} earn less, {} the same; net change {}</p>", gain, loss,
                     differences.size() - gain - loss, format_fixed(net_change, decimals));
    h += counts_chart(log_bins(differences, decimals, true));
  }
  return h;
}

}  // namespace

std::string report_html(const comparison& c) {
  std::vector<plan_view> views;
  for (const plan_outcome& o : c.plans) views.push_back(plan_view{o, views.size() + 1});
  const json_value& first = views.front().s;
  std::string names;
  for (const plan_view& v : views) names += (names.empty() ? "" : " · ") + escape(v.o.totals.plan_name);
  std::string h = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">";
  h += "<title>downline report: " + names + "</title><style>" + style + "</style></head><body>";
  h += "<h1>Commission report: " + names + "</h1>";
  h += fmt::format(R"(<p class="meta">period {} · {} members · {} sale lines · sales amount {} {}</p>)",
                   shown(first.at("period")), shown(first.at("members")), shown(first.at("sale_lines")),
                   shown(first.at("total_amount")), shown(first.at("currency")));
  h += summary_section(views);
  h += kinds_section(views);
  h += per_plan(views, "Income disclosure by paid-as rank", 1, disclosure_table);
  h += per_plan(views, "Earnings distribution", 2, distribution);
  h += per_plan(views, "Payout by bonus and by level", 2, bonus_chart);
  if (views.size() > 1) h += differences_section(views);
  h += R"(<p class="note">Amounts are exact: money in minor units, rounded once per member and bonus by each plan's rule. Medians are by nearest rank. Written by downline.</p>)";
  return h + "</body></html>\n";
}

DOWNLINE_END_NAMESPACE
