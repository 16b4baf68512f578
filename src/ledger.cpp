// SPDX-License-Identifier: MIT
#include "downline/ledger.hpp"

#include <algorithm>
#include <cstdio>
#include <exception>
#include <memory>
#include <optional>
#include <cstring>

#include <fmt/format.h>

#include "downline/date.hpp"
#include "downline/detail/parallel.hpp"
#include "downline/decimal.hpp"
#include "downline/detail/utf8.hpp"
#include "downline/error.hpp"
#include "downline/io/csv.hpp"

DOWNLINE_BEGIN_NAMESPACE

std::string_view to_string(sale_kind kind) noexcept {
  switch (kind) {
    case sale_kind::retail: return "retail";
    case sale_kind::personal: return "personal";
    case sale_kind::fee: return "fee";
  }
  return "retail";
}

ledger ledger::from_csv(const std::filesystem::path& path, const network& net) {
  return ledger_builder::parse_csv(path).build(net);
}

namespace {
struct sales_columns {
  int member, amount, volume, kind, date, order;
  explicit sales_columns(const csv_reader& csv)
      : member(csv.require_column("member_id")),
        amount(csv.require_column("amount")),
        volume(csv.column("volume")),
        kind(csv.column("kind")),
        date(csv.column("date")),
        order(csv.column("order_id")) {}
};

void parse_rows(csv_reader& csv, const sales_columns& c, ledger_builder& builder) {
  while (csv.next())
    builder.add_text(csv.field(c.member), csv.field(c.amount), csv.field(c.volume), csv.field(c.kind),
                     csv.field(c.date), csv.field(c.order), csv.line());
}

}  // namespace

ledger_builder ledger_builder::parse_csv(const std::filesystem::path& path, std::uint64_t split_above,
                                         bool order_ids) {
  csv_reader csv(path);
  sales_columns columns(csv);
  if (!order_ids) columns.order = -1;
  ledger_builder builder(csv.source());
  std::error_code ec;
  const std::uint64_t bytes = std::filesystem::file_size(path, ec);
  if (!ec) builder.reserve(static_cast<std::size_t>(bytes / 16));
  std::vector<csv_split> splits;
  if (!ec && bytes > split_above) splits = find_csv_splits(path, csv.offset(), bytes, split_parts);
  if (splits.empty()) {
    parse_rows(csv, columns, builder);
    return builder;
  }
  // Parts of the file parsed on the threads, each by whichever is free (one may still be
  // loading the network); the lowest part's error is the one reported, the file's first.
  // Every newline between the header and a split starts a line.
  const std::size_t first_line = csv.next_line();
  std::vector<ledger_builder> rest;
  for (std::size_t p = 0; p < splits.size(); ++p) {
    rest.emplace_back(csv.source());
    rest.back().reserve(static_cast<std::size_t>(bytes / 16 / (splits.size() + 1)));
  }
  detail::parallel_for(detail::chunking{splits.size() + 1, 1, splits.size() + 1},
                       [&](std::size_t part, std::size_t, std::size_t) {
                         if (part == 0) {
                           csv.limit(splits[0].offset);
                           parse_rows(csv, columns, builder);
                           return;
                         }
                         const csv_split& from = splits[part - 1];
                         csv_reader part_csv(path, csv.header(), from.offset, bytes, first_line + from.newlines);
                         if (part < splits.size()) part_csv.limit(splits[part].offset);
                         parse_rows(part_csv, columns, rest[part - 1]);
                       });
  for (ledger_builder& part : rest) {
    builder.append(std::move(part));
    part = ledger_builder(csv.source());  // its memory back before the next part is copied
  }
  return builder;
}

void ledger_builder::append(ledger_builder&& rest) {
  // The ids and the ledger's columns are copied side by side (at 30M lines, 0.5 GB).
  detail::side_by_side(
      [&] {
        ids_.append(rest.ids_);
        rest.ids_.clear();
      },
      [&] { ledger_.append(rest.ledger_); });
  lines_.append(rest.lines_);
  any_date_ = any_date_ || rest.any_date_;
  any_order_ = any_order_ || rest.any_order_;
}

void ledger::append(const ledger& r) {
  // The line count is the amounts': a builder's ledger has no members until build().
  const std::size_t n = amount_.size(), m = r.amount_.size();
  member_.insert(member_.end(), r.member_.begin(), r.member_.end());
  amount_.insert(amount_.end(), r.amount_.begin(), r.amount_.end());
  volume_.insert(volume_.end(), r.volume_.begin(), r.volume_.end());
  kind_.insert(kind_.end(), r.kind_.begin(), r.kind_.end());
  if (!date_.empty() || !r.date_.empty()) {
    if (date_.empty()) date_.assign(n, no_date);
    if (!r.date_.empty()) date_.insert(date_.end(), r.date_.begin(), r.date_.end());
    else date_.resize(n + m, no_date);
  }
  if (!order_offsets_.empty() || !r.order_offsets_.empty()) {
    if (order_offsets_.empty()) order_offsets_.assign(n + 1, 0);
    const std::uint64_t shift = order_ids_.size();
    order_ids_ += r.order_ids_;
    if (!r.order_offsets_.empty())
      for (std::size_t i = 1; i <= m; ++i) order_offsets_.push_back(r.order_offsets_[i] + shift);
    else
      order_offsets_.resize(n + m + 1, shift);
  }
  if (first_undated_.empty()) first_undated_ = r.first_undated_;
  for (std::size_t d = 0; d < precision_.size(); ++d)
    if (precision_[d].where.empty()) precision_[d] = r.precision_[d];
}

void ledger::renumber_members(std::span<const member_index> new_of_old) {
  for (member_index& m : member_) m = new_of_old[m];
}

ledger ledger::select(std::span<const std::uint32_t> lines, member_index first) const {
  ledger out;
  out.source_ = source_;
  out.first_undated_ = first_undated_;  // a bonus needing dates reports it as over the whole
  const std::size_t n = lines.size();
  out.member_.reserve(n);
  out.amount_.reserve(n);
  out.volume_.reserve(n);
  out.kind_.reserve(n);
  if (!date_.empty()) out.date_.reserve(n);
  if (!order_offsets_.empty()) out.order_offsets_.assign(1, 0);
  for (std::uint32_t i : lines) {
    out.member_.push_back(member_[i] - first);
    out.amount_.push_back(amount_[i]);
    out.volume_.push_back(volume_[i]);
    out.kind_.push_back(kind_[i]);
    if (!date_.empty()) out.date_.push_back(date_[i]);
    if (!order_offsets_.empty()) {
      out.order_ids_ += order_id(i);
      out.order_offsets_.push_back(out.order_ids_.size());
    }
  }
  return out;
}

ledger_builder::ledger_builder(std::string source, bool rows_are_lines) : rows_are_lines_(rows_are_lines) {
  ledger_.source_ = std::move(source);
}

ledger_builder::ledger_builder(const network& net, std::string source, bool rows_are_lines)
    : ledger_builder(std::move(source), rows_are_lines) {
  net_ = &net;
}

void ledger_builder::reserve(std::size_t lines) {
  ledger_.member_.reserve(lines);
  ledger_.amount_.reserve(lines);
  ledger_.volume_.reserve(lines);
  ledger_.kind_.reserve(lines);
  ids_.reserve(lines * 8);
}

std::string ledger_builder::location(std::size_t line) const {
  return rows_are_lines_ ? fmt::format("{}:{}", ledger_.source_, line)
                         : fmt::format("{} row {}", ledger_.source_, line);
}

void ledger_builder::fail(std::size_t line, std::string_view what, std::string_view value) const {
  throw input_error(fmt::format("{}: {} {}", location(line), what, quote_value(value)));
}

ledger ledger_builder::build() && {
  if (!net_) throw error(errc::usage, "ledger_builder::build() needs a network");
  return std::move(*this).build(*net_);
}

ledger ledger_builder::build(const network& net) && {
  const std::size_t n = ids_.size();
  // Chunks of the lines on the threads. The first unknown id of each chunk is remembered,
  // and the earliest one reported.
  const detail::chunking chunks = detail::chunks_of(n);
  std::vector<std::size_t> unknown(chunks.count, n);
  ledger_.member_.resize(n);
  detail::parallel_for(chunks, [&](std::size_t chunk, std::size_t begin, std::size_t end) {
    std::size_t& first_unknown = unknown[chunk];
    auto ids = ids_.from(begin);
    net.find_each(
        begin, end, [&](std::size_t) { return ids.next(); },
        [&](std::size_t i, member_index m, std::string_view) {
          ledger_.member_[i] = m;
          if (m == none && first_unknown == n) first_unknown = i;
          return true;
        });
  });
  const std::size_t bad = *std::min_element(unknown.begin(), unknown.end());
  if (bad != n) fail(lines_[bad], "sale for a member who is not in the network", ids_[bad]);
  ids_.clear();
  return std::move(ledger_);
}

void ledger_builder::add_text(std::string_view member_id, std::string_view amount, std::string_view volume,
                              std::string_view kind, std::string_view date, std::string_view order_id,
                              std::size_t line) {
  amount_t a = 0;
  int significant = 0;
  if (auto s = parse_decimal(amount, amount_decimals, a, &significant); s != parse_status::ok)
    fail(line, fmt::format("amount {}", describe(s)), amount);
  auto& witness = ledger_.precision_[static_cast<std::size_t>(significant)];
  if (witness.where.empty()) witness = {location(line), std::string(amount)};

  volume_t v = 0;
  if (volume.empty()) v = volume_from_amount(line, a, amount);
  else if (auto s = parse_decimal(volume, volume_decimals, v); s != parse_status::ok)
    fail(line, fmt::format("volume {}", describe(s)), volume);
  push(member_id, a, v, kind_named(line, kind), date_from_text(line, date), order_id, line);
}

volume_t ledger_builder::volume_from_amount(std::size_t line, amount_t amount, std::string_view amount_text) const {
  constexpr amount_t per_volume_unit = amount_scale / volume_scale;
  if (amount % per_volume_unit != 0)
    fail(line, "amount has more than 4 decimals and no volume to stand in for it", amount_text);
  return amount / per_volume_unit;
}

sale_kind ledger_builder::kind_named(std::size_t line, std::string_view name) const {
  if (name.empty() || name == "retail") return sale_kind::retail;
  if (name == "personal") return sale_kind::personal;
  if (name == "fee") return sale_kind::fee;
  fail(line, "unknown kind (expected retail, personal or fee)", name);
}

sale_kind ledger_builder::kind_coded(std::size_t line, std::int64_t code) const {
  if (code < 0 || code > static_cast<std::int64_t>(sale_kind::fee))
    fail(line, "unknown kind (expected 0 retail, 1 personal or 2 fee)", std::to_string(code));
  return static_cast<sale_kind>(code);
}

date_t ledger_builder::date_from_text(std::size_t line, std::string_view text) const {
  if (text.empty()) return no_date;
  auto parsed = parse_date(text);
  if (!parsed) fail(line, "date is not a date YYYY-MM-DD", text);
  return *parsed;
}

date_t ledger_builder::date_from_days(std::size_t line, std::int64_t days) const {
  if (days < -2'000'000 || days > 2'000'000) fail(line, "date is out of range", std::to_string(days));
  return static_cast<date_t>(days);
}

void ledger_builder::add_values(std::string_view member_id, amount_t amount, volume_t volume, sale_kind kind,
                                date_t date, std::string_view order_id, std::size_t line) {
  int significant = amount_decimals;
  for (amount_t a = amount; significant > 0 && a % 10 == 0; a /= 10) --significant;
  auto& witness = ledger_.precision_[static_cast<std::size_t>(significant)];
  if (witness.where.empty()) witness = {location(line), format_trimmed(amount, amount_decimals)};
  push(member_id, amount, volume, kind, date, order_id, line);
}

void ledger_builder::push(std::string_view member_id, amount_t amount, volume_t volume, sale_kind kind, date_t date,
                          std::string_view order_id, std::size_t line) {
  ledger& l = ledger_;
  const std::size_t i = ids_.size();
  ids_.push_back(member_id);
  lines_.push_back(line);
  l.amount_.push_back(amount);
  l.volume_.push_back(volume);
  l.kind_.push_back(static_cast<std::uint8_t>(kind));
  if (date != no_date && !any_date_) {
    any_date_ = true;
    l.date_.reserve(l.amount_.capacity());
    l.date_.assign(i, no_date);
  }
  if (any_date_) l.date_.push_back(date);
  if (date == no_date && l.first_undated_.empty()) l.first_undated_ = location(line);
  if (!order_id.empty() && !detail::is_clean_text(order_id))
    fail(line, "order_id is not UTF-8 text (a NUL byte or malformed UTF-8)", order_id);
  if (!order_id.empty() && !any_order_) {
    // Reserved like the other columns: growing by doubling would copy them into fresh pages.
    any_order_ = true;
    l.order_offsets_.reserve(l.amount_.capacity() + 1);
    l.order_ids_.reserve(l.amount_.capacity() * 8);
    l.order_offsets_.assign(i + 1, 0);
  }
  if (any_order_) {
    l.order_ids_.append(order_id);
    l.order_offsets_.push_back(l.order_ids_.size());
  }
}



DOWNLINE_END_NAMESPACE
