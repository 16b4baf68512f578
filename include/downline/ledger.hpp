// SPDX-License-Identifier: MIT
// The sales ledger: columnar sale lines resolved to members.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "downline/detail/id_list.hpp"
#include "downline/detail/line_numbers.hpp"
#include "downline/network.hpp"
#include "downline/types.hpp"

DOWNLINE_BEGIN_NAMESPACE

enum class sale_kind : std::uint8_t { retail = 0, personal = 1, fee = 2 };
inline constexpr int sale_kind_count = 3;
std::string_view to_string(sale_kind kind) noexcept;

/**
 * One period's (or several periods') sale lines as columns. Amounts are exact millionths
 * of the currency unit, volumes ten-thousandths of a point; the plan's money_decimals is
 * checked at run time against the most precise amount seen (`amount_precision`).
 *
 *     auto net = network::from_csv("network.csv");
 *     auto sales = ledger::from_csv("sales.csv", net);
 */
class ledger {
 public:
  /// Loads sales.csv (SPEC §2) against `net`; every member must exist. O(lines).
  static ledger from_csv(const std::filesystem::path& path, const network& net);

  std::size_t size() const noexcept { return member_.size(); }
  const std::string& source() const noexcept { return source_; }

  member_index member(std::size_t i) const noexcept { return member_[i]; }
  amount_t amount(std::size_t i) const noexcept { return amount_[i]; }
  volume_t volume(std::size_t i) const noexcept { return volume_[i]; }
  sale_kind kind(std::size_t i) const noexcept { return static_cast<sale_kind>(kind_[i]); }
  date_t date(std::size_t i) const noexcept { return date_.empty() ? no_date : date_[i]; }
  /// The line's order_id, or "" when the ledger has none.
  std::string_view order_id(std::size_t i) const noexcept {
    return order_offsets_.empty() ? std::string_view()
                                  : std::string_view(order_ids_.data() + order_offsets_[i],
                                                     order_offsets_[i + 1] - order_offsets_[i]);
  }

  /// Where the first line lacking a date is ("sales.csv:7"), or "" when every line has one.
  const std::string& first_undated() const noexcept { return first_undated_; }

  /// For each count of significant fractional digits d (0..6) of an amount, where the first
  /// such amount is and its text ("" when none): checked against the plan's money_decimals.
  struct precision_witness {
    std::string where, text;
  };
  const std::array<precision_witness, amount_decimals + 1>& amount_precision() const noexcept {
    return precision_;
  }

  const std::vector<member_index>& members() const noexcept { return member_; }

  /// Appends the lines of `more` (resolved against the same network) after these, with its
  /// dates, order ids and precision witnesses: a session adds orders as they arrive.
  /// O(lines of more).
  void append(const ledger& more);
  /// Renumbers every line's member: member m becomes new_of_old[m] (the network was built
  /// again with more members). O(lines).
  void renumber_members(std::span<const member_index> new_of_old);
  /// These lines (ascending) as a ledger of their own, members numbered from `first` (a
  /// subtree's lines, for network::subtree(first)). The precision witnesses are not carried
  /// (the whole ledger was checked); first_undated() is the whole ledger's. O(lines given).
  ledger select(std::span<const std::uint32_t> lines, member_index first) const;
  const std::vector<amount_t>& amounts() const noexcept { return amount_; }
  const std::vector<volume_t>& volumes() const noexcept { return volume_; }

 private:
  friend class ledger_builder;
  std::string source_;
  std::vector<member_index> member_;
  std::vector<amount_t> amount_;
  std::vector<volume_t> volume_;
  std::vector<std::uint8_t> kind_;
  std::vector<date_t> date_;  // empty when no line has a date
  std::string order_ids_;
  std::vector<std::uint64_t> order_offsets_;  // empty when no order ids
  std::string first_undated_;
  std::array<precision_witness, amount_decimals + 1> precision_;
};

/**
 * Builds a ledger line by line from text fields (CSV) or from values (arrays). Member ids
 * are resolved at build(), in bulk (prefetched, on two threads), so a ledger can be parsed
 * while the network is still loading. Every check names the line: "file:line" or
 * "source row i".
 *
 *     detail::background<ledger_builder> parsing([] { return ledger_builder::parse_csv("sales.csv"); });
 *     network net = network::from_csv("network.csv");
 *     ledger sales = parsing.get().build(net);
 */
class ledger_builder {
 public:
  explicit ledger_builder(std::string source, bool rows_are_lines = true);
  /// Binds the network now; build() then needs no argument.
  ledger_builder(const network& net, std::string source, bool rows_are_lines = true);

  /// Parses sales.csv (SPEC §2) without a network: every check but the member ids. Files
  /// of more than `split_above` bytes are split at newlines into split_parts parts parsed on
  /// the threads (not when a quote comes before the last split: a quoted newline could
  /// straddle it); errors are reported in file order either way. Without `order_ids` the order_id
  /// column is not kept (only explanations show it; at 30M lines it takes 0.5 GB).
  static ledger_builder parse_csv(const std::filesystem::path& path, std::uint64_t split_above = split_size,
                                  bool order_ids = true);
  /// Files above this size are worth several parsers (64 MiB).
  static constexpr std::uint64_t split_size = 64 << 20;
  /// Parts a large file is split into: more than the two threads of a small machine, so a
  /// thread busy with something else (loading the network) does not hold a whole half.
  static constexpr std::size_t split_parts = 4;

  void reserve(std::size_t lines);
  /// Adds a line from text; empty `volume` means "equal to amount", empty `kind` is retail.
  void add_text(std::string_view member_id, std::string_view amount, std::string_view volume,
                std::string_view kind, std::string_view date, std::string_view order_id, std::size_t line);
  /// Adds a line from values (amount in millionths, volume in ten-thousandths).
  void add_values(std::string_view member_id, amount_t amount, volume_t volume, sale_kind kind, date_t date,
                  std::string_view order_id, std::size_t line);

  // The sale-line rules (SPEC §2), here once for add_text and for the bindings, which convert
  // their columns to values and call these, so every front end gives the same messages.

  /// A line without a volume: the volume equals the amount (an error when the amount has
  /// more than the 4 decimals a volume holds). `amount_text` is the amount as the user wrote it.
  volume_t volume_from_amount(std::size_t line, amount_t amount, std::string_view amount_text) const;
  /// `retail` (also empty), `personal` or `fee`.
  sale_kind kind_named(std::size_t line, std::string_view name) const;
  /// 0 retail, 1 personal, 2 fee (DOWNLINE_KIND_*).
  sale_kind kind_coded(std::size_t line, std::int64_t code) const;
  /// An ISO date YYYY-MM-DD, or no_date for empty text.
  date_t date_from_text(std::size_t line, std::string_view text) const;
  /// Days since 1970-01-01 (NumPy datetime64[D]), within ±2,000,000 days.
  date_t date_from_days(std::size_t line, std::int64_t days) const;
  /// Resolves every member id against `net` (the first unknown one, in line order, is the
  /// error). O(lines), on two threads.
  ledger build(const network& net) &&;
  ledger build() &&;

  std::string location(std::size_t line) const;
  [[noreturn]] void fail(std::size_t line, std::string_view what, std::string_view value) const;

 private:
  /// Appends the lines of a builder that parsed the rest of the same file.
  void append(ledger_builder&& rest);
  void push(std::string_view member_id, amount_t amount, volume_t volume, sale_kind kind, date_t date,
            std::string_view order_id, std::size_t line);

  const network* net_ = nullptr;
  ledger ledger_;
  bool rows_are_lines_;
  bool any_date_ = false, any_order_ = false;
  detail::id_list ids_;  // member ids, resolved at build()
  detail::line_numbers lines_;  // each line's place in the file, for messages
};

DOWNLINE_END_NAMESPACE
