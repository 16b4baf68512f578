// SPDX-License-Identifier: MIT
#include "downline/network.hpp"

#include <atomic>

#include <fmt/format.h>

#include "downline/date.hpp"
#include "downline/decimal.hpp"
#include "downline/detail/parallel.hpp"
#include "downline/detail/utf8.hpp"
#include "downline/error.hpp"
#include "downline/io/csv.hpp"

DOWNLINE_BEGIN_NAMESPACE

namespace {
constexpr std::size_t max_id_bytes = 64;

const char* id_problem(std::string_view id) {
  if (id.empty()) return "empty member id";
  if (id.size() > max_id_bytes) return "member id longer than 64 bytes";
  // One pass, no per-character search of a set (this runs for every member).
  bool ascii = true;
  for (char c : id) {
    if (c == ',' || c == '"' || c == '\r' || c == '\n') return "member id with a comma, quote or newline";
    ascii = ascii && c > 0 && c < 0x7F;
  }
  if (!ascii && !detail::is_clean_text(id)) return "member id that is not UTF-8 text (a NUL byte or malformed UTF-8)";
  return nullptr;
}

/// Each row's sponsored rows, in file order, as compressed sparse rows: the children of row r
/// are targets[row_starts[r] .. row_starts[r + 1]). A counting sort by sponsor, O(n).
struct children_lists {
  std::vector<std::uint32_t> row_starts, targets;

  explicit children_lists(const std::vector<std::uint32_t>& sponsor) : row_starts(sponsor.size() + 2, 0) {
    const std::size_t n = sponsor.size();
    for (std::uint32_t s : sponsor)
      if (s != none) ++row_starts[s + 2];
    for (std::size_t i = 2; i < n + 2; ++i) row_starts[i] += row_starts[i - 1];
    targets.resize(row_starts[n + 1]);
    // row_starts[s + 1] is s's fill cursor: it ends at s's end, which is where s + 1 starts.
    for (std::uint32_t r = 0; r < n; ++r)
      if (sponsor[r] != none) targets[row_starts[sponsor[r] + 1]++] = r;
    row_starts.pop_back();
  }
};
}  // namespace

std::uint64_t network::next_identity() noexcept {
  static std::atomic<std::uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

std::string network::where(member_index m) const {
  const std::size_t line = lines_[row_[m]];
  return rows_are_lines_ ? fmt::format("{}:{}", source_, line) : fmt::format("{} row {}", source_, line);
}

network network::from_csv(const std::filesystem::path& path) {
  csv_reader csv(path);
  const int id = csv.require_column("id");
  const int sponsor = csv.require_column("sponsor_id");
  const int placement = csv.column("placement_id");
  const int position = csv.column("position");
  const int joined = csv.column("joined");
  const int status = csv.column("status");
  network_builder builder(csv.source());
  builder.set_has_joined(joined >= 0);
  std::error_code ec;
  auto bytes = std::filesystem::file_size(path, ec);
  if (!ec) builder.reserve(static_cast<std::size_t>(bytes / 12));
  while (csv.next()) {
    builder.add(csv.field(id), csv.field(sponsor), csv.field(placement), csv.field(position), csv.field(joined),
                csv.line());
    if (status >= 0) builder.set_status(csv.field(status));
  }
  return std::move(builder).build();
}

network_builder::network_builder(std::string source, bool rows_are_lines)
    : source_(std::move(source)), rows_are_lines_(rows_are_lines) {}

void network_builder::reserve(std::size_t rows) {
  ids_.reserve(rows, rows * 8);
  sponsor_ids_.reserve(rows * 8);
}

std::string network_builder::location(std::size_t line) const {
  return rows_are_lines_ ? fmt::format("{}:{}", source_, line) : fmt::format("{} row {}", source_, line);
}

void network_builder::fail(std::size_t line, std::string_view what, std::string_view value) const {
  throw network_error(fmt::format("{}: {} {}", location(line), what, quote_value(value)));
}

void network_builder::add(std::string_view id, std::string_view sponsor_id, std::string_view placement_id,
                          std::string_view position, std::string_view joined, std::size_t line) {
  if (const char* problem = id_problem(id)) fail(line, problem, id);
  const std::uint32_t before = ids_.size();
  ids_.append(id);  // duplicates are found when build() indexes the ids
  lines_.push_back(line);

  auto reference = [&](std::string_view ref, detail::id_list& to) {
    if (ref.size() > max_id_bytes) fail(line, "unknown member id (longer than 64 bytes)", ref);
    to.push_back(ref);
  };
  reference(sponsor_id, sponsor_ids_);
  if (!placement_id.empty() || !position.empty()) {
    if (!has_placement_) {
      has_placement_ = true;
      for (std::uint32_t r = 0; r < before; ++r) placement_ids_.push_back("");
      position_.assign(before, no_position);
    }
  }
  if (has_placement_) {
    reference(placement_id, placement_ids_);
    position_t pos = no_position;
    if (position == "L" || position == "l") pos = position_left;
    else if (position == "R" || position == "r") pos = position_right;
    else if (!position.empty()) {
      std::int64_t slot = 0;
      if (parse_decimal(position, 0, slot) != parse_status::ok || slot < 1 || slot > 1'000'000)
        fail(line, "position is not L, R or a matrix slot 1..width", position);
      pos = static_cast<position_t>(slot);
    }
    position_.push_back(pos);
  }
  if (!joined.empty()) {
    auto parsed = parse_date(joined);
    if (!parsed) fail(line, "joined is not a date YYYY-MM-DD", joined);
    if (joined_.empty()) joined_.assign(before, no_date);  // the first date: kept from now on
    joined_.push_back(*parsed);
  } else if (!joined_.empty()) {
    joined_.push_back(no_date);
  }
}

void network_builder::set_status(std::string_view status) {
  const auto parsed = parse_member_status(status);
  if (!parsed) fail(lines_[ids_.size() - 1], "status is not active, hold or terminated", status);
  if (*parsed == member_status::active && status_.empty()) return;
  status_.resize(ids_.size() - 1, member_status::active);  // the rows before, and any without a call
  status_.push_back(*parsed);
}

network network_builder::build() && {
  const std::uint32_t n = ids_.size();
  if (n == 0) throw network_error(fmt::format("{}: no members ''", rows_are_lines_ ? source_ + ":2" : source_));
  if (auto [first, second] = ids_.build_index(); first != none)
    fail(lines_[second], fmt::format("duplicate id (first on {})", location(lines_[first])), ids_.id(second));
  // Sponsor (and placement parent) rows by bulk lookup; the first unknown one is the error.
  auto resolve = [&](const detail::id_list& refs, std::vector<std::uint32_t>& rows, const char* what) {
    rows.resize(n);
    auto next = refs.from(0);
    ids_.find_each(
        0, n, [&](std::size_t) { return next.next(); },
        [&](std::size_t r, std::uint32_t target, std::string_view id) {
          if (target == none && !id.empty()) fail(lines_[r], what, id);
          rows[r] = target;
          return true;
        });
  };

  std::vector<std::uint32_t> sponsor;
  resolve(sponsor_ids_, sponsor, "unknown sponsor_id");
  std::vector<std::uint32_t> placement_row;
  if (has_placement_) resolve(placement_ids_, placement_row, "unknown placement_id");
  sponsor_ids_.clear();
  placement_ids_.clear();

  const children_lists children(sponsor);

  // Preorder numbers (roots in file order, children in file order) without a depth-first
  // walk, whose every step waits for a cache miss. A breadth-first order puts each member's
  // children in one run, after their parent, so parents' positions never decrease along it:
  // subtree sizes (backwards) and preorder numbers (forwards) are then sequential passes.
  // Only the breadth-first pass reads the children lists at random, a few members ahead.
  const auto& row_starts = children.row_starts;
  const auto& targets = children.targets;
  std::vector<std::uint32_t> order, parent_at;  // by position: the row, its parent's position
  order.reserve(n);
  parent_at.reserve(n);
  for (std::uint32_t r = 0; r < n; ++r)
    if (sponsor[r] == none) {
      order.push_back(r);
      parent_at.push_back(none);
    }
  const std::size_t roots = order.size();
  for (std::size_t i = 0; i < order.size(); ++i) {
    if (i + 8 < order.size()) __builtin_prefetch(&row_starts[order[i + 8]]);
    if (i + 4 < order.size()) __builtin_prefetch(targets.data() + row_starts[order[i + 4]]);
    const std::uint32_t r = order[i];
    for (auto e = row_starts[r]; e < row_starts[r + 1]; ++e) {
      order.push_back(targets[e]);
      parent_at.push_back(static_cast<std::uint32_t>(i));
    }
  }
  const auto reached = static_cast<member_index>(order.size());
  std::vector<std::uint32_t> size(reached, 1);
  for (std::size_t i = reached; i-- > roots;) size[parent_at[i]] += size[i];
  std::vector<member_index> pre(reached);
  member_index next = 0;
  for (std::size_t i = 0; i < roots; ++i) {
    pre[i] = next;
    next += size[i];
  }
  std::uint32_t last_parent = none;
  member_index cursor = 0;
  for (std::size_t i = roots; i < reached; ++i) {
    if (parent_at[i] != last_parent) {  // the first of a run of siblings
      last_parent = parent_at[i];
      cursor = pre[last_parent] + 1;
    }
    pre[i] = cursor;
    cursor += size[i];
  }

  network net;
  net.row_.resize(n);
  net.parent_.resize(n);
  net.end_.resize(n);
  net.member_at_row_.assign(n, none);
  detail::parallel_for(reached, [&](std::size_t, std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      const member_index m = pre[i];
      net.row_[m] = order[i];
      net.parent_[m] = parent_at[i] == none ? none : pre[parent_at[i]];
      net.end_[m] = m + size[i];
      net.member_at_row_[order[i]] = m;
    }
  });
  if (reached != n) {
    // Someone is unreachable from every root: walking up from it must enter a cycle.
    std::uint32_t r = 0;
    while (net.member_at_row_[r] != none) ++r;
    std::vector<std::uint8_t> seen(n, 0);
    while (!seen[r]) {
      seen[r] = 1;
      r = sponsor[r];
    }
    fail(lines_[r], "sponsor cycle through member", ids_.id(r));
  }

  net.source_ = std::move(source_);
  net.rows_are_lines_ = rows_are_lines_;
  net.has_joined_ = has_joined_;
  net.has_placement_ = has_placement_;
  const bool any_joined = !joined_.empty();
  if (any_joined) net.joined_.resize(n);
  const bool any_status = !status_.empty();
  if (any_status) {
    status_.resize(n, member_status::active);  // rows after the last one that was set
    net.status_.resize(n);
  }
  if (has_placement_) {
    net.placement_parent_.resize(n);
    net.position_.resize(n);
  }
  // Gathers by row, prefetching a few members ahead.
  if (any_joined || has_placement_ || any_status) {
    detail::parallel_for(n, [&](std::size_t, std::size_t begin, std::size_t end) {
      for (auto m = static_cast<member_index>(begin); m < end; ++m) {
        if (m + 16 < end && any_joined) __builtin_prefetch(&joined_[net.row_[m + 16]]);
        const std::uint32_t r = net.row_[m];
        if (any_joined) net.joined_[m] = joined_[r];
        if (any_status) net.status_[m] = status_[r];
        if (has_placement_) {
          net.placement_parent_[m] = placement_row[r] == none ? none : net.member_at_row_[placement_row[r]];
          net.position_[m] = position_[r];
        }
      }
    });
  }
  ids_.renumber(net.member_at_row_);
  net.ids_ = std::move(ids_);
  net.lines_ = std::move(lines_);
  return net;
}

DOWNLINE_END_NAMESPACE
