// SPDX-License-Identifier: MIT
#include "downline/ledger.hpp"

#include <algorithm>
#include <cstring>
#include <thread>

#include <fmt/format.h>

#include "downline/date.hpp"
#include "downline/decimal.hpp"
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

ledger_builder ledger_builder::parse_csv(const std::filesystem::path& path) {
  csv_reader csv(path);
  const int member = csv.require_column("member_id");
  const int amount = csv.require_column("amount");
  const int volume = csv.column("volume");
  const int kind = csv.column("kind");
  const int date = csv.column("date");
  const int order = csv.column("order_id");
  ledger_builder builder(csv.source());
  std::error_code ec;
  auto bytes = std::filesystem::file_size(path, ec);
  if (!ec) builder.reserve(static_cast<std::size_t>(bytes / 16));
  while (csv.next())
    builder.add_text(csv.field(member), csv.field(amount), csv.field(volume), csv.field(kind), csv.field(date),
                     csv.field(order), csv.line());
  return builder;
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
  id_ends_.reserve(lines);
  ids_.reserve(lines * 8);
}

std::string ledger_builder::location(std::size_t line) const {
  return rows_are_lines_ ? fmt::format("{}:{}", ledger_.source_, line)
                         : fmt::format("{} row {}", ledger_.source_, line);
}

void ledger_builder::fail(std::size_t line, std::string_view what, std::string_view value) const {
  throw input_error(fmt::format("{}: {} '{}'", location(line), what, value));
}

std::size_t ledger_builder::line_of(std::size_t index) const {
  auto it = std::upper_bound(line_jumps_.begin(), line_jumps_.end(), std::make_pair(index, ~std::size_t{0}));
  if (it == line_jumps_.begin()) return index;
  --it;
  return it->second + (index - it->first);
}

ledger ledger_builder::build() && {
  if (!net_) throw error(errc::usage, "ledger_builder::build() needs a network");
  return std::move(*this).build(*net_);
}

ledger ledger_builder::build(const network& net) && {
  const std::size_t n = id_ends_.size();
  auto id = [&](std::size_t i) {
    std::size_t begin = i == 0 ? 0 : id_ends_[i - 1];
    return std::string_view(ids_.data() + begin, id_ends_[i] - begin);
  };
  // Two threads over halves of the lines; each prefetches a few ids ahead. The first
  // unknown id of each half is remembered, and the earlier one reported.
  std::size_t unknown[2] = {n, n};
  auto resolve = [&](std::size_t begin, std::size_t end, std::size_t& first_unknown) {
    constexpr std::size_t ahead = 16;
    for (std::size_t i = begin; i < end; ++i) {
      if (i + ahead < end) net.prefetch(detail::hash_id(id(i + ahead)));
      member_index m = net.find(id(i));
      ledger_.member_[i] = m;
      if (m == none && first_unknown == n) first_unknown = i;
    }
  };
  ledger_.member_.resize(n);
  if (n >= 100'000) {
    std::thread helper(resolve, n / 2, n, std::ref(unknown[1]));
    resolve(0, n / 2, unknown[0]);
    helper.join();
  } else {
    resolve(0, n, unknown[0]);
  }
  std::size_t bad = std::min(unknown[0], unknown[1]);
  if (bad != n) fail(line_of(bad), "sale for a member who is not in the network", id(bad));
  std::string().swap(ids_);
  std::vector<std::uint64_t>().swap(id_ends_);
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
  if (volume.empty()) {
    if (a % (amount_scale / volume_scale) != 0)
      fail(line, "amount has more than 4 decimals and no volume to stand in for it", amount);
    v = a / (amount_scale / volume_scale);
  } else if (auto s = parse_decimal(volume, volume_decimals, v); s != parse_status::ok) {
    fail(line, fmt::format("volume {}", describe(s)), volume);
  }

  sale_kind k = sale_kind::retail;
  if (kind.empty() || kind == "retail") k = sale_kind::retail;
  else if (kind == "personal") k = sale_kind::personal;
  else if (kind == "fee") k = sale_kind::fee;
  else fail(line, "unknown kind (expected retail, personal or fee)", kind);

  date_t d = no_date;
  if (!date.empty()) {
    auto parsed = parse_date(date);
    if (!parsed) fail(line, "date is not a date YYYY-MM-DD", date);
    d = *parsed;
  }
  push(member_id, a, v, k, d, order_id, line);
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
  const std::size_t i = id_ends_.size();
  ids_.append(member_id);
  id_ends_.push_back(ids_.size());
  if (line_of(i) != line) line_jumps_.emplace_back(i, line);
  l.amount_.push_back(amount);
  l.volume_.push_back(volume);
  l.kind_.push_back(static_cast<std::uint8_t>(kind));
  if (date != no_date && !any_date_) {
    any_date_ = true;
    l.date_.reserve(l.member_.capacity());
    l.date_.assign(i, no_date);
  }
  if (any_date_) l.date_.push_back(date);
  if (date == no_date && l.first_undated_.empty()) l.first_undated_ = location(line);
  if (!order_id.empty() && !any_order_) {
    any_order_ = true;
    l.order_offsets_.assign(i + 1, 0);
  }
  if (any_order_) {
    l.order_ids_.append(order_id);
    l.order_offsets_.push_back(l.order_ids_.size());
  }
}



DOWNLINE_END_NAMESPACE
