// SPDX-License-Identifier: MIT
// settlement.hpp / payout_rules.hpp: the plan's payout block and SPEC §11's arithmetic.
#include "downline/settlement.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "downline/engine.hpp"
#include "downline/error.hpp"
#include "downline/io/writers.hpp"
#include "downline/plan.hpp"
#include "downline/state.hpp"

using namespace downline;

namespace {

/// A plan with `payout` (a JSON object text, or "" for none) and money_decimals `md`.
plan plan_with_payout(const std::string& payout, int md = 2) {
  std::string json = R"({"name":"t","money_decimals":)" + std::to_string(md) +
                     R"(,"bonuses":[{"name":"lvl","type":"unilevel","rates":["10%"]}])";
  if (!payout.empty()) json += R"(,"payout":)" + payout;
  return plan::from_json(json + "}", "p");
}

std::string payout_error(const std::string& payout, int md = 2) {
  try {
    plan_with_payout(payout, md);
  } catch (const plan_error& e) {
    return e.what();
  }
  FAIL("expected a plan_error for " << payout);
  return {};
}

payout_rules rules(minor_t minimum, minor_t fee, std::vector<deduction_rule> deductions = {}) {
  return {minimum, fee, std::move(deductions)};
}

payable settle_one(const payout_rules& r, member_status s, minor_t earned, minor_t balance_in,
                   std::vector<minor_t>* taken = nullptr) {
  std::vector<minor_t> local(r.deductions.size(), -1);
  std::vector<minor_t>& d = taken ? *taken : local;
  d.assign(r.deductions.size(), -1);
  return settle_member(r, s, earned, balance_in, d);
}

void check_balanced(const payable& p) {
  CHECK(p.earned + p.balance_in == p.fee + p.deductions + p.paid + p.balance_out + p.forfeited);
}

}  // namespace

TEST_CASE("payout block: minimum, fee and deductions in minor units", "[settlement][plan]") {
  plan p = plan_with_payout(
      R"({"minimum":"20.00","fee":"1.5","deductions":[{"name":"admin","rate":"5%"},{"name":"tax","rate":10}]})");
  CHECK(p.payout.minimum == 2000);
  CHECK(p.payout.fee == 150);
  REQUIRE(p.payout.deductions.size() == 2);
  CHECK(p.payout.deductions[0].name == "admin");
  CHECK(p.payout.deductions[0].rate == 50'000);
  CHECK(p.payout.deductions[1].name == "tax");
  CHECK(p.payout.deductions[1].rate == 100'000);

  plan none = plan_with_payout("");
  CHECK(none.payout.minimum == 0);
  CHECK(none.payout.fee == 0);
  CHECK(none.payout.deductions.empty());

  CHECK(plan_with_payout(R"({"minimum":20})", 0).payout.minimum == 20);
  CHECK(plan_with_payout(R"({"minimum":"0.125"})", 3).payout.minimum == 125);
  CHECK(plan_with_payout(R"({"fee":"1.500"})", 2).payout.fee == 150);  // trailing zeros are exact
}

TEST_CASE("payout block: errors name the JSON path and the value", "[settlement][plan]") {
  CHECK(payout_error(R"({"minimum":"20.001"})") ==
        "p: payout.minimum: money has more decimals than the plan's money_decimals (2) '20.001'");
  CHECK(payout_error(R"({"fee":"-1.00"})") == "p: payout.fee: money must not be negative '-1.00'");
  CHECK(payout_error(R"({"fee":"1e3"})") == "p: payout.fee: money is not a decimal number '1e3'");
  CHECK(payout_error(R"({"fee":true})").find("p: payout.fee: money must be a decimal string") == 0);
  CHECK(payout_error(R"({"minimum":"5","extra":1})") == "p: payout.extra: unknown key 'extra'");
  CHECK(payout_error(R"({"deductions":[{"name":"tax","rate":"10%"},{"name":"tax","rate":"1%"}]})") ==
        "p: payout.deductions[1].name: duplicate deduction name 'tax'");
  CHECK(payout_error(R"({"deductions":[{"name":"","rate":"10%"}]})") ==
        "p: payout.deductions[0].name: deduction name is empty ''");
  CHECK(payout_error(R"({"deductions":[{"name":"a","rate":"60%"},{"name":"b","rate":"40%"}]})") ==
        "p: payout.deductions[1].rate: deduction rates must sum below 100% (they reach 100%) '40%'");
  CHECK(payout_error(R"({"deductions":[{"name":"a","rate":"120%"}]})") ==
        "p: payout.deductions[0].rate: rate is outside 0%..100% '120%'");
  CHECK(payout_error(R"({"deductions":[{"name":"a"}]})").find("p: payout.deductions[0]: missing required key 'rate'") == 0);
  CHECK(payout_error(R"({"deductions":{"name":"a"}})").find("p: payout.deductions: expected a JSON array") == 0);
  CHECK(payout_error(R"("20.00")").find("p: payout: expected a JSON object") == 0);
}

TEST_CASE("settle_member follows SPEC §11's checks in order", "[settlement]") {
  const payout_rules r = rules(2000, 150, {{"admin", 50'000}, {"tax", 100'000}});
  std::vector<minor_t> taken;

  SECTION("paid: fee and deductions (toward zero) taken") {
    // total 100.00 + 3.33 = 103.33; admin 5% = 5.1665 → 5.16; tax 10% = 10.333 → 10.33;
    // net = 103.33 − 1.50 − 5.16 − 10.33 = 86.34.
    payable p = settle_one(r, member_status::active, 10'000, 333, &taken);
    CHECK(p.status == payable_status::paid);
    CHECK(taken == std::vector<minor_t>{516, 1033});
    CHECK(p.fee == 150);
    CHECK(p.deductions == 1549);
    CHECK(p.paid == 8634);
    CHECK(p.balance_out == 0);
    CHECK(p.forfeited == 0);
    check_balanced(p);
  }
  SECTION("below the minimum: everything carried, nothing taken") {
    payable p = settle_one(r, member_status::active, 1999, 0, &taken);
    CHECK(p.status == payable_status::below_minimum);
    CHECK(taken == std::vector<minor_t>{0, 0});
    CHECK(p.fee == 0);
    CHECK(p.deductions == 0);
    CHECK(p.paid == 0);
    CHECK(p.balance_out == 1999);
    check_balanced(p);
  }
  SECTION("exactly the minimum is paid") {
    payable p = settle_one(r, member_status::active, 1000, 1000);
    CHECK(p.status == payable_status::paid);
    // 20.00: admin 1.00, tax 2.00, fee 1.50 → 15.50
    CHECK(p.paid == 1550);
    check_balanced(p);
  }
  SECTION("negative total: carried as a debt") {
    payable p = settle_one(r, member_status::active, 500, -2500);
    CHECK(p.status == payable_status::negative);
    CHECK(p.balance_out == -2000);
    CHECK(p.paid == 0);
    check_balanced(p);
  }
  SECTION("zero total with earnings is below the minimum, balance 0") {
    payable p = settle_one(rules(0, 0), member_status::active, 700, -700);
    CHECK(p.status == payable_status::below_minimum);
    CHECK(p.balance_out == 0);
    CHECK_FALSE(p.is_zero());
  }
  SECTION("net not positive: the fee would eat it all") {
    const payout_rules fee_only = rules(0, 500);
    payable p = settle_one(fee_only, member_status::active, 500, 0);
    CHECK(p.status == payable_status::below_minimum);
    CHECK(p.balance_out == 500);
    CHECK(p.fee == 0);
    payable q = settle_one(fee_only, member_status::active, 501, 0);
    CHECK(q.status == payable_status::paid);
    CHECK(q.paid == 1);
    CHECK(q.fee == 500);
  }
  SECTION("hold: the whole total carried, whatever its size") {
    payable p = settle_one(r, member_status::hold, 50'000, 1000, &taken);
    CHECK(p.status == payable_status::hold);
    CHECK(p.balance_out == 51'000);
    CHECK(p.paid == 0);
    CHECK(p.fee == 0);
    CHECK(taken == std::vector<minor_t>{0, 0});
    payable neg = settle_one(r, member_status::hold, -300, 0);
    CHECK(neg.status == payable_status::hold);
    CHECK(neg.balance_out == -300);
  }
  SECTION("terminated: positive and negative totals forfeited") {
    payable p = settle_one(r, member_status::terminated, 50'000, 1000);
    CHECK(p.status == payable_status::forfeited);
    CHECK(p.forfeited == 51'000);
    CHECK(p.balance_out == 0);
    CHECK(p.paid == 0);
    check_balanced(p);
    payable debt = settle_one(r, member_status::terminated, 100, -2100);
    CHECK(debt.forfeited == -2000);
    CHECK(debt.balance_out == 0);
    check_balanced(debt);
  }
  SECTION("without a payout block every positive total is paid in full") {
    payable p = settle_one(payout_rules{}, member_status::active, 1, 0);
    CHECK(p.status == payable_status::paid);
    CHECK(p.paid == 1);
  }
  SECTION("a total beyond 64 bits is an overflow error") {
    CHECK_THROWS_AS(settle_one(r, member_status::active, INT64_MAX, 1), overflow_error);
  }
}

TEST_CASE("settle: rows in the given order, zero members left out, totals", "[settlement]") {
  const payout_rules r = rules(2000, 100, {{"tax", 100'000}});
  //                      member:    0      1     2       3     4
  const std::vector<member_status> status{member_status::active, member_status::hold, member_status::active,
                                          member_status::terminated, member_status::active};
  const std::vector<minor_t> earned{10'000, 500, 0, -700, 0};
  const std::vector<minor_t> balance_in{0, 0, 1500, 0, 0};
  const std::vector<member_index> order{4, 3, 2, 1, 0};
  settlement s = settle(r, status, earned, balance_in, order);

  REQUIRE(s.payables.size() == 4);  // member 4 has nothing
  CHECK(s.payables[0].member == 3);
  CHECK(s.payables[0].status == payable_status::forfeited);
  CHECK(s.payables[1].member == 2);
  CHECK(s.payables[1].status == payable_status::below_minimum);
  CHECK(s.payables[2].member == 1);
  CHECK(s.payables[2].status == payable_status::hold);
  CHECK(s.payables[3].member == 0);
  CHECK(s.payables[3].status == payable_status::paid);
  CHECK(s.payables[3].paid == 10'000 - 100 - 1000);
  CHECK(s.balance_out == std::vector<minor_t>{0, 500, 1500, 0, 0});

  const settlement_totals& t = s.totals;
  CHECK(t.earned == 9800);
  CHECK(t.balance_in == 1500);
  CHECK(t.paid == 8900);
  CHECK(t.fees == 100);
  CHECK(t.deductions == std::vector<minor_t>{1000});
  CHECK(t.carried_positive == 2000);
  CHECK(t.carried_negative == 0);
  CHECK(t.forfeited == -700);
  CHECK(t.paid_members == 1);

  // Without the rows (compare): the same totals and balances, no payables.
  settlement totals_only = settle(r, status, earned, balance_in, order, false);
  CHECK(totals_only.payables.empty());
  CHECK(totals_only.balance_out == s.balance_out);
  CHECK(totals_only.totals.paid == 8900);
  CHECK(totals_only.totals.carried_positive == 2000);
  CHECK(totals_only.totals.forfeited == -700);
  CHECK(totals_only.totals.paid_members == 1);

  settlement defaults = settle(payout_rules{}, {}, earned, {});
  CHECK(defaults.payables.size() == 3);
  CHECK(defaults.payables[0].member == 0);
  CHECK(defaults.totals.carried_negative == -700);
}

TEST_CASE("settlement balances exactly for random members and plans", "[settlement][property]") {
  std::mt19937_64 rng(20261204);
  auto pick = [&](std::int64_t lo, std::int64_t hi) { return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng); };
  for (int round = 0; round < 200; ++round) {
    payout_rules r = rules(pick(0, 5000), pick(0, 300));
    rate_t left = rate_one - 1;
    for (int d = 0, count = static_cast<int>(pick(0, 3)); d < count; ++d) {
      const rate_t rate = pick(0, left / 2);
      left -= rate;
      r.deductions.push_back({"d" + std::to_string(d), rate});
    }
    const std::size_t n = static_cast<std::size_t>(pick(1, 60));
    std::vector<member_status> status(n);
    std::vector<minor_t> earned(n), balance_in(n);
    for (std::size_t m = 0; m < n; ++m) {
      status[m] = static_cast<member_status>(pick(0, 9) < 7 ? 0 : pick(1, 2));
      earned[m] = pick(0, 3) == 0 ? 0 : pick(-5000, 20'000);
      balance_in[m] = pick(0, 2) == 0 ? 0 : pick(-10'000, 10'000);
    }
    settlement s = settle(r, status, earned, balance_in);
    settlement_totals sum;
    sum.deductions.assign(r.deductions.size(), 0);
    std::size_t row = 0;
    for (std::size_t m = 0; m < n; ++m) {
      std::vector<minor_t> taken(r.deductions.size());
      payable p = settle_member(r, status[m], earned[m], balance_in[m], taken);
      INFO("member " << m << " earned " << earned[m] << " balance_in " << balance_in[m]);
      check_balanced(p);
      minor_t taken_sum = 0;
      for (minor_t t : taken) taken_sum += t;
      CHECK(taken_sum == p.deductions);
      CHECK(p.paid >= 0);
      if (p.status == payable_status::paid) {
        CHECK(p.paid > 0);
        CHECK(p.earned + p.balance_in >= r.minimum);
        CHECK(p.balance_out == 0);
      } else {
        CHECK(p.fee == 0);
        CHECK(p.deductions == 0);
      }
      CHECK((p.forfeited != 0) <= (status[m] == member_status::terminated));
      CHECK(s.balance_out[m] == p.balance_out);
      if (!p.is_zero()) {
        REQUIRE(row < s.payables.size());
        CHECK(s.payables[row++].member == m);
      }
      sum.paid += p.paid;
      sum.fees += p.fee;
      sum.forfeited += p.forfeited;
      for (std::size_t d = 0; d < taken.size(); ++d) sum.deductions[d] += taken[d];
    }
    CHECK(row == s.payables.size());
    CHECK(s.totals.paid == sum.paid);
    CHECK(s.totals.fees == sum.fees);
    CHECK(s.totals.forfeited == sum.forfeited);
    CHECK(s.totals.deductions == sum.deductions);
    minor_t deducted = 0;
    for (minor_t d : s.totals.deductions) deducted += d;
    CHECK(s.totals.earned + s.totals.balance_in == s.totals.fees + deducted + s.totals.paid +
                                                       s.totals.carried_positive + s.totals.carried_negative +
                                                       s.totals.forfeited);
  }
}

namespace {
/// The balances and every total of two settlements of the same members agree.
void check_same_settlement(const settlement& a, const settlement& b) {
  CHECK(a.balance_out == b.balance_out);
  const settlement_totals &x = a.totals, &y = b.totals;
  CHECK(x.earned == y.earned);
  CHECK(x.balance_in == y.balance_in);
  CHECK(x.paid == y.paid);
  CHECK(x.fees == y.fees);
  CHECK(x.deductions == y.deductions);
  CHECK(x.deduction_names == y.deduction_names);
  CHECK(x.carried_positive == y.carried_positive);
  CHECK(x.carried_negative == y.carried_negative);
  CHECK(x.forfeited == y.forfeited);
  CHECK(x.paid_members == y.paid_members);
}
}  // namespace

TEST_CASE("settle without rows: the same totals and balances, from parts settled side by side", "[settlement]") {
  // Above the parallel threshold (2^18 members) the members are settled in parts whose
  // totals are added in part order; with rows they are one pass. Both must agree exactly.
  std::mt19937_64 rng(20261207);
  auto pick = [&](std::int64_t lo, std::int64_t hi) { return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng); };
  payout_rules r = rules(2500, 150);
  r.deductions.push_back({"tax", rate_one / 20});
  const std::size_t n = 300'000;
  std::vector<member_status> status(n);
  std::vector<minor_t> earned(n), balance_in(n);
  for (std::size_t m = 0; m < n; ++m) {
    status[m] = static_cast<member_status>(pick(0, 9) < 8 ? 0 : pick(1, 2));
    earned[m] = pick(0, 2) == 0 ? 0 : pick(-5000, 90'000);
    balance_in[m] = pick(0, 3) == 0 ? pick(-10'000, 10'000) : 0;
  }
  const settlement with_rows = settle(r, status, earned, balance_in);
  const settlement without = settle(r, status, earned, balance_in, {}, false);
  CHECK(without.payables.empty());
  CHECK(!with_rows.payables.empty());
  check_same_settlement(without, with_rows);
  CHECK(with_rows.totals.paid_members > 0);
  CHECK(with_rows.totals.carried_negative < 0);

  // Without a fee, deductions or a minimum, every member active (no statuses): the totals
  // are summed without settling member by member, and must still agree.
  for (const minor_t minimum : {minor_t{0}, minor_t{1}}) {
    const payout_rules plain = rules(minimum, 0);
    const settlement rows_plain = settle(plain, {}, earned, balance_in);
    const settlement totals_plain = settle(plain, {}, earned, balance_in, {}, false);
    check_same_settlement(totals_plain, rows_plain);
    CHECK(rows_plain.totals.carried_negative < 0);
    CHECK(rows_plain.totals.paid_members > 0);
  }
}

namespace {

std::string file_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// What write_payables writes for `r`, as bytes (through a file, as the CLI does).
std::string payables_csv(const result& r, const plan& rules, const std::filesystem::path& path) {
  {
    output_file out(path);
    write_payables(out, r, rules);
    out.commit();
  }
  std::string text = file_text(path);
  std::filesystem::remove(path);
  return text;
}

}  // namespace

TEST_CASE("settlement cases of tests/data/settlement through the C++ API", "[settlement][golden]") {
  namespace fs = std::filesystem;
  const fs::path root = fs::path(DOWNLINE_TEST_DATA) / "settlement";
  const fs::path scratch = fs::temp_directory_path() / fmt::format("downline_settlement_{}.csv", ::getpid());
  int cases = 0;
  for (const auto& entry : fs::directory_iterator(root)) {
    const fs::path dir = entry.path();
    INFO("case " << dir.filename().string());
    ++cases;
    const plan rules = plan::from_file(dir / "plan.json");
    std::optional<member_state> previous;
    for (int k = 1; fs::exists(dir / fmt::format("args_{}", k)); ++k) {
      INFO("period " << k);
      std::istringstream words(file_text(dir / fmt::format("args_{}", k)));
      std::string flag, period_text;
      words >> flag >> period_text;
      REQUIRE(flag == "--period");
      const network net = network::from_csv(dir / fmt::format("network_{}.csv", k));
      const ledger sales = ledger::from_csv(dir / "sales.csv", net);
      run_options options;
      options.period = parse_period(period_text);
      options.state_in = previous ? &*previous : nullptr;
      const result r = run(rules, net, sales, options);
      CHECK(payables_csv(r, rules, scratch) == file_text(dir / fmt::format("expected_payables_{}.csv", k)));
      {  // Without payables rows (the CLI without --payables): the same summary and balances.
        run_options no_rows = options;
        no_rows.payables = false;
        const result without = run(rules, net, sales, no_rows);
        CHECK(without.settled.payables.empty());
        CHECK(!r.settled.payables.empty());
        CHECK(without.totals.to_json() == r.totals.to_json());
        const auto *balances = r.next_state.find("balance"), *balances_without = without.next_state.find("balance");
        CHECK((balances == nullptr) == (balances_without == nullptr));
        if (balances && balances_without) CHECK(*balances == *balances_without);
      }
      minor_t paid = 0;
      for (const payable& p : r.settled.payables) {
        CHECK(p.earned + p.balance_in == p.fee + p.deductions + p.paid + p.balance_out + p.forfeited);
        paid += p.paid;
      }
      CHECK(paid == r.totals.settlement.paid);
      const auto expected = nlohmann::json::parse(file_text(dir / fmt::format("expected_settlement_{}.json", k)));
      CHECK(nlohmann::json::parse(r.totals.to_json())["settlement"] == expected);
      {
        output_file out(scratch);
        write_state(out, r.next_state, rules, net);
        out.commit();
      }
      CHECK(file_text(scratch) == file_text(dir / fmt::format("expected_state_{}.csv", k)));
      std::filesystem::remove(scratch);
      // The next period reads the state back from its text, against that period's network.
      const network next = fs::exists(dir / fmt::format("network_{}.csv", k + 1))
                               ? network::from_csv(dir / fmt::format("network_{}.csv", k + 1))
                               : network::from_csv(dir / fmt::format("network_{}.csv", k));
      previous = read_state(r.state(), rules, next);
    }
  }
  CHECK(cases >= 1);
}
