// SPDX-License-Identifier: MIT
// A period kept open: sale lines and members added as they arrive, payouts estimated so far.
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "downline/detail/kept_level_bases.hpp"
#include "downline/engine.hpp"

DOWNLINE_BEGIN_NAMESPACE

/// One new member for session::add_members, as text (the columns of network.csv, SPEC §2).
struct member_row {
  std::string id, sponsor_id, placement_id, position, joined, status;
};

/**
 * One commission period kept open: the plan, network, period and state in are loaded once;
 * sale lines (and new members) are added as orders arrive; estimate() gives the period's
 * payouts so far, exactly what engine::run gives over the same lines.
 *
 * Adding a line updates its member's PV and amount and the sums per kind in O(1): an
 * estimate neither parses nor aggregates the ledger again. estimate() for everyone runs the
 * stages after the aggregation (engine::run's own code) on those sums. estimate(m) for one
 * member runs them over m's sponsor subtree alone when every bonus of the plan pays m from
 * that subtree only (bonus::pays_from_subtree: unilevel, stairstep, matching, fast_start) and
 * the plan has no payout cap; otherwise (cap, pools, binary, matrix, custom bonuses) it takes
 * m's part of the estimate for everyone, kept until the next add. When every bonus is a
 * unilevel paying by activity alone (no ranks in its rules; detail::kept_level_bases), an
 * unexplained estimate of a large subtree reads its level bases instead, kept current by
 * each add: O(levels) per estimate, O(uplines reached) per line added, once built.
 *
 *     session s(rules, net, parse_period("2026-03"));
 *     s.add_sales(std::move(builder));        // a ledger_builder with the new orders
 *     result mine = s.estimate(net->find("A17"));
 *     result all = s.estimate();
 *
 * Not thread-safe: one caller at a time. A result refers to the network the session had when
 * it was made (network_ptr() keeps it alive after add_members).
 */
class session {
 public:
  /// Checks the state against the period as engine::run does (a state from this period or a
  /// later one is an error). `state_in` is read against `net` (read_state).
  session(plan rules, std::shared_ptr<const network> net, std::optional<commission_period> period = std::nullopt,
          member_state state_in = {});

  /// Adds sale lines, resolved against the session's network. Their errors are those of
  /// ledger_builder::build and engine::run (unknown member, too many decimals for the plan,
  /// an undated line with a period, a member's sums overflowing), and an add that fails
  /// leaves the session unchanged. O(lines added).
  void add_sales(ledger_builder&& lines);

  /// Adds members (sponsor and placement parent: a member already in the network or one of
  /// these). Members are numbered in preorder, so the network is built again: O(members).
  /// Errors name `source` and the row in `rows` as network_builder would ("network row 2");
  /// an add that fails leaves the session unchanged.
  void add_members(std::span<const member_row> rows, const std::string& source = "network");

  /// The period's payouts so far for everyone: equal to engine::run over sales() with
  /// options(explain).
  result estimate(bool explain = false);

  /**
   * What engine::run over sales() gives member m: its payout lines, its explanation lines
   * (when `explain`) and its payables row, numbered as in that run. q and the state are left
   * empty; the summary holds the plan's names, the period and m's own totals per bonus.
   */
  result estimate(member_index m, bool explain = true);

  /// True when estimate(m) computes over m's subtree only (see the class comment).
  bool member_estimates_are_local() const noexcept { return local_; }
  /// True when unexplained estimates of large subtrees read level bases kept current by each
  /// add (see the class comment).
  bool keeps_level_bases() const noexcept { return keeps_level_bases_; }

  const plan& rules() const noexcept { return rules_; }
  const network& net() const noexcept { return *net_; }
  std::shared_ptr<const network> network_ptr() const noexcept { return net_; }
  /// Every line added so far (those outside the period too), in the order added.
  const ledger& sales() const noexcept { return *sales_; }
  /// The same, shared: explanation lines of a result name lines of it (order ids).
  std::shared_ptr<const ledger> sales_ptr() const noexcept { return sales_; }
  const std::optional<commission_period>& period() const noexcept { return period_; }
  const member_state& state_in() const noexcept { return state_in_; }
  /// The placement trees the estimates use.
  const network_layout& layout() const noexcept { return layout_; }
  /// The run_options of an equal engine::run (period, state in, layout, explain).
  run_options options(bool explain = false) const;

 private:
  result estimate_everyone(bool explain) const;
  result estimate_in_subtree(member_index m, bool explain) const;
  result estimate_from_kept_bases(member_index m);
  const result& everyone_cached(bool explain);
  void add_to_sums(const ledger& more, const line_set& lines);
  struct member_sums {
    member_index member;
    volume_t pv;
    amount_t amount;
  };
  /// The members of `lines` (each once) and their sums now.
  std::vector<member_sums> sums_of_members(const ledger& more, const line_set& lines) const;
  void take_lines(const ledger& more, const line_set& lines);
  void renumber(network&& bigger, network_layout&& layout);

  plan rules_;
  std::shared_ptr<const network> net_;
  std::optional<commission_period> period_;
  member_state state_in_;
  /// The network's placement trees for the plan, built once (and again with new members).
  network_layout layout_;
  bool local_ = false;
  /// The plan's pay is read from kept level bases (detail::kept_level_bases::applies).
  bool keeps_level_bases_ = false;
  /// Built by the first estimate that reads them; dropped by add_members and by large adds.
  std::optional<detail::kept_level_bases> kept_bases_;
  std::shared_ptr<ledger> sales_ = std::make_shared<ledger>();
  /// The aggregation kept current: per member Σ volume and Σ amount of its lines in the
  /// period, Σ amount per kind.
  std::vector<volume_t> pv_;
  std::vector<amount_t> amount_;
  std::array<__int128, sale_kind_count> kind_amount_{};
  /// The lines in the period, ascending (every line without a period).
  std::vector<std::uint32_t> period_lines_;
  /// Each member's lines in the period as a list in line order: first and last line per
  /// member, the next line per line (`none` at the end).
  std::vector<std::uint32_t> first_line_, last_line_, next_line_;
  /// The estimate for everyone since the last add (member estimates of non-local plans).
  std::shared_ptr<const result> everyone_;
  bool everyone_explained_ = false;
};

DOWNLINE_END_NAMESPACE
