// SPDX-License-Identifier: MIT
#include "downline/state.hpp"

#include <fmt/format.h>

#include "downline/decimal.hpp"
#include "downline/io/csv.hpp"

DOWNLINE_BEGIN_NAMESPACE

carry_state carry_state::from_csv(const std::filesystem::path& path) {
  csv_reader csv(path);
  const int member = csv.require_column("member_id"), bonus = csv.require_column("bonus");
  const int left = csv.require_column("left"), right = csv.require_column("right");
  carry_state state;
  while (csv.next()) {
    carry_entry e{std::string(csv.field(member)), std::string(csv.field(bonus)), 0, 0,
                  fmt::format("{}:{}", csv.source(), csv.line())};
    if (auto s = parse_decimal(csv.field(left), volume_decimals, e.left); s != parse_status::ok)
      csv.fail(fmt::format("left carry {}", describe(s)), csv.field(left));
    if (auto s = parse_decimal(csv.field(right), volume_decimals, e.right); s != parse_status::ok)
      csv.fail(fmt::format("right carry {}", describe(s)), csv.field(right));
    state.entries.push_back(std::move(e));
  }
  return state;
}

void carry_state::write(output_file& out) const {
  std::string& b = out.buffer();
  b += "member_id,bonus,left,right\n";
  for (const carry_entry& e : entries) {
    if (e.left == 0 && e.right == 0) continue;
    b += e.member_id;
    b += ',';
    append_csv_field(b, e.bonus);
    b += ',';
    append_trimmed(b, e.left, volume_decimals);
    b += ',';
    append_trimmed(b, e.right, volume_decimals);
    b += '\n';
    out.flush_if_large();
  }
}

DOWNLINE_END_NAMESPACE
