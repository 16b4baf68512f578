// SPDX-License-Identifier: MIT
// The stages of one period's run, in the order engine::run calls them. Internal: not installed.
#pragma once

#include <cstdint>
#include <optional>
#include <limits>
#include <memory>
#include <vector>

#include "downline/detail/parallel.hpp"
#include "downline/engine.hpp"
#include "downline/error.hpp"
#include "downline/overrides.hpp"
#include "downline/result.hpp"

DOWNLINE_BEGIN_NAMESPACE
namespace stages {

/// Per member, Σ volume (PV) and Σ amount of its lines in the period.
struct period_sums {
  std::vector<volume_t> pv;
  std::vector<amount_t> amount;
};

/**
 * What each (payout, member) is paid, in minor units: one column per plan bonus, plus one for
 * the `adjustment` payout when an adjustment names it. A column is the bonus's rounded
 * amounts (result::rounded) until the cap or an adjustment changes it; then it is a copy.
 */
class paid_amounts {
 public:
  paid_amounts(const std::vector<std::vector<minor_t>>& rounded) {
    for (const auto& r : rounded) columns_.push_back(&r);
  }
  std::size_t size() const noexcept { return columns_.size(); }
  const std::vector<minor_t>& operator[](std::size_t b) const noexcept { return *columns_[b]; }
  /// Column b as a copy of its own, to change.
  std::vector<minor_t>& own(std::size_t b);
  /// A new column of zeros for `members` members.
  std::vector<minor_t>& add(std::uint32_t members);

 private:
  std::vector<const std::vector<minor_t>*> columns_;
  std::vector<std::unique_ptr<std::vector<minor_t>>> owned_;
};

/// The result's fixed parts: what the run is (plan, network, period, lines), before anything
/// is computed.
result start_result(const plan& rules, const network& net, const run_options& options, const line_set& lines);

/**
 * Every stage after the aggregation, in order: ranks with history, overrides, bonuses, cap,
 * adjustments, totals, settlement, payout and explanation lines, into `out` (made by
 * start_result, with the aggregation's sums per kind in out.totals). engine::run calls it
 * on the sums it aggregated; a session on the sums it kept up to date as lines were added.
 * The layout is options.layout, else `*laying_out` (being built beside the ledger passes),
 * else built here.
 */
void compute_from_sums(const plan& rules, const ledger& sales, const line_set& lines, period_sums sums,
                       const member_state& previous, const run_options& options, result& out,
                       std::optional<detail::background<network_layout>>* laying_out = nullptr);

/// Ranks and activity (with history, SPEC §7.3) and the back office's overrides (§7.4): what
/// the bonuses read. `pv` is each member's PV in the period.
qualification qualify_members(const plan& rules, const network& net, std::vector<volume_t> pv,
                              const member_state& previous, const run_options& options);

/// How compare evaluates one of its plans (compute_from_qualification).
struct in_comparison {
  /// Work the plan's bonuses share with the other plans of the same period and
  /// qualification, or null (nothing shared).
  detail::shared_work* shared = nullptr;
  /// Receives each member's total payout (member order); then neither payout lines nor
  /// payables rows are kept, only totals (compare reads nothing else).
  std::vector<minor_t>* member_totals = nullptr;
};

/**
 * compute_from_sums after the qualification (out.q, qualify_members' result for this plan's
 * rules, state and overrides), over `layout`: history, bonuses, cap, … Compare calls it for
 * each plan, with `compared`, over a period and a qualification computed once for several
 * plans; a run with null.
 */
void compute_from_qualification(const plan& rules, const network_layout& layout, const ledger& sales,
                                const line_set& lines, const std::vector<amount_t>& member_amounts,
                                const member_state& previous, const run_options& options,
                                const in_comparison* compared, result& out);

/// A member's |PV| above this does not fit a volume base (volume × 100, in millionths).
inline constexpr volume_t volume_base_limit = std::numeric_limits<base_t>::max() / (amount_scale / volume_scale);

/// The errors of a member's sums in the period: Σ volume or Σ amount leaving 64 bits, and
/// a PV beyond volume_base_limit.
overflow_error sales_overflow(const network& net, member_index m);
overflow_error volume_overflow(const network& net, member_index m);

/// Money decimals of the ledger fit the plan (an error names the first line that does not).
void check_precision(const plan& rules, const ledger& sales);

/// The state handed over by the previous period: none, or one from an earlier period (an error
/// names both periods otherwise: SPEC §7.2).
const member_state& previous_state(const run_options& options);

/// The ledger lines inside the period (all without one; then every line needs a date).
line_set lines_in_period(const ledger& sales, const std::optional<commission_period>& period);

/// PV and amount per member over the period's lines; Σ amount per kind and in total into `s`.
period_sums aggregate(const ledger& sales, const line_set& lines, const network& net, summary& s);

/// What every plan over the same network, ledger and period starts from: the period's lines,
/// their per-member sums, and Σ amount per kind and in total (`sold`; its other fields unset).
struct period_basis {
  line_set lines;
  period_sums sums;
  summary sold;
};

/// The period's lines and their sums (compare computes them once for all its plans).
period_basis open_period(const ledger& sales, const network& net, const std::optional<commission_period>& period);

/// Each bonus in plan order over the period, each (member, bonus) rounded once into
/// out.rounded; stateful bonuses write their keys into out.next_state. `layout` holds the
/// placement trees the plan needs (checked). `shared`: see in_comparison.
std::vector<bonus_result> evaluate_bonuses(const plan& rules, const network_layout& layout, const ledger& sales,
                                           const line_set& lines,
                                           const std::vector<amount_t>& member_amounts, const member_state& previous,
                                           bool explain, detail::shared_work* shared, result& out);

/// The payout cap (SPEC §5.8): positive amounts scaled by cap/sum, rounded toward zero; the
/// cap's figures go to `s`.
void apply_cap(const plan& rules, paid_amounts& paid, summary& s);

/// Manual adjustments after the cap (SPEC §7.4): added to the paid amounts, unscaled; returns
/// their explanation lines (one per row, the note as detail) when `explain`.
bonus_result apply_adjustments(const plan& rules, const adjustments& given, paid_amounts& paid, bool explain,
                               result& out);

/// Bonus totals and earners into out.totals; returns each member's total payout (earned).
std::vector<minor_t> total_payouts(const plan& rules, const paid_amounts& paid, std::vector<bonus_result>& results,
                                   result& out);

/// Settlement (SPEC §11): payables (when kept) from each member's earned total and its
/// `balance` in the previous state into out.settled and out.totals; the balances out become
/// out.next_state's `balance`.
void settle_members(const plan& rules, const network& net, const std::vector<minor_t>& earned,
                    const member_state& previous, bool keep_payables, result& out);

/// The earnings distribution of `s` (earners, median, p90, p99, max) from members' totals.
void describe_payouts(std::vector<minor_t> totals, summary& s);

/// One payout line per non-zero (member, payout): network-file order, then plan order.
std::vector<payout_line> gather_payout_lines(const network& net, const paid_amounts& paid, const summary& s);

/// The bonuses' explanation lines and detail strings, then the adjustments', into `out`,
/// sorted (SPEC §8).
void gather_explanations(std::vector<bonus_result>& results, bonus_result& adjusted, result& out);

}  // namespace stages
DOWNLINE_END_NAMESPACE
