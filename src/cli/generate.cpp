// SPDX-License-Identifier: MIT
// `downline generate`: synthetic networks and ledgers at any size.
#include <cstdio>

#include "args.hpp"
#include "commands.hpp"
#include "downline/date.hpp"
#include "downline/decimal.hpp"
#include "downline/generate.hpp"

namespace downline::cli {

int generate_command(int argc, char** argv) {
  args a(argc, argv, 2, {"members", "sales-per-member", "seed", "placement", "width", "period", "out"}, {});
  generate_options o;
  auto whole = [&](const std::string& key, std::int64_t min, std::int64_t max) {
    std::string text = a.require(key);
    std::int64_t v = 0;
    if (parse_decimal(text, 0, v) != parse_status::ok || v < min || v > max)
      throw usage_error("--" + key + " must be a whole number from " + std::to_string(min) + " to " +
                        std::to_string(max) + ", not " + quote_value(text));
    return v;
  };
  o.members = static_cast<std::uint64_t>(whole("members", 1, 4'000'000'000));
  if (a.get("sales-per-member")) {
    std::int64_t milli = 0;
    std::string text = *a.get("sales-per-member");
    if (parse_decimal(text, 3, milli) != parse_status::ok || milli < 0 || milli > 1'000'000)
      throw usage_error("--sales-per-member must be a number from 0 to 1000, not " + quote_value(text));
    o.sales_per_member_milli = static_cast<std::uint32_t>(milli);
  }
  if (a.get("seed")) o.seed = static_cast<std::uint64_t>(whole("seed", 0, INT64_MAX));
  if (a.get("width")) o.matrix_width = static_cast<std::uint32_t>(whole("width", 2, 1024));
  if (auto p = a.get("placement")) {
    if (*p == "binary") o.placement = generated_placement::binary;
    else if (*p == "matrix") o.placement = generated_placement::matrix;
    else if (*p != "none") throw usage_error("--placement must be binary or matrix, not " + quote_value(*p));
  }
  if (auto text = a.get("period")) {
    // Generated data spans whole months: a calendar month only.
    if (text->size() != 7 || !parse_period(*text)) throw usage_error("--period must be YYYY-MM, not " + quote_value(*text));
    o.year = std::stoi(text->substr(0, 4));
    o.month = std::stoi(text->substr(5, 2));
  }
  const std::string dir = a.require("out");
  generate(o, dir);
  std::printf("wrote %s/network.csv and %s/sales.csv\n", dir.c_str(), dir.c_str());
  return 0;
}

}  // namespace downline::cli
