// SPDX-License-Identifier: MIT
// Helpers shared by the tests of the rank-driven bonuses (stairstep, matching, fast_start,
// pool): small in-memory networks and ledgers, random ones for property loops, and the
// golden cases of tests/data/golden run through the C++ API.
#pragma once

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include <fmt/format.h>

#include "downline/date.hpp"
#include "downline/decimal.hpp"
#include "downline/engine.hpp"
#include "downline/rounding.hpp"

namespace bonus_test {

using namespace downline;

/// One network row: id, sponsor id ("" for a root), joined date ("" for none).
struct member_row {
  std::string id, sponsor, joined;
};

/// One sale line, amounts and volumes as decimal text; date "" for none.
struct sale_row {
  std::string member, amount, volume, date;
};

inline network make_network(const std::vector<member_row>& rows) {
  network_builder b("network.csv", true);
  for (std::size_t i = 0; i < rows.size(); ++i) b.add(rows[i].id, rows[i].sponsor, "", "", rows[i].joined, i + 2);
  b.set_has_joined(true);
  return std::move(b).build();
}

inline ledger make_ledger(const network& net, const std::vector<sale_row>& rows) {
  ledger_builder b(net, "sales.csv", true);
  for (std::size_t i = 0; i < rows.size(); ++i)
    b.add_text(rows[i].member, rows[i].amount, rows[i].volume, "", rows[i].date, "o" + std::to_string(i + 1), i + 2);
  return std::move(b).build();
}

/// Payout of (id, bonus) in minor units after the cap, 0 when there is no row.
inline minor_t paid(const result& r, const std::string& id, const std::string& bonus_name) {
  for (const payout_line& p : r.payouts)
    if (r.net->id(p.member) == id && r.bonus_names[p.bonus] == bonus_name) return p.amount;
  return 0;
}

/// Parses money text ("12.34") into minor units of `decimals`.
inline minor_t minor(const std::string& text, int decimals) {
  std::int64_t v = 0;
  REQUIRE(parse_decimal(text, decimals, v) == parse_status::ok);
  return v;
}

/// A deterministic pseudo-random source for property loops (no std distributions, so the
/// same seed gives the same cases on every standard library).
struct dice {
  std::mt19937 gen;
  explicit dice(std::uint32_t seed) : gen(seed) {}
  /// 0 .. n-1
  std::uint32_t below(std::uint32_t n) { return static_cast<std::uint32_t>(gen() % n); }
  bool chance(std::uint32_t percent) { return below(100) < percent; }
};

/// A random sponsor forest of n members in shuffled file order, with joined dates in
/// January 2026 (day 1..28), and a ledger of about `lines` lines dated in January 2026
/// (whole or half amounts, volume = whole units or empty, ~10% refunds).
struct random_case {
  std::vector<member_row> members;
  std::vector<sale_row> sales;
};

inline random_case make_random_case(dice& d, std::uint32_t n, std::uint32_t lines, bool whole_amounts = false) {
  random_case c;
  std::vector<std::string> ids;
  for (std::uint32_t i = 0; i < n; ++i) ids.push_back("m" + std::to_string(i));
  for (std::uint32_t i = 0; i < n; ++i) {
    // Mostly one tree, sometimes a second root; deep chains are likely (recent sponsors).
    std::string sponsor;
    if (i > 0 && !d.chance(5)) sponsor = ids[d.chance(50) ? i - 1 - d.below(std::min<std::uint32_t>(i, 3)) : d.below(i)];
    c.members.push_back({ids[i], sponsor, fmt::format("2026-01-{:02}", 1 + d.below(28))});
  }
  // Shuffle the file order (a sponsor may come after its recruits).
  for (std::uint32_t i = n; i > 1; --i) std::swap(c.members[i - 1], c.members[d.below(i)]);
  for (std::uint32_t i = 0; i < lines; ++i) {
    const std::string& who = ids[d.below(n)];
    std::int64_t cents = 100 * (1 + d.below(300)) + (d.chance(30) && !whole_amounts ? 50 : 0);
    if (d.chance(10)) cents = -cents;
    std::string amount = (cents < 0 ? "-" : "") + fmt::format("{}.{:02}", std::abs(cents) / 100, std::abs(cents) % 100);
    std::string volume = d.chance(50) ? "" : fmt::format("{}", cents / 100);
    c.sales.push_back({who, amount, volume, fmt::format("2026-01-{:02}", 1 + d.below(31))});
  }
  return c;
}

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  REQUIRE(in);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/// Runs tests/data/golden/<name> through the C++ API (plan::from_file, network::from_csv,
/// ledger::from_csv, run) and compares payouts (and ranks when expected) with the expected
/// files byte for byte, formatted as SPEC §8 writes them.
inline void check_golden_case(const std::string& name) {
  INFO("golden case " << name);
  const std::filesystem::path dir = std::filesystem::path(DOWNLINE_TEST_DATA) / "golden" / name;
  REQUIRE(std::filesystem::is_directory(dir));
  const plan rules = plan::from_file(dir / "plan.json");
  const network net = network::from_csv(dir / "network.csv");
  const ledger sales = ledger::from_csv(dir / "sales.csv", net);
  run_options options;
  if (std::filesystem::exists(dir / "args")) {
    std::istringstream args(slurp(dir / "args"));
    std::string flag, value;
    while (args >> flag) {
      REQUIRE(flag == "--period");  // the only argument golden cases use here
      REQUIRE(static_cast<bool>(args >> value));
      options.period = parse_period(value);
      REQUIRE(options.period);
    }
  }
  options.explain = true;
  const result r = run(rules, net, sales, options);

  std::string payouts = "member_id,bonus,amount\n";
  for (const payout_line& p : r.payouts)
    payouts += fmt::format("{},{},{}\n", net.id(p.member), r.bonus_names[p.bonus], format_fixed(p.amount, rules.money_decimals));
  CHECK(payouts == slurp(dir / "expected_payouts.csv"));

  if (std::filesystem::exists(dir / "expected_ranks.csv")) {
    std::string ranks = "member_id,rank,pv,gv,active,qualified_rank,title_rank,grace,override\n";
    for (std::uint32_t row = 0; row < net.size(); ++row) {
      const member_index m = net.member_at_row(row);
      ranks += fmt::format("{},{},{},{},{},{},{},{},\n", net.id(m), rules.rank_name(r.q.rank[m]),
                           format_trimmed(r.q.pv[m], volume_decimals), format_trimmed(r.q.gv[m], volume_decimals),
                           r.q.active[m] ? "true" : "false", rules.rank_name(r.q.qualified_rank_of(m)),
                           rules.rank_name(r.q.title_rank_of(m)), r.q.grace_of(m));
    }
    CHECK(ranks == slurp(dir / "expected_ranks.csv"));
  }

  // The explanation lines of each (member, bonus) sum to an amount that rounds to its
  // payout before the cap (the result's `rounded`).
  std::vector<std::vector<exact_t>> sums(rules.bonuses.size(), std::vector<exact_t>(net.size(), 0));
  for (const explanation& e : r.lines) sums[e.bonus][e.earner] += e.amount;
  for (std::size_t b = 0; b < rules.bonuses.size(); ++b)
    for (member_index m = 0; m < net.size(); ++m) {
      INFO("member " << net.id(m) << ", bonus " << rules.bonuses[b]->name());
      CHECK(round_to_minor(sums[b][m], rules.money_decimals, rules.rounding) == r.rounded[b][m]);
    }
}

/// The golden case directories whose names start with `prefix` ("30_").
inline std::vector<std::string> golden_cases(const std::string& prefix) {
  std::vector<std::string> names;
  for (auto& entry : std::filesystem::directory_iterator(std::filesystem::path(DOWNLINE_TEST_DATA) / "golden"))
    if (entry.is_directory() && entry.path().filename().string().rfind(prefix, 0) == 0)
      names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace bonus_test
