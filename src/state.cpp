// SPDX-License-Identifier: MIT
#include "downline/state.hpp"

#include <charconv>

#include "downline/decimal.hpp"
#include "downline/detail/huge_buffer.hpp"
#include "downline/detail/write_rows.hpp"
#include "downline/io/csv.hpp"
#include "downline/network.hpp"
#include "downline/plan.hpp"

DOWNLINE_BEGIN_NAMESPACE

const std::vector<std::int64_t>* member_state::find(std::string_view key) const noexcept {
  for (const auto& c : columns_)
    if (c.key.name == key) return &c.values;
  return nullptr;
}

std::vector<std::int64_t>& member_state::column(const state_key& key, std::uint32_t members) {
  for (auto& c : columns_)
    if (c.key.name == key.name) return c.values;
  std::vector<std::int64_t>& values = columns_.emplace_back(keyed_column{key, {}}).values;
  // Read and written by member at random (a state file is in network-file order).
  values.reserve(members);
  detail::advise_huge_pages(values.data(), std::size_t{members} * sizeof(std::int64_t));
  values.resize(members, key.none);
  return values;
}

member_state member_state::select(std::span<const member_index> from) const {
  member_state out;
  out.period = period;
  out.source = source;
  const auto n = static_cast<std::uint32_t>(from.size());
  for (const auto& c : columns_) {
    std::vector<std::int64_t>& values = out.column(c.key, n);
    for (std::uint32_t i = 0; i < n; ++i)
      if (from[i] != none) values[i] = c.values[from[i]];
  }
  return out;
}

std::vector<state_key> state_schema(const plan& rules) {
  std::vector<state_key> keys{engine_keys::paid_rank, engine_keys::title_rank, engine_keys::grace,
                              engine_keys::last_active, engine_keys::balance};
  for (const auto& b : rules.bonuses)
    for (state_key& k : b->state_keys()) keys.push_back(std::move(k));
  return keys;
}

namespace {
/// The schema's keys a state holds, in the order rows are written, and their values as text
/// (rank names as CSV fields when `csv`: a plan may name a rank with a comma or a quote).
class present_columns {
 public:
  present_columns(const member_state& state, const plan& rules, bool csv)
      : rules_(rules), schema_(state_schema(rules)) {
    for (const state_key& k : schema_)
      if (const auto* c = state.find(k.name)) columns_.push_back({&k, c});
    for (const rank_definition& r : rules.ranks) {
      std::string& name = rank_names_.emplace_back();
      if (csv) append_csv_field(name, r.name);
      else name = r.name;
    }
  }
  std::size_t size() const noexcept { return columns_.size(); }
  const state_key& key(std::size_t c) const noexcept { return *columns_[c].key; }

  /// Rows are written in file order, members at random: a writer fetches a few rows ahead.
  void prefetch(member_index m) const noexcept {
    for (const column& c : columns_) __builtin_prefetch(&(*c.values)[m]);
  }
  /// Calls f(c, v) for each of member m's values v that is not its column c's `none`.
  template <class F>
  void each_value(member_index m, F&& f) const {
    for (std::size_t c = 0; c < columns_.size(); ++c)
      if (const std::int64_t v = (*columns_[c].values)[m]; v != columns_[c].key->none) f(c, v);
  }
  /// Appends column c's value v as the file holds it.
  void append_value(std::string& b, std::size_t c, std::int64_t v) const {
    switch (columns_[c].key->kind) {
      case state_kind::rank: b += rank_names_[static_cast<std::size_t>(v)]; break;
      case state_kind::count: {
        char digits[24];
        b.append(digits, std::to_chars(digits, digits + sizeof digits, v).ptr);
        break;
      }
      case state_kind::money: append_fixed(b, v, rules_.money_decimals); break;
      case state_kind::volume: append_trimmed(b, v, volume_decimals); break;
    }
  }

 private:
  struct column {
    const state_key* key;
    const std::vector<std::int64_t>* values;
  };
  const plan& rules_;
  std::vector<state_key> schema_;
  std::vector<column> columns_;
  std::vector<std::string> rank_names_;  // by rank index
};

constexpr std::uint32_t prefetch_rows = 16;
}  // namespace

void for_each_state_row(const member_state& state, const plan& rules, const network& net,
                        const std::function<void(std::string_view, std::string_view, std::string_view)>& f) {
  const present_columns columns(state, rules, false);
  std::string value;
  for (std::uint32_t row = 0; row < net.size(); ++row) {
    if (row + prefetch_rows < net.size()) columns.prefetch(net.member_at_row(row + prefetch_rows));
    columns.each_value(net.member_at_row(row), [&](std::size_t c, std::int64_t v) {
      value.clear();
      columns.append_value(value, c, v);
      f(net.id_at_row(row), columns.key(c).name, value);
    });
  }
}

namespace {
void write_header(std::string& b, std::string_view period) {
  b += "member_id,key,value\n,period,";
  b += period;
  b += '\n';
}
}  // namespace

void write_state(output_file& out, const member_state& state, const plan& rules, const network& net) {
  write_header(out.buffer(), state.period ? std::string_view(state.period->to_string()) : std::string_view());
  const present_columns columns(state, rules, true);
  std::vector<std::string> fields;  // each key as a CSV field once, not on every row
  for (std::size_t c = 0; c < columns.size(); ++c) append_csv_field(fields.emplace_back(), columns.key(c).name);
  detail::write_rows(out, net.size(), [&](std::string& b, std::size_t i) {
    const auto row = static_cast<std::uint32_t>(i);
    if (row + prefetch_rows < net.size()) columns.prefetch(net.member_at_row(row + prefetch_rows));
    columns.each_value(net.member_at_row(row), [&](std::size_t c, std::int64_t v) {
      b += net.id_at_row(row);
      b += ',';
      b += fields[c];
      b += ',';
      columns.append_value(b, c, v);
      b += '\n';
    });
  });
}

void write_state(output_file& out, const state_text& text) {
  write_header(out.buffer(), text.period);
  std::string& b = out.buffer();
  for (const state_row& r : text.rows) {
    b += r.member_id;
    b += ',';
    append_csv_field(b, r.key);
    b += ',';
    append_csv_field(b, r.value);
    b += '\n';
    out.flush_if_large();
  }
}

state_text to_text(const member_state& state, const plan& rules, const network& net) {
  state_text text;
  if (state.period) text.period = state.period->to_string();
  for_each_state_row(state, rules, net, [&](std::string_view m, std::string_view k, std::string_view v) {
    text.rows.push_back({std::string(m), std::string(k), std::string(v)});
  });
  return text;
}

DOWNLINE_END_NAMESPACE
