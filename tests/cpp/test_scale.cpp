// SPDX-License-Identifier: MIT
// A million-deep chain and a million-wide star, rows in reverse (recruits before sponsors):
// no recursion anywhere, and totals that have a closed form.
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "downline/engine.hpp"
#include "downline/io/writers.hpp"

using namespace downline;
namespace fs = std::filesystem;

namespace {

constexpr std::uint32_t N = 1'000'000;

struct scratch_files {
  fs::path network, sales;
  scratch_files(const std::string& tag, const std::string& network_text, const std::string& sales_text) {
    const fs::path dir = fs::temp_directory_path();
    network = dir / fmt::format("downline_test_scale_{}_{}_network.csv", tag, ::getpid());
    sales = dir / fmt::format("downline_test_scale_{}_{}_sales.csv", tag, ::getpid());
    write(network, network_text);
    write(sales, sales_text);
  }
  ~scratch_files() {
    std::error_code ignored;
    fs::remove(network, ignored);
    fs::remove(sales, ignored);
  }
  static void write(const fs::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    REQUIRE(out.good());
  }
};

/// 8 levels, 8% … 1%: Σ = 36%. With amount 1.00 per line, level k pays (9 - k) cents.
plan eight_levels(const char* active_pv) {
  return plan::from_json(fmt::format(R"({{"name":"scale","qualification":{{"active_pv":"{}"}},"bonuses":[
      {{"name":"level","type":"unilevel","compression":"dynamic",
        "rates":["8%","7%","6%","5%","4%","3%","2%","1%"]}}]}})",
                                     active_pv));
}

minor_t paid(const result& r, const network& net, const std::string& id) { return r.rounded[0][net.find(id)]; }

}  // namespace

TEST_CASE("scale: a million-deep sponsor chain in reverse row order", "[scale]") {
  // m0 ── m1 ── … ── m999999, written from m999999 (sponsor m999998) down to the root m0.
  // Sales, also reversed: even members buy 1.00, odd members a line of 0.
  std::string network_text = "id,sponsor_id\n", sales_text = "member_id,amount\n";
  network_text.reserve(20 * N);
  sales_text.reserve(14 * N);
  for (std::uint32_t i = N; i-- > 0;) {
    if (i == 0) network_text += "m0,\n";
    else fmt::format_to(std::back_inserter(network_text), "m{},m{}\n", i, i - 1);
    fmt::format_to(std::back_inserter(sales_text), "m{},{}\n", i, i % 2 ? "0" : "1");
  }
  scratch_files files("chain", network_text, sales_text);
  const network net = network::from_csv(files.network);
  const ledger sales = ledger::from_csv(files.sales, net);
  REQUIRE(net.size() == N);
  REQUIRE(sales.size() == N);
  // Preorder of a chain is the chain itself; the file lists it backwards.
  CHECK(net.id(0) == "m0");
  CHECK(net.id(N - 1) == "m999999");
  CHECK(net.row(0) == N - 1);
  CHECK(net.subtree_end(0) == N);
  CHECK(net.parent(N - 1) == N - 2);

  SECTION("everyone active (active_pv 0): dynamic compresses nothing") {
    // Only even buyers b pay; buyer b pays levels 1..min(8, b): 36 cents when b ≥ 8; b = 0: 0,
    // b = 2: 8+7 = 15, b = 4: 8+7+6+5 = 26, b = 6: 33. Even b in 8..999998: 499996 of them.
    // Total = 499996 × 36 + 15 + 26 + 33 = 17,999,930 cents.
    // Far from the end an even member earns from buyers at levels 2,4,6,8: 7+5+3+1 = 16 cents;
    // an odd member at levels 1,3,5,7: 8+6+4+2 = 20. Near the end: m999998 0; m999997 8;
    // m999996 (buyer m999998 at level 2) 7; m999995 8+6 = 14.
    const plan rules = eight_levels("0");
    const result r = run(rules, net, sales);
    CHECK(r.totals.total_payout == 17'999'930);
    CHECK(paid(r, net, "m0") == 16);
    CHECK(paid(r, net, "m1") == 20);
    CHECK(paid(r, net, "m500000") == 16);
    CHECK(paid(r, net, "m500001") == 20);
    CHECK(paid(r, net, "m999999") == 0);
    CHECK(paid(r, net, "m999998") == 0);
    CHECK(paid(r, net, "m999997") == 8);
    CHECK(paid(r, net, "m999996") == 7);
    CHECK(paid(r, net, "m999995") == 14);
    CHECK(r.totals.earners == N - 2);
    CHECK(r.q.gv[0] == static_cast<volume_t>(N / 2) * 10'000);  // 500,000 points
    CHECK(r.q.gv[N - 1] == 0);
    CHECK(r.q.gv[N - 2] == 10'000);
  }
  SECTION("the payouts and ranks files list every member in file order") {
    // Written in two halves on two threads at this size: the halves must join in order.
    // Payouts as in the first section; ranks: PV 1 for even members, GV = evens at or below.
    const plan rules = eight_levels("0");
    const result r = run(rules, net, sales);
    const fs::path dir = fs::temp_directory_path();
    const fs::path payouts_path = dir / fmt::format("downline_test_scale_payouts_{}.csv", ::getpid());
    const fs::path ranks_path = dir / fmt::format("downline_test_scale_ranks_{}.csv", ::getpid());
    {
      output_file payouts(payouts_path), ranks(ranks_path);
      write_payouts(payouts, r, rules);
      write_ranks(ranks, r, rules);
      payouts.commit();
      ranks.commit();
    }
    auto expected_cents = [](std::uint32_t i) -> int {
      switch (N - 1 - i) {  // members below i
        case 0: case 1: return 0;
        case 2: return 8;
        case 3: return 7;
        case 4: return 14;
        default: return i + 8 < N ? (i % 2 ? 20 : 16) : -1;  // -1: near the end, not checked
      }
    };
    std::ifstream payouts_in(payouts_path);
    std::string text;
    std::getline(payouts_in, text);
    CHECK(text == "member_id,bonus,amount");
    std::uint32_t rows = 0, previous = N;
    while (std::getline(payouts_in, text)) {
      const auto comma = text.find(',');
      const auto i = static_cast<std::uint32_t>(std::stoul(text.substr(1, comma - 1)));
      REQUIRE(i < previous);  // file order: m999999 first, m0 last
      previous = i;
      ++rows;
      if (const int cents = expected_cents(i); cents >= 0)
        REQUIRE(text == fmt::format("m{},level,0.{:02}", i, cents));
    }
    CHECK(rows == N - 2);
    CHECK(previous == 0);

    std::ifstream ranks_in(ranks_path);
    std::getline(ranks_in, text);
    CHECK(text == "member_id,rank,pv,gv,active,qualified_rank,title_rank,grace,override");
    std::uint32_t i = N;
    while (std::getline(ranks_in, text)) {
      REQUIRE(i > 0);
      --i;
      REQUIRE(text == fmt::format("m{},,{},{},true,,,0,", i, i % 2 ? 0 : 1, (N - i) / 2));
    }
    CHECK(i == 0);
    fs::remove(payouts_path);
    fs::remove(ranks_path);
  }
  SECTION("odd members inactive (active_pv 1): dynamic skips every other member") {
    // Qualified: the even members, which form a chain of E = 500,000 under compression. The even
    // member with E - 1 - j evens below it earns Σ of the first min(8, E - 1 - j) rates:
    // total = (E - 8) × 36 + (0+8+15+21+26+30+33+35) = 499,992 × 36 + 168 = 17,999,880 cents.
    const plan rules = eight_levels("1");
    const result r = run(rules, net, sales);
    CHECK(r.totals.total_payout == 17'999'880);
    CHECK(r.totals.active_members == N / 2);
    CHECK(paid(r, net, "m0") == 36);
    CHECK(paid(r, net, "m1") == 0);  // inactive: never paid
    CHECK(paid(r, net, "m999982") == 36);  // 8 evens below
    CHECK(paid(r, net, "m999984") == 35);  // 7 evens below
    CHECK(paid(r, net, "m999996") == 8);
    CHECK(paid(r, net, "m999998") == 0);
    CHECK(r.totals.earners == N / 2 - 1);
    CHECK(r.totals.max == 36);
    CHECK(r.totals.median == 0);  // half the members earn nothing: rank 500,000 of 1,000,000 is 0
  }
}

TEST_CASE("scale: a million-wide sponsor star in reverse row order", "[scale]") {
  // r0 sponsors s1 … s999999; the file lists the recruits first and the root last. Everyone buys 1.00.
  // Only the root earns: level 1, 8% × 999,999 = 79,999.92.
  std::string network_text = "id,sponsor_id\n", sales_text = "member_id,amount\n";
  network_text.reserve(16 * N);
  sales_text.reserve(12 * N);
  for (std::uint32_t i = N - 1; i >= 1; --i) {
    fmt::format_to(std::back_inserter(network_text), "s{},r0\n", i);
    fmt::format_to(std::back_inserter(sales_text), "s{},1\n", i);
  }
  network_text += "r0,\n";
  sales_text += "r0,1\n";
  scratch_files files("star", network_text, sales_text);
  const network net = network::from_csv(files.network);
  const ledger sales = ledger::from_csv(files.sales, net);
  REQUIRE(net.size() == N);
  CHECK(net.id(0) == "r0");
  CHECK(net.row(0) == N - 1);
  CHECK(net.subtree_end(0) == N);
  CHECK(net.id(1) == "s999999");  // children in file order
  CHECK(net.id(N - 1) == "s1");
  std::uint32_t children = 0;
  net.for_each_child(0, [&](member_index c) {
    ++children;
    (void)c;
  });
  CHECK(children == N - 1);

  const plan rules = eight_levels("0");
  const result r = run(rules, net, sales);
  CHECK(r.totals.total_payout == 7'999'992);
  CHECK(paid(r, net, "r0") == 7'999'992);
  CHECK(r.payouts.size() == 1);
  CHECK(r.totals.earners == 1);
  CHECK(r.totals.max == 7'999'992);
  CHECK(r.totals.p99 == 0);
  CHECK(r.q.gv[0] == static_cast<volume_t>(N) * 10'000);
  CHECK(r.totals.total_amount == static_cast<__int128>(N) * 1'000'000);
}
