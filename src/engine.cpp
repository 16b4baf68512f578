// SPDX-License-Identifier: MIT
#include "downline/engine.hpp"

#include <optional>

#include <fmt/format.h>

#include "downline/detail/parallel.hpp"
#include "downline/error.hpp"
#include "downline/ranks.hpp"
#include "stages/stages.hpp"

DOWNLINE_BEGIN_NAMESPACE

namespace stages {

const member_state& previous_state(const run_options& options) {
  static const member_state no_state;
  if (!options.state_in) return no_state;
  const member_state& s = *options.state_in;
  if (s.period && options.period && s.period->end() > options.period->first())
    throw input_error(fmt::format("{}{}state is from period {}; this run is {}: a period would be counted twice",
                                  s.source, s.source.empty() ? "" : ": ", s.period->to_string(),
                                  options.period->to_string()));
  return s;
}

result start_result(const plan& rules, const network& net, const run_options& options, const line_set& lines) {
  result out;
  out.net = &net;
  out.rules = std::make_shared<const plan>(rules);
  out.next_state.period = options.period;
  summary& s = out.totals;
  s.plan_name = rules.name;
  s.currency = rules.currency;
  s.period = options.period;
  s.money_decimals = rules.money_decimals;
  s.members = net.size();
  s.sale_lines = lines.size();
  s.payout_cap = rules.payout_cap;
  return out;
}

qualification qualify_members(const plan& rules, const network& net, std::vector<volume_t> pv,
                              const member_state& previous, const run_options& options) {
  static const overrides no_overrides;
  qualification q = qualify(rules, net, std::move(pv), previous);
  apply_overrides(options.overrides_in ? *options.overrides_in : no_overrides, q);
  return q;
}

void compute_from_sums(const plan& rules, const ledger& sales, const line_set& lines, period_sums sums,
                       const member_state& previous, const run_options& options, result& out,
                       std::optional<detail::background<network_layout>>* laying_out) {
  const network& net = *out.net;
  out.q = qualify_members(rules, net, std::move(sums.pv), previous, options);
  std::optional<network_layout> built;
  if (!options.layout)
    built = laying_out && *laying_out ? (*laying_out)->get() : network_layout::build(net, rules);
  compute_from_qualification(rules, options.layout ? *options.layout : *built, sales, lines, sums.amount, previous,
                             options, nullptr, out);
}

void compute_from_qualification(const plan& rules, const network_layout& layout, const ledger& sales,
                                const line_set& lines, const std::vector<amount_t>& member_amounts,
                                const member_state& previous, const run_options& options,
                                const in_comparison* compared, result& out) {
  static const adjustments no_adjustments;
  const network& net = *out.net;
  record_history(rules, out.q, previous, out.next_state);
  for (std::uint8_t a : out.q.active) out.totals.active_members += a;

  std::vector<bonus_result> results =
      evaluate_bonuses(rules, layout, sales, lines, member_amounts, previous, options.explain,
                       compared ? compared->shared : nullptr, out);
  paid_amounts paid(out.rounded);
  apply_cap(rules, paid, out.totals);
  bonus_result adjusted = apply_adjustments(rules, options.adjustments_in ? *options.adjustments_in : no_adjustments,
                                            paid, options.explain, out);
  std::vector<minor_t> earned = total_payouts(rules, paid, results, out);
  const bool rows = !compared || !compared->member_totals;
  settle_members(rules, net, earned, previous, rows && options.payables, out);
  if (!rows) {
    *compared->member_totals = earned;
    describe_payouts(std::move(earned), out.totals);
  } else {
    // The distribution beside gathering the payout lines (large networks).
    auto describe = [&] { describe_payouts(std::move(earned), out.totals); };
    auto gather = [&] { out.payouts = gather_payout_lines(net, paid, out.totals); };
    if (detail::worth_splitting(net.size())) {
      detail::side_by_side(describe, gather);
    } else {
      describe();
      gather();
    }
  }
  if (options.explain) gather_explanations(results, adjusted, out);
}
}  // namespace stages

namespace {
result run_on_threads(const plan& rules, const network& net, const ledger& sales, const run_options& options) {
  using namespace stages;
  check_precision(rules, sales);
  const member_state& previous = previous_state(options);
  // Without a layout from the caller, the plan's placement trees are built here: beside the
  // ledger passes on large networks, then waited for before the bonuses.
  if (options.layout) options.layout->check(net, rules);
  std::optional<detail::background<network_layout>> laying_out;
  if (!options.layout && detail::worth_splitting(net.size()) && !placement_needs(rules).empty())
    laying_out.emplace([&] { return network_layout::build(net, rules); });
  const line_set lines = lines_in_period(sales, options.period);
  result out = start_result(rules, net, options, lines);

  period_sums sums = aggregate(sales, lines, net, out.totals);
  compute_from_sums(rules, sales, lines, std::move(sums), previous, options, out, &laying_out);
  return out;
}
}  // namespace

result run(const plan& rules, const network& net, const ledger& sales, const run_options& options) {
  return detail::with_threads(options.threads, [&] { return run_on_threads(rules, net, sales, options); });
}

DOWNLINE_END_NAMESPACE
