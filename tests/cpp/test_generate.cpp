// SPDX-License-Identifier: MIT
#include "downline/generate.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

namespace fs = std::filesystem;

namespace {

/** A scratch directory, unique to this run, removed at the end of the test. */
struct scratch_dir {
  fs::path path;
  explicit scratch_dir(const std::string& name)
      : path(fs::temp_directory_path() /
             ("downline_test_generate_" + name + "_" +
              std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()))) {
    fs::remove_all(path);
  }
  ~scratch_dir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  REQUIRE(in);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> fields;
  std::string field;
  std::istringstream in(line);
  while (std::getline(in, field, ',')) fields.push_back(field);
  if (!line.empty() && line.back() == ',') fields.emplace_back();
  return fields;
}

/** A CSV file: header names and rows of fields (the generator never quotes). */
struct table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;

  explicit table(const fs::path& p) {
    std::istringstream in(slurp(p));
    std::string line;
    REQUIRE(std::getline(in, line));
    header = split(line);
    while (std::getline(in, line)) {
      rows.push_back(split(line));
      REQUIRE(rows.back().size() == header.size());
    }
  }
  std::size_t column(const std::string& name) const {
    const auto it = std::find(header.begin(), header.end(), name);
    REQUIRE(it != header.end());
    return static_cast<std::size_t>(it - header.begin());
  }
};

/** Parses `[-]digits.dd` into cents; false when the text has another shape. */
bool parse_cents(const std::string& text, std::int64_t& cents) {
  std::size_t i = 0;
  const bool negative = !text.empty() && text[0] == '-';
  if (negative) ++i;
  const std::size_t dot = text.find('.');
  if (dot == std::string::npos || dot == i || text.size() != dot + 3) return false;
  std::int64_t value = 0;
  for (std::size_t k = i; k < text.size(); ++k) {
    if (k == dot) continue;
    if (text[k] < '0' || text[k] > '9') return false;
    value = value * 10 + (text[k] - '0');
  }
  cents = negative ? -value : value;
  return true;
}

bool is_iso_date(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

downline::generate_options small(std::uint64_t seed = 7) {
  downline::generate_options o;
  o.members = 2000;
  o.sales_per_member_milli = 3000;
  o.seed = seed;
  return o;
}

}  // namespace

TEST_CASE("generate is deterministic in its seed", "[generate]") {
  scratch_dir a("det_a"), b("det_b"), c("det_c");
  auto options = small(42);
  options.placement = downline::generated_placement::binary;
  downline::generate(options, a.path);
  downline::generate(options, b.path);
  options.seed = 43;
  downline::generate(options, c.path);
  for (const char* file : {"network.csv", "sales.csv"}) {
    CHECK(slurp(a.path / file) == slurp(b.path / file));
    CHECK(slurp(a.path / file) != slurp(c.path / file));
  }
}

TEST_CASE("generate writes the SPEC columns and row counts", "[generate]") {
  scratch_dir dir("columns");
  auto options = small();
  options.members = 1999;
  options.sales_per_member_milli = 2345;  // K = 2.345: ⌊1999 × 2.345⌋ = 4687
  downline::generate(options, dir.path);
  const table network(dir.path / "network.csv");
  const table sales(dir.path / "sales.csv");
  CHECK(network.header == std::vector<std::string>{"id", "sponsor_id", "joined"});
  CHECK(sales.header ==
        std::vector<std::string>{"member_id", "amount", "volume", "kind", "date", "order_id"});
  CHECK(network.rows.size() == 1999);
  CHECK(sales.rows.size() == 4687);

  options.placement = downline::generated_placement::matrix;
  downline::generate(options, dir.path);  // overwrites
  const table placed(dir.path / "network.csv");
  CHECK(placed.header ==
        std::vector<std::string>{"id", "sponsor_id", "joined", "placement_id", "position"});
  CHECK(placed.rows.size() == 1999);
}

TEST_CASE("generate grows one realistic sponsor tree", "[generate]") {
  scratch_dir dir("tree");
  downline::generate(small(), dir.path);
  const table network(dir.path / "network.csv");
  const std::size_t n = network.rows.size();
  REQUIRE(n == 2000);

  std::unordered_map<std::string, std::size_t> row_of;
  for (std::size_t r = 0; r < n; ++r) {
    const std::string& id = network.rows[r][0];
    CHECK(id.size() == 7);  // M + 6 digits
    CHECK(id[0] == 'M');
    CHECK(row_of.emplace(id, r).second);  // unique
  }

  std::size_t roots = 0;
  std::unordered_map<std::string, std::size_t> recruits;
  bool sponsor_after_recruit = false;
  for (std::size_t r = 0; r < n; ++r) {
    const std::string& sponsor = network.rows[r][1];
    if (sponsor.empty()) {
      ++roots;
      CHECK(network.rows[r][0] == "M000001");
      continue;
    }
    const auto it = row_of.find(sponsor);
    REQUIRE(it != row_of.end());
    if (it->second > r) sponsor_after_recruit = true;
    ++recruits[sponsor];
  }
  CHECK(roots == 1);
  CHECK(sponsor_after_recruit);

  // No cycles: every walk up reaches the root within n steps.
  for (std::size_t r = 0; r < n; ++r) {
    std::size_t at = r, steps = 0;
    while (!network.rows[at][1].empty() && steps <= n) {
      at = row_of.at(network.rows[at][1]);
      ++steps;
    }
    REQUIRE(steps <= n);
  }

  // Most recruit nobody, a few recruit many.
  std::size_t max_recruits = 0;
  for (const auto& entry : recruits) max_recruits = std::max(max_recruits, entry.second);
  const std::size_t without = n - recruits.size();
  const double mean = static_cast<double>(n - 1) / static_cast<double>(n);
  CHECK(static_cast<double>(without) >= 0.5 * static_cast<double>(n));
  CHECK(static_cast<double>(max_recruits) >= 20 * mean);
}

TEST_CASE("generate dates joins before and into the period", "[generate]") {
  scratch_dir dir("joined");
  auto options = small();
  options.year = 2025;
  options.month = 3;
  downline::generate(options, dir.path);
  const table network(dir.path / "network.csv");
  std::unordered_map<std::string, std::string> joined;
  std::size_t in_period = 0;
  for (const auto& row : network.rows) {
    const std::string& date = row[2];
    REQUIRE(is_iso_date(date));
    CHECK(date >= "2023-03-01");
    CHECK(date <= "2025-03-31");
    if (date >= "2025-03-01") ++in_period;
    joined[row[0]] = date;
  }
  CHECK(in_period == 100);  // the last 5%
  for (const auto& row : network.rows)
    if (!row[1].empty()) CHECK(joined.at(row[1]) <= row[2]);  // sponsors join first

  // Members who joined inside the period buy on or after that day.
  const table sales(dir.path / "sales.csv");
  for (const auto& row : sales.rows) {
    REQUIRE(is_iso_date(row[4]));
    CHECK(row[4] >= "2025-03-01");
    CHECK(row[4] <= "2025-03-31");
    CHECK(row[4] >= joined.at(row[0]));
  }
}

namespace {

/** Checks the explicit placements of a generated network; returns how many there are. */
std::size_t check_placement(const table& network, const std::set<std::string>& positions) {
  const std::size_t id = network.column("id"), parent = network.column("placement_id"),
                    position = network.column("position");
  std::unordered_map<std::string, std::string> placed_under;
  std::set<std::string> ids;
  for (const auto& row : network.rows) ids.insert(row[id]);
  std::set<std::pair<std::string, std::string>> used;
  std::size_t explicit_count = 0;
  for (const auto& row : network.rows) {
    if (row[parent].empty()) {
      CHECK(row[position].empty());
      continue;
    }
    ++explicit_count;
    CHECK(ids.count(row[parent]) == 1);
    CHECK(positions.count(row[position]) == 1);
    CHECK(used.emplace(row[parent], row[position]).second);  // no position taken twice
    CHECK(!row[1].empty());                                 // never the root
    placed_under[row[id]] = row[parent];
  }
  // No cycle among the explicit placement edges.
  for (const auto& entry : placed_under) {
    std::string at = entry.first;
    std::size_t steps = 0;
    for (auto it = placed_under.find(at); it != placed_under.end() && steps <= network.rows.size();
         it = placed_under.find(at)) {
      at = it->second;
      ++steps;
    }
    REQUIRE(steps <= network.rows.size());
  }
  return explicit_count;
}

}  // namespace

TEST_CASE("generate writes consistent explicit binary placements", "[generate]") {
  scratch_dir dir("binary");
  auto options = small();
  options.placement = downline::generated_placement::binary;
  downline::generate(options, dir.path);
  const table network(dir.path / "network.csv");
  const std::size_t count = check_placement(network, {"L", "R"});
  CHECK(count >= 300);  // about 20% of 2000
  CHECK(count <= 500);
}

TEST_CASE("generate writes consistent explicit matrix placements", "[generate]") {
  scratch_dir dir("matrix");
  auto options = small();
  options.placement = downline::generated_placement::matrix;
  options.matrix_width = 4;
  downline::generate(options, dir.path);
  const table network(dir.path / "network.csv");
  const std::size_t count = check_placement(network, {"1", "2", "3", "4"});
  CHECK(count >= 300);
  CHECK(count <= 500);
}

TEST_CASE("generate writes a plausible ledger", "[generate]") {
  scratch_dir dir("sales");
  downline::generate(small(), dir.path);
  const table network(dir.path / "network.csv");
  const table sales(dir.path / "sales.csv");
  REQUIRE(sales.rows.size() == 6000);
  std::set<std::string> ids;
  for (const auto& row : network.rows) ids.insert(row[0]);

  std::set<std::string> orders;
  std::map<std::string, std::size_t> kinds;
  std::map<std::string, std::size_t> lines_of;
  // Earlier positive lines, (member, cents, kind) → count not yet refunded.
  std::map<std::tuple<std::string, std::int64_t, std::string>, int> refundable;
  std::size_t refunds = 0;
  for (const auto& row : sales.rows) {
    const std::string &member = row[0], &amount = row[1], &volume = row[2], &kind = row[3],
                      &order = row[5];
    CHECK(ids.count(member) == 1);
    std::int64_t cents = 0;
    REQUIRE(parse_cents(amount, cents));
    const std::int64_t magnitude = cents < 0 ? -cents : cents;
    CHECK(magnitude >= 500);
    CHECK(magnitude <= 20000);
    CHECK(volume == std::to_string(cents / 100));  // whole units, same sign
    CHECK((kind == "retail" || kind == "personal" || kind == "fee"));
    ++kinds[kind];
    REQUIRE(order.size() >= 2);
    CHECK(order[0] == 'O');
    CHECK(order.find_first_not_of("0123456789", 1) == std::string::npos);
    CHECK(orders.insert(order).second);
    const auto key = std::make_tuple(member, magnitude, kind);
    if (cents < 0) {
      ++refunds;
      CHECK(refundable[key] > 0);  // reverses an earlier line of the same member
      --refundable[key];
    } else {
      ++refundable[key];
      ++lines_of[member];
    }
  }
  CHECK(refunds >= 20);  // about 1% of 6000
  CHECK(refunds <= 120);
  CHECK(kinds["retail"] > 4500);
  CHECK(kinds["personal"] > 800);
  CHECK(kinds["fee"] > 100);
  CHECK(kinds["fee"] < 350);

  // ~60% of members buy; a few buy far more than the rest.
  CHECK(lines_of.size() >= 1100);
  CHECK(lines_of.size() <= 1300);
  std::size_t most = 0;
  for (const auto& entry : lines_of) most = std::max(most, entry.second);
  CHECK(most >= 30);
}

TEST_CASE("generate handles a lone member and fractional K", "[generate]") {
  scratch_dir dir("one");
  downline::generate_options options;
  options.members = 1;
  options.sales_per_member_milli = 2500;
  downline::generate(options, dir.path);
  const table network(dir.path / "network.csv");
  const table sales(dir.path / "sales.csv");
  REQUIRE(network.rows.size() == 1);
  CHECK(network.rows[0][0] == "M000001");
  CHECK(network.rows[0][1].empty());
  CHECK(sales.rows.size() == 2);  // ⌊1 × 2.5⌋
  for (const auto& row : sales.rows) CHECK(row[0] == "M000001");

  options.sales_per_member_milli = 0;
  downline::generate(options, dir.path);
  CHECK(table(dir.path / "sales.csv").rows.empty());
}

TEST_CASE("generate rejects bad options and reports I/O failures", "[generate]") {
  scratch_dir dir("errors");
  auto options = small();
  options.members = 0;
  CHECK_THROWS_AS(downline::generate(options, dir.path), std::invalid_argument);
  options = small();
  options.month = 13;
  CHECK_THROWS_AS(downline::generate(options, dir.path), std::invalid_argument);
  options = small();
  options.placement = downline::generated_placement::matrix;
  options.matrix_width = 0;
  CHECK_THROWS_AS(downline::generate(options, dir.path), std::invalid_argument);

  // A regular file where the directory should be: the error names the path.
  fs::create_directories(dir.path);
  const fs::path blocker = dir.path / "not_a_dir";
  std::ofstream(blocker) << "x";
  try {
    downline::generate(small(), blocker / "out");
    FAIL("expected std::runtime_error");
  } catch (const std::runtime_error& e) {
    CHECK(std::string(e.what()).find("not_a_dir") != std::string::npos);
  }
}

TEST_CASE("generate output is pinned, so platforms and refactors cannot drift", "[generate]") {
  // If an intended change to the generator alters its output, update these lines: the
  // point is that nothing changes them by accident (standard library, compiler, platform).
  scratch_dir dir("pinned");
  downline::generate_options options;
  options.members = 20;
  options.seed = 2026;
  options.placement = downline::generated_placement::binary;
  downline::generate(options, dir.path);
  CHECK(slurp(dir.path / "network.csv") ==
        "id,sponsor_id,joined,placement_id,position\n"
        "M000005,M000003,2024-06-02,,\n"
        "M000008,M000004,2024-09-26,,\n"
        "M000013,M000010,2025-04-06,M000010,L\n"
        "M000002,M000001,2024-02-08,,\n"
        "M000010,M000007,2024-12-12,,\n"
        "M000003,M000001,2024-03-17,,\n"
        "M000012,M000003,2025-02-27,,\n"
        "M000015,M000001,2025-06-22,,\n"
        "M000006,M000003,2024-07-11,,\n"
        "M000020,M000001,2026-01-01,,\n"
        "M000001,,2024-01-01,,\n"
        "M000011,M000001,2025-01-19,M000004,R\n"
        "M000016,M000001,2025-07-31,M000010,R\n"
        "M000014,M000001,2025-05-15,,\n"
        "M000004,M000001,2024-04-25,,\n"
        "M000019,M000001,2025-11-23,,\n"
        "M000017,M000012,2025-09-07,,\n"
        "M000009,M000003,2024-11-03,,\n"
        "M000018,M000005,2025-10-16,M000009,L\n"
        "M000007,M000001,2024-08-18,,\n");
  const std::string sales = slurp(dir.path / "sales.csv");
  CHECK(sales.substr(0, sales.find("M000016")) ==
        "member_id,amount,volume,kind,date,order_id\n"
        "M000001,198.56,198,retail,2026-01-19,O1\n"
        "M000020,118.89,118,retail,2026-01-14,O2\n"
        "M000020,67.34,67,personal,2026-01-07,O3\n"
        "M000007,14.52,14,retail,2026-01-25,O4\n"
        "M000003,77.25,77,retail,2026-01-17,O5\n");
}
