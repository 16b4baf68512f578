// SPDX-License-Identifier: MIT
#include "downline/state.hpp"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "downline/decimal.hpp"
#include "downline/error.hpp"
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
  columns_.push_back({key, std::vector<std::int64_t>(members, key.none)});
  return columns_.back().values;
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

/// What is wrong with a row: the message and the value it quotes.
struct problem {
  std::string what;
  std::string value;
};

/**
 * Resolves state rows against the plan's schema and the network, one row at a time, into
 * dense columns: the rules of SPEC §7.2 in one place for files, C and Python.
 */
class state_builder {
 public:
  state_builder(const plan& rules, const network& net) : rules_(rules), net_(net), schema_(state_schema(rules)) {
    seen_.resize(schema_.size());
    columns_.resize(schema_.size(), nullptr);
  }

  std::optional<problem> set_period(std::string_view text) {
    if (period_seen_) return problem{"a second period row", std::string(text)};
    period_seen_ = true;
    if (text.empty()) return std::nullopt;
    out_.period = parse_period(text);
    if (!out_.period) return problem{"malformed period", std::string(text)};
    return std::nullopt;
  }

  std::optional<problem> add(std::string_view member_id, std::string_view key, std::string_view value) {
    if (member_id.empty() && key == "period") return set_period(value);
    // A member's rows usually follow one another (files are written member by member).
    if (member_id != last_id_ || last_member_ == none) {
      last_member_ = net_.find(member_id);
      last_id_.assign(member_id);
    }
    const member_index m = last_member_;
    if (m == none) return problem{"state for a member who is not in the network", std::string(member_id)};
    const std::size_t k = find_key(key);
    if (k == schema_.size()) {
      const bool carry = key.starts_with("carry_left:") || key.starts_with("carry_right:");
      return problem{carry ? "carry for a bonus that is not a binary bonus of the plan" : "unknown state key",
                     std::string(key)};
    }
    std::vector<std::uint8_t>& seen = seen_[k];
    if (seen.empty()) seen.assign(net_.size(), 0);
    if (seen[m]) return problem{fmt::format("a second state row for key '{}' and member", key), std::string(member_id)};
    seen[m] = 1;
    std::int64_t v = 0;
    if (auto p = parse_value(schema_[k], value, v)) return p;
    if (!columns_[k]) columns_[k] = &out_.column(schema_[k], net_.size());
    (*columns_[k])[m] = v;
    return std::nullopt;
  }

  bool is_carry_bonus(std::string_view bonus) const {
    return find_key(fmt::format("carry_left:{}", bonus)) != schema_.size();
  }

  member_state finish() { return std::move(out_); }

 private:
  std::size_t find_key(std::string_view key) const {
    if (last_key_ < schema_.size() && schema_[last_key_].name == key) return last_key_;
    for (std::size_t k = 0; k < schema_.size(); ++k)
      if (schema_[k].name == key) return last_key_ = k;
    return schema_.size();
  }

  std::optional<problem> parse_value(const state_key& key, std::string_view text, std::int64_t& v) const {
    switch (key.kind) {
      case state_kind::rank: {
        const rank_index r = rules_.find_rank(text);
        if (r == no_rank) return problem{fmt::format("{} is not a rank of the plan", key.name), std::string(text)};
        v = r;
        return std::nullopt;
      }
      case state_kind::count:
        if (text.empty() || text.size() > 9 || !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
          return problem{fmt::format("{} must be a whole number of periods", key.name), std::string(text)};
        v = std::stoll(std::string(text));
        return std::nullopt;
      case state_kind::money:
      case state_kind::volume: {
        const int decimals = key.kind == state_kind::money ? rules_.money_decimals : volume_decimals;
        if (auto s = parse_decimal(text, decimals, v); s != parse_status::ok)
          return problem{fmt::format("{} {}", key.name, describe(s)), std::string(text)};
        return std::nullopt;
      }
    }
    return std::nullopt;
  }

  const plan& rules_;
  const network& net_;
  std::vector<state_key> schema_;
  std::vector<std::vector<std::uint8_t>> seen_;  // per key, per member: a row was read
  std::vector<std::vector<std::int64_t>*> columns_;  // per key, its column once a row names it
  mutable std::size_t last_key_ = 0;
  std::string last_id_;
  member_index last_member_ = none;
  bool period_seen_ = false;
  member_state out_;
};

/// The earlier carry file `member_id,bonus,left,right`: each row is two carry keys.
member_state read_carry_file(csv_reader& csv, const plan& rules, const network& net) {
  const int member = csv.require_column("member_id"), bonus = csv.require_column("bonus");
  const int left = csv.require_column("left"), right = csv.require_column("right");
  state_builder b(rules, net);
  while (csv.next()) {
    const std::string_view id = csv.field(member), name = csv.field(bonus);
    if (net.find(id) == none) csv.fail("carry for a member who is not in the network", id);
    if (!b.is_carry_bonus(name)) csv.fail("carry for a bonus that is not a binary bonus of the plan", name);
    for (auto [column, side] : {std::pair{left, "left"}, std::pair{right, "right"}}) {
      if (auto p = b.add(id, fmt::format("carry_{}:{}", side, name), csv.field(column))) {
        if (p->value == id) csv.fail(fmt::format("a second carry row for bonus '{}' and member", name), id);
        csv.fail(fmt::format("{} carry is malformed", side), csv.field(column));
      }
    }
  }
  return b.finish();
}

}  // namespace

member_state read_state(const std::filesystem::path& path, const plan& rules, const network& net) {
  csv_reader csv(path);
  if (csv.column("key") < 0 && csv.column("bonus") >= 0) {
    member_state state = read_carry_file(csv, rules, net);
    state.source = csv.source();
    return state;
  }
  const int member = csv.require_column("member_id"), key = csv.require_column("key");
  const int value = csv.require_column("value");
  state_builder b(rules, net);
  while (csv.next())
    if (auto p = b.add(csv.field(member), csv.field(key), csv.field(value))) csv.fail(p->what, p->value);
  member_state state = b.finish();
  state.source = csv.source();
  return state;
}

member_state read_state(const state_text& text, const plan& rules, const network& net) {
  state_builder b(rules, net);
  if (auto p = b.set_period(text.period))
    throw input_error(fmt::format("state period: {} {}", p->what, quote_value(p->value)));
  for (std::size_t i = 0; i < text.rows.size(); ++i) {
    const state_row& r = text.rows[i];
    if (r.member_id.empty() && r.key == "period")
      throw input_error(fmt::format("state row {}: the period is given apart from the rows {}", i, quote_value(r.value)));
    if (auto p = b.add(r.member_id, r.key, r.value))
      throw input_error(fmt::format("state row {}: {} {}", i, p->what, quote_value(p->value)));
  }
  return b.finish();
}

state_text read_state_text(const std::filesystem::path& path) {
  csv_reader csv(path);
  state_text text;
  if (csv.column("key") < 0 && csv.column("bonus") >= 0) {
    const int member = csv.require_column("member_id"), bonus = csv.require_column("bonus");
    const int left = csv.require_column("left"), right = csv.require_column("right");
    while (csv.next()) {
      const std::string id(csv.field(member)), name(csv.field(bonus));
      text.rows.push_back({id, "carry_left:" + name, std::string(csv.field(left))});
      text.rows.push_back({id, "carry_right:" + name, std::string(csv.field(right))});
    }
    return text;
  }
  const int member = csv.require_column("member_id"), key = csv.require_column("key");
  const int value = csv.require_column("value");
  while (csv.next()) {
    if (csv.field(member).empty() && csv.field(key) == "period")
      text.period = csv.field(value);
    else
      text.rows.push_back({std::string(csv.field(member)), std::string(csv.field(key)), std::string(csv.field(value))});
  }
  return text;
}

namespace {
/// Calls f(member, key, value text) for each row to write, in file order.
template <class F>
void visit_rows(const member_state& state, const plan& rules, const network& net, F&& f) {
  struct present {
    const state_key* key;
    const std::vector<std::int64_t>* values;
  };
  const std::vector<state_key> schema = state_schema(rules);
  std::vector<present> columns;
  for (const state_key& k : schema)
    if (const auto* c = state.find(k.name)) columns.push_back({&k, c});
  std::string value;
  for (std::uint32_t row = 0; row < net.size(); ++row) {
    if (row + 16 < net.size()) {  // rows go in file order, members at random: fetch ahead
      const member_index ahead = net.member_at_row(row + 16);
      for (const present& p : columns) __builtin_prefetch(&(*p.values)[ahead]);
    }
    const member_index m = net.member_at_row(row);
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const present& p = columns[c];
      const std::int64_t v = (*p.values)[m];
      if (v == p.key->none) continue;
      value.clear();
      switch (p.key->kind) {
        case state_kind::rank: value = rules.rank_name(static_cast<rank_index>(v)); break;
        case state_kind::count: {
          char digits[24];
          value.append(digits, std::to_chars(digits, digits + sizeof digits, v).ptr);
          break;
        }
        case state_kind::money: append_fixed(value, v, rules.money_decimals); break;
        case state_kind::volume: append_trimmed(value, v, volume_decimals); break;
      }
      f(net.id_at_row(row), c, std::string_view(value));
    }
  }
}

/// The schema's keys that `state` holds, in visit_rows' column order.
std::vector<const state_key*> present_keys(const member_state& state, const std::vector<state_key>& schema) {
  std::vector<const state_key*> keys;
  for (const state_key& k : schema)
    if (state.find(k.name)) keys.push_back(&k);
  return keys;
}
}  // namespace

void for_each_state_row(const member_state& state, const plan& rules, const network& net,
                        const std::function<void(std::string_view, std::string_view, std::string_view)>& f) {
  const std::vector<state_key> schema = state_schema(rules);
  const std::vector<const state_key*> keys = present_keys(state, schema);
  visit_rows(state, rules, net, [&](std::string_view m, std::size_t c, std::string_view v) { f(m, keys[c]->name, v); });
}

namespace {
void write_header(std::string& b, std::string_view period) {
  b += "member_id,key,value\n,period,";
  b += period;
  b += '\n';
}
void write_row(output_file& out, std::string_view member, std::string_view key, std::string_view value) {
  std::string& b = out.buffer();
  b += member;
  b += ',';
  append_csv_field(b, key);
  b += ',';
  b += value;
  b += '\n';
  out.flush_if_large();
}
}  // namespace

void write_state(output_file& out, const member_state& state, const plan& rules, const network& net) {
  write_header(out.buffer(), state.period ? std::string_view(state.period->to_string()) : std::string_view());
  // Each key as a CSV field once, not on every row.
  const std::vector<state_key> schema = state_schema(rules);
  std::vector<std::string> fields;
  for (const state_key* k : present_keys(state, schema)) append_csv_field(fields.emplace_back(), k->name);
  std::string& b = out.buffer();
  visit_rows(state, rules, net, [&](std::string_view m, std::size_t c, std::string_view v) {
    b += m;
    b += ',';
    b += fields[c];
    b += ',';
    b += v;
    b += '\n';
    out.flush_if_large();
  });
}

void write_state(output_file& out, const state_text& text) {
  write_header(out.buffer(), text.period);
  for (const state_row& r : text.rows) write_row(out, r.member_id, r.key, r.value);
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
