// SPDX-License-Identifier: MIT
// Reading states (SPEC §7.2): rows resolved in batches into dense columns, large files in two
// parts side by side.
#include <algorithm>
#include <atomic>
#include <charconv>
#include <mutex>

#include <fmt/format.h>

#include "downline/decimal.hpp"
#include "downline/detail/parallel.hpp"
#include "downline/error.hpp"
#include "downline/io/csv.hpp"
#include "downline/network.hpp"
#include "downline/plan.hpp"
#include "downline/state.hpp"

DOWNLINE_BEGIN_NAMESPACE

namespace {

/// What is wrong with a row: the message and the value it quotes.
struct problem {
  std::string what;
  std::string value;
};
/// A problem and where its row is: a file line, or a row number.
struct row_problem {
  std::size_t where;
  problem p;
};

/**
 * The state being read: the plan's schema, and a column per key created when a row first
 * names it. Shared by the readers of a file's parts: columns are created under a lock, and a
 * (member, key) slot is written by one part only unless the file has it twice (the parts then
 * find the duplicate and the file is read again in order).
 */
class state_columns {
 public:
  state_columns(const plan& rules, const network& net)
      : rules_(rules), net_(net), schema_(state_schema(rules)), columns_(schema_.size()) {}

  const network& net() const noexcept { return net_; }
  const std::vector<state_key>& schema() const noexcept { return schema_; }

  std::optional<problem> set_period(std::string_view text) {
    if (period_seen_.exchange(true)) return problem{"a second period row", std::string(text)};
    if (text.empty()) return std::nullopt;
    out_.period = parse_period(text);
    if (!out_.period) return problem{"malformed period", std::string(text)};
    return std::nullopt;
  }

  /// The value of key k as `text` holds it, into v.
  std::optional<problem> parse_value(std::size_t k, std::string_view text, std::int64_t& v) const {
    const state_key& key = schema_[k];
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
        std::from_chars(text.data(), text.data() + text.size(), v);
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

  /// Hints the cache that member m's value of key k is written soon.
  void prefetch(member_index m, std::size_t k) const noexcept {
    if (std::int64_t* c = columns_[k].load(std::memory_order_relaxed)) __builtin_prefetch(c + m, 1);
  }
  void set(member_index m, std::size_t k, std::int64_t v) {
    // Relaxed: the parts write a slot both hold only in a file that is then read again.
    std::atomic_ref<std::int64_t>(column(k)[m]).store(v, std::memory_order_relaxed);
  }

  member_state finish() { return std::move(out_); }

 private:
  std::int64_t* column(std::size_t k) {
    if (std::int64_t* c = columns_[k].load(std::memory_order_acquire)) return c;
    const std::lock_guard lock(creating_);
    if (!columns_[k].load(std::memory_order_relaxed))
      columns_[k].store(out_.column(schema_[k], net_.size()).data(), std::memory_order_release);
    return columns_[k].load(std::memory_order_relaxed);
  }

  const plan& rules_;
  const network& net_;
  std::vector<state_key> schema_;
  std::vector<std::atomic<std::int64_t*>> columns_;  // per key, its column once a row names it
  std::mutex creating_;
  std::atomic<bool> period_seen_ = false;
  member_state out_;
};

/**
 * The rows of a state (or of one part of a file), checked by the rules of SPEC §7.2 and
 * applied a batch at a time: the batch's member ids are looked up in bulk (find_each
 * prefetches) and each row's slots are prefetched a few rows ahead, so the cache misses of
 * consecutive rows overlap. A problem is returned for the first bad row, in row order.
 */
class state_rows {
 public:
  explicit state_rows(state_columns& into)
      : into_(into), seen_(into.schema().size()), follows_(into.schema().size() + 1, 0) {
    rows_.reserve(batch_rows);
  }

  /// Queues a row; the first problem of the batch when the row completes one.
  std::optional<row_problem> add(std::string_view member_id, std::string_view key, std::string_view value,
                                 std::size_t where) {
    if (member_id.empty() && key == "period") {
      if (auto p = flush()) return p;
      if (auto p = into_.set_period(value)) return row_problem{where, std::move(*p)};
      return std::nullopt;
    }
    if (id_ends_.empty() || member_id != id(id_ends_.size() - 1)) {  // a member's rows follow one another
      ids_ += member_id;
      id_ends_.push_back(ids_.size());
    }
    row r{static_cast<std::uint32_t>(id_ends_.size() - 1), find_key(key), 0, where};
    if (r.key == into_.schema().size()) {
      const bool carry = key.starts_with("carry_left:") || key.starts_with("carry_right:");
      last_problem_ = problem{carry ? "carry for a bonus that is not a binary bonus of the plan" : "unknown state key",
                              std::string(key)};
    } else {
      last_problem_ = into_.parse_value(r.key, value, r.value);
    }
    rows_.push_back(r);
    if (last_problem_ || rows_.size() == batch_rows) return flush();
    return std::nullopt;
  }

  /// Applies the queued rows.
  std::optional<row_problem> flush() {
    std::optional<row_problem> p = apply();
    ids_.clear();
    id_ends_.clear();
    rows_.clear();
    last_problem_.reset();
    return p;
  }

  /// True when this part and `other` both have a row for some (member, key).
  bool overlaps(const state_rows& other) const {
    for (std::size_t k = 0; k < seen_.size(); ++k) {
      const std::vector<std::uint64_t>&a = seen_[k], &b = other.seen_[k];
      for (std::size_t w = 0; w < std::min(a.size(), b.size()); ++w)
        if (a[w] & b[w]) return true;
    }
    return false;
  }

 private:
  static constexpr std::size_t batch_rows = 4096;
  struct row {
    std::uint32_t member;  // its id: id(member)
    std::uint32_t key;     // schema index; schema size: unknown (last_problem_ says why)
    std::int64_t value;
    std::size_t where;
  };

  std::string_view id(std::size_t i) const noexcept {
    const std::size_t begin = i == 0 ? 0 : id_ends_[i - 1];
    return std::string_view(ids_).substr(begin, id_ends_[i] - begin);
  }

  /// The key's schema index. A member's rows name its keys in the same order for every member
  /// (the writer's), so the key that followed the previous row's key last time is tried first.
  std::uint32_t find_key(std::string_view key) {
    const std::vector<state_key>& schema = into_.schema();
    const auto unknown = static_cast<std::uint32_t>(schema.size());
    std::uint32_t& guess = follows_[last_key_];
    if (guess < unknown && schema[guess].name == key) return last_key_ = guess;
    for (std::uint32_t k = 0; k < unknown; ++k)
      if (schema[k].name == key) return last_key_ = guess = k;
    return last_key_ = unknown;
  }

  /// Marks (m, k) as read here; false when it was read before. One bit per member and key:
  /// 1.25 MB per key at 10M members, so the marks mostly stay in cache.
  bool mark(member_index m, std::size_t k) {
    std::vector<std::uint64_t>& bits = seen_[k];
    if (bits.empty()) bits.assign((into_.net().size() + 63) / 64, 0);
    std::uint64_t& word = bits[m / 64];
    const std::uint64_t bit = std::uint64_t{1} << (m % 64);
    if (word & bit) return false;
    word |= bit;
    return true;
  }

  /// Each queued id's member. A file downline wrote lists members in network-file order, so an
  /// id is mostly found on the row after the previous one's, or a few rows on (past members
  /// without state): compared there first, sequentially; the others looked up in bulk.
  void resolve_members() {
    const network& net = into_.net();
    constexpr std::uint32_t skips = 4;
    members_.assign(id_ends_.size(), none);
    unresolved_.clear();
    for (std::size_t i = 0; i < id_ends_.size(); ++i) {
      const std::string_view wanted = id(i);
      const auto last = static_cast<std::uint32_t>(std::min<std::uint64_t>(std::uint64_t{next_row_} + skips, net.size()));
      std::uint32_t at = next_row_;  // a network-file row
      while (at < last && net.id_at_row(at) != wanted) ++at;
      if (at < last) {
        members_[i] = net.member_at_row(at);
        next_row_ = at + 1;
      } else {
        unresolved_.push_back(static_cast<std::uint32_t>(i));
      }
    }
    if (unresolved_.empty()) return;
    net.find_each(
        0, unresolved_.size(), [&](std::size_t j) { return id(unresolved_[j]); },
        [&](std::size_t j, member_index m, std::string_view) {
          members_[unresolved_[j]] = m;
          return true;
        });
    // The cursor follows the batch's last member for the next batch.
    if (const member_index m = members_.back(); m != none) next_row_ = net.row(m) + 1;
  }

  std::optional<row_problem> apply() {
    resolve_members();
    const std::size_t keys = into_.schema().size();
    constexpr std::size_t ahead = 16;
    for (std::size_t i = 0; i < rows_.size(); ++i) {
      if (i + ahead < rows_.size()) {
        const row& next = rows_[i + ahead];
        if (const member_index a = members_[next.member]; a != none && next.key < keys) {
          into_.prefetch(a, next.key);
          if (!seen_[next.key].empty()) __builtin_prefetch(&seen_[next.key][a / 64], 1);
        }
      }
      const row& r = rows_[i];
      const member_index m = members_[r.member];
      if (m == none) return row_problem{r.where, {"state for a member who is not in the network", std::string(id(r.member))}};
      if (r.key == keys) return row_problem{r.where, std::move(*last_problem_)};
      if (!mark(m, r.key))
        return row_problem{r.where, {fmt::format("a second state row for key {} and member", quote_value(into_.schema()[r.key].name)),
                                     std::string(id(r.member))}};
      if (i + 1 == rows_.size() && last_problem_) return row_problem{r.where, std::move(*last_problem_)};
      into_.set(m, r.key, r.value);
    }
    return std::nullopt;
  }

  state_columns& into_;
  std::vector<std::vector<std::uint64_t>> seen_;  // per key, a bit per member: a row was read
  std::string ids_;                               // the batch's member ids, one per run of rows
  std::vector<std::size_t> id_ends_;
  std::vector<member_index> members_;  // per id, its member (none: not in the network)
  std::vector<std::uint32_t> unresolved_;  // ids not found near the cursor
  std::uint32_t next_row_ = 0;             // the network-file row after the last id found
  std::vector<row> rows_;
  std::optional<problem> last_problem_;  // the last queued row's, found when it was parsed
  std::uint32_t last_key_ = 0;         // the previous row's key
  std::vector<std::uint32_t> follows_;  // per key (and unknown), the key that last came after it
};

/// The earlier carry file `member_id,bonus,left,right`: each row is two carry keys.
member_state read_carry_file(csv_reader& csv, const plan& rules, const network& net) {
  const int member = csv.require_column("member_id"), bonus = csv.require_column("bonus");
  const int left = csv.require_column("left"), right = csv.require_column("right");
  state_columns into(rules, net);
  state_rows rows(into);
  while (csv.next()) {
    const std::string_view id = csv.field(member), name = csv.field(bonus);
    if (net.find(id) == none) csv.fail("carry for a member who is not in the network", id);
    const std::string carry_left = fmt::format("carry_left:{}", name);
    if (std::ranges::none_of(into.schema(), [&](const state_key& k) { return k.name == carry_left; }))
      csv.fail("carry for a bonus that is not a binary bonus of the plan", name);
    for (auto [column, side] : {std::pair{left, "left"}, std::pair{right, "right"}}) {
      auto p = rows.add(id, fmt::format("carry_{}:{}", side, name), csv.field(column), csv.line());
      if (!p) p = rows.flush();
      if (p) {
        if (p->p.value == id) csv.fail(fmt::format("a second carry row for bonus {} and member", quote_value(name)), id);
        csv.fail(fmt::format("{} carry is malformed", side), csv.field(column));
      }
    }
  }
  return into.finish();
}

/// The columns of a `member_id,key,value` file.
struct state_fields {
  int member, key, value;
  explicit state_fields(const csv_reader& csv)
      : member(csv.require_column("member_id")), key(csv.require_column("key")), value(csv.require_column("value")) {}
};

/// Reads csv's remaining rows into `rows`; the first problem, by line.
std::optional<row_problem> read_rows(csv_reader& csv, const state_fields& f, state_rows& rows) {
  for (;;) {
    try {
      if (!csv.next()) break;
    } catch (...) {  // a malformed row: the queued rows come before it
      if (auto p = rows.flush()) return p;
      throw;
    }
    if (auto p = rows.add(csv.field(f.member), csv.field(f.key), csv.field(f.value), csv.line())) return p;
  }
  return rows.flush();
}

member_state read_in_order(const std::filesystem::path& path, const plan& rules, const network& net) {
  csv_reader csv(path);
  const state_fields fields(csv);
  state_columns into(rules, net);
  state_rows rows(into);
  if (auto p = read_rows(csv, fields, rows)) csv.fail(p->where, p->p.what, p->p.value);
  return into.finish();
}

/// Files above this many bytes are read in two parts side by side.
constexpr std::uintmax_t split_above = 1 << 20;

/**
 * The file's rows read in two parts at once, or nullopt when anything is wrong with it: the
 * parts cannot tell which of their problems comes first in the file (a duplicate may be
 * seen from either side), so the caller reads it again in order for the message.
 */
std::optional<member_state> read_in_two_parts(csv_reader& first, const std::filesystem::path& path, csv_split split,
                                              std::uintmax_t bytes, const plan& rules, const network& net) {
  const state_fields fields(first);
  csv_reader second(path, first.header(), split.offset, bytes, first.next_line() + split.newlines);
  first.limit(split.offset);
  state_columns into(rules, net);
  state_rows parts[2] = {state_rows(into), state_rows(into)};
  bool failed[2] = {false, false};
  auto read_part = [&](int part, csv_reader& csv) {
    try {
      failed[part] = read_rows(csv, fields, parts[part]).has_value();
    } catch (...) {
      failed[part] = true;
    }
  };
  detail::side_by_side([&] { read_part(0, first); }, [&] { read_part(1, second); });
  if (failed[0] || failed[1] || parts[0].overlaps(parts[1])) return std::nullopt;
  return into.finish();
}

}  // namespace

member_state read_state(const std::filesystem::path& path, const plan& rules, const network& net) {
  csv_reader csv(path);
  std::optional<member_state> state;
  if (csv.column("key") < 0 && csv.column("bonus") >= 0) {
    state = read_carry_file(csv, rules, net);
  } else {
    const state_fields fields(csv);  // the columns are there before the file is split
    std::error_code ec;
    const std::uintmax_t bytes = std::filesystem::file_size(path, ec);
    if (!ec && bytes > split_above)
      if (auto split = find_csv_split(path, csv.offset(), bytes)) state = read_in_two_parts(csv, path, *split, bytes, rules, net);
    if (!state) state = read_in_order(path, rules, net);
  }
  state->source = csv.source();
  return std::move(*state);
}

member_state read_state(const state_text& text, const plan& rules, const network& net) {
  state_columns into(rules, net);
  if (auto p = into.set_period(text.period))
    throw input_error(fmt::format("state period: {} {}", p->what, quote_value(p->value)));
  state_rows rows(into);
  auto fail = [](const row_problem& p) {
    throw input_error(fmt::format("state row {}: {} {}", p.where, p.p.what, quote_value(p.p.value)));
  };
  for (std::size_t i = 0; i < text.rows.size(); ++i) {
    const state_row& r = text.rows[i];
    if (r.member_id.empty() && r.key == "period") {
      if (auto p = rows.flush()) fail(*p);  // an earlier row's problem comes first
      throw input_error(fmt::format("state row {}: the period is given apart from the rows {}", i, quote_value(r.value)));
    }
    if (auto p = rows.add(r.member_id, r.key, r.value, i)) fail(*p);
  }
  if (auto p = rows.flush()) fail(*p);
  return into.finish();
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
  const state_fields f(csv);
  while (csv.next()) {
    if (csv.field(f.member).empty() && csv.field(f.key) == "period")
      text.period = csv.field(f.value);
    else
      text.rows.push_back({std::string(csv.field(f.member)), std::string(csv.field(f.key)), std::string(csv.field(f.value))});
  }
  return text;
}

DOWNLINE_END_NAMESPACE
