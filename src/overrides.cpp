// SPDX-License-Identifier: MIT
#include "downline/overrides.hpp"

#include <fmt/format.h>

#include "downline/decimal.hpp"
#include "downline/error.hpp"
#include "downline/io/csv.hpp"
#include "downline/network.hpp"
#include "downline/plan.hpp"

DOWNLINE_BEGIN_NAMESPACE

namespace {

/// What is wrong with a row: the message and the value it quotes.
struct problem {
  std::string what;
  std::string value;
};

/// The rules of SPEC §7.4 for one override row, for files, C and Python alike.
class override_reader {
 public:
  override_reader(const plan& rules, const network& net) : rules_(rules), net_(net) {}

  std::optional<problem> add(std::string_view member_id, std::string_view rank, std::string_view active,
                             std::string_view note) {
    member_override o;
    o.member = net_.find(member_id);
    if (o.member == none) return problem{"override for a member who is not in the network", std::string(member_id)};
    if (seen_.empty()) seen_.assign(net_.size(), 0);
    if (seen_[o.member]) return problem{"a second override for member", std::string(member_id)};
    seen_[o.member] = 1;
    if (rank == "-") {
      o.rank = no_rank;
    } else if (!rank.empty()) {
      o.rank = rules_.find_rank(rank);
      if (*o.rank == no_rank) return problem{"override rank is not a rank of the plan", std::string(rank)};
    }
    if (active == "true") o.active = true;
    else if (active == "false") o.active = false;
    else if (!active.empty()) return problem{"override active must be true, false or empty", std::string(active)};
    o.note = note;
    out_.entries.push_back(std::move(o));
    return std::nullopt;
  }
  overrides finish() { return std::move(out_); }

 private:
  const plan& rules_;
  const network& net_;
  std::vector<std::uint8_t> seen_;
  overrides out_;
};

/// The rules of SPEC §7.4 for one adjustment row.
class adjustment_reader {
 public:
  adjustment_reader(const plan& rules, const network& net) : rules_(rules), net_(net) {}

  std::optional<problem> add(std::string_view member_id, std::string_view bonus, std::string_view amount,
                             std::string_view note) {
    member_adjustment a;
    a.member = net_.find(member_id);
    if (a.member == none) return problem{"adjustment for a member who is not in the network", std::string(member_id)};
    if (bonus == adjustment_payout_name) {
      a.bonus = static_cast<std::uint16_t>(rules_.bonuses.size());
    } else {
      const int b = rules_.find_bonus(bonus);
      if (b < 0) return problem{"adjustment for a bonus that is not in the plan", std::string(bonus)};
      a.bonus = static_cast<std::uint16_t>(b);
    }
    if (auto s = parse_decimal(amount, rules_.money_decimals, a.amount); s != parse_status::ok)
      return problem{fmt::format("adjustment amount {} (money_decimals {})", describe(s), rules_.money_decimals),
                     std::string(amount)};
    a.note = note;
    out_.entries.push_back(std::move(a));
    return std::nullopt;
  }
  adjustments finish() { return std::move(out_); }

 private:
  const plan& rules_;
  const network& net_;
  adjustments out_;
};

/// Reads every row of a CSV with the given columns through `reader.add`, failing at the row.
template <class Reader>
auto read_csv(const std::filesystem::path& path, Reader reader, std::initializer_list<std::string_view> names) {
  csv_reader csv(path);
  std::vector<int> columns;
  for (std::string_view name : names) columns.push_back(csv.require_column(name));
  while (csv.next()) {
    if (auto p = reader.add(csv.field(columns[0]), csv.field(columns[1]), csv.field(columns[2]), csv.field(columns[3])))
      csv.fail(p->what, p->value);
  }
  return reader.finish();
}

/// The same for rows given as text (C, Python), failing at "<what> row <i>".
template <class Reader, class Row>
auto read_rows(const std::vector<Row>& rows, Reader reader, std::string_view what) {
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& [member_id, second, third, note] = rows[i];
    if (auto p = reader.add(member_id, second, third, note))
      throw input_error(fmt::format("{} row {}: {} {}", what, i, p->what, quote_value(p->value)));
  }
  return reader.finish();
}

}  // namespace

overrides overrides::from_csv(const std::filesystem::path& path, const plan& rules, const network& net) {
  return read_csv(path, override_reader(rules, net), {"member_id", "rank", "active", "note"});
}

overrides overrides::from_rows(const std::vector<override_row>& rows, const plan& rules, const network& net) {
  return read_rows(rows, override_reader(rules, net), "overrides");
}

void apply_overrides(const overrides& given, qualification& q) {
  if (given.entries.empty()) return;
  q.override_note.assign(q.rank.size(), qualification::no_override);
  for (const member_override& o : given.entries) {
    if (o.rank) q.rank[o.member] = *o.rank;
    if (o.active) q.active[o.member] = *o.active;
    q.override_note[o.member] = static_cast<std::uint32_t>(q.override_notes.size());
    q.override_notes.push_back(o.note);
  }
}

adjustments adjustments::from_csv(const std::filesystem::path& path, const plan& rules, const network& net) {
  return read_csv(path, adjustment_reader(rules, net), {"member_id", "bonus", "amount", "note"});
}

adjustments adjustments::from_rows(const std::vector<adjustment_row>& rows, const plan& rules, const network& net) {
  return read_rows(rows, adjustment_reader(rules, net), "adjustments");
}

bool adjustments::uses_adjustment_payout(const plan& rules) const noexcept {
  for (const member_adjustment& a : entries)
    if (a.bonus == rules.bonuses.size()) return true;
  return false;
}

DOWNLINE_END_NAMESPACE
