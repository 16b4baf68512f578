// SPDX-License-Identifier: MIT
#include "downline/compare.hpp"

#include <algorithm>
#include <exception>
#include <memory>
#include <optional>

#include <fmt/format.h>

#include "downline/decimal.hpp"
#include "downline/detail/parallel.hpp"
#include "downline/detail/shared_work.hpp"
#include "downline/detail/write_rows.hpp"
#include "downline/error.hpp"
#include "downline/io/csv.hpp"
#include "downline/ranks.hpp"
#include "downline/summary_json.hpp"
#include "stages/stages.hpp"

DOWNLINE_BEGIN_NAMESPACE

namespace {
// compare.csv heads its columns with plan names, so two plans may not share one.
void check_names_differ(const std::vector<const plan*>& plans) {
  for (std::size_t i = 0; i < plans.size(); ++i)
    for (std::size_t j = i + 1; j < plans.size(); ++j)
      if (plans[i]->name == plans[j]->name)
        throw plan_error(fmt::format("plans {} and {} have the same name; compared plans need distinct names {}", i + 1,
                                     j + 1, quote_value(plans[j]->name)));
}

/// The outcome of a run, given each member's total payout in network-file row order.
plan_outcome outcome_with(const result& r, const plan& rules, std::vector<minor_t> member_totals) {
  plan_outcome o;
  o.totals = r.totals;
  const network& net = *r.net;
  o.member_totals = std::move(member_totals);
  if (rules.ranks.empty()) {
    o.paid_rank.assign(net.size(), no_rank);  // every member's, without a gather in row order
  } else {
    o.paid_rank.resize(net.size());
    for (std::uint32_t row = 0; row < net.size(); ++row) o.paid_rank[row] = r.q.rank[net.member_at_row(row)];
  }
  for (const rank_definition& rank : rules.ranks) o.rank_names.push_back(rank.name);
  if (!r.lines.empty()) {
    o.level_totals.resize(r.bonus_names.size());
    for (const explanation& e : r.lines) {
      auto& levels = o.level_totals[e.bonus];
      if (levels.size() <= e.level) levels.resize(e.level + 1, 0);
      levels[e.level] += e.amount;
    }
  }
  return o;
}
/// A value computed once for several plans, or the error computing it threw (rethrown for
/// each plan that needs it, as its own run would).
template <class T>
struct computed {
  std::optional<T> value;
  std::exception_ptr error;

  template <class F>
  static computed of(F&& f) {
    computed c;
    try {
      c.value.emplace(f());
    } catch (...) {
      c.error = std::current_exception();
    }
    return c;
  }
  const T& get() const {
    if (error) std::rethrow_exception(error);
    return *value;
  }
};

/**
 * The stages the compared plans share, each computed once: the period's lines and sums for
 * each distinct period; the qualification for each group of plans over one period that
 * qualify alike (same rules, same state and overrides objects), with a shared_work for their
 * bonuses. run(i) is then plan i's outcome, exactly as engine::run would give it; every plan's
 * options name its layout.
 */
class shared_stages {
 public:
  shared_stages(const std::vector<const plan*>& plans, const network& net, const ledger& sales,
                const std::vector<run_options>& options)
      : plans_(plans), net_(net), sales_(sales), options_(options), basis_of_(plans.size()), group_of_(plans.size()) {
    for (std::size_t i = 0; i < plans.size(); ++i) {
      basis_of_[i] = find_basis(i);
      group_of_[i] = find_group(i);
    }
  }

  plan_outcome run(std::size_t i) const {
    const plan& rules = *plans_[i];
    const run_options& options = options_[i];
    stages::check_precision(rules, sales_);  // the plan's own checks first, as its run makes them
    const member_state& previous = stages::previous_state(options);
    options.layout->check(net_, rules);
    const stages::period_basis& basis = bases_[basis_of_[i]].get();
    group& g = *groups_[group_of_[i]];
    result out = stages::start_result(rules, net_, options, basis.lines);
    out.totals.kind_amount = basis.sold.kind_amount;
    out.totals.total_amount = basis.sold.total_amount;
    out.q = g.q.get();
    std::vector<minor_t> earned;  // per member: no payout lines or payables rows are made
    // A plan alone in its group shares nothing: its bonuses work as in a run of their own.
    const stages::in_comparison compared{g.plans > 1 ? &g.work : nullptr, &earned};
    stages::compute_from_qualification(rules, *options.layout, sales_, basis.lines, basis.sums.amount, previous,
                                       options, &compared, out);
    std::vector<minor_t> by_row(net_.size());
    for (std::uint32_t row = 0; row < net_.size(); ++row) by_row[row] = earned[net_.member_at_row(row)];
    return outcome_with(out, rules, std::move(by_row));
  }

 private:
  struct group {
    std::size_t first_plan, plans = 1;
    computed<qualification> q;
    detail::shared_work work;
  };

  static bool same_days(const std::optional<commission_period>& a, const std::optional<commission_period>& b) {
    if (!a || !b) return !a && !b;
    return a->first() == b->first() && a->end() == b->end();
  }

  std::size_t find_basis(std::size_t i) {
    for (std::size_t j = 0; j < i; ++j)
      if (same_days(options_[j].period, options_[i].period)) return basis_of_[j];
    bases_.push_back(computed<stages::period_basis>::of(
        [&] { return stages::open_period(sales_, net_, options_[i].period); }));
    return bases_.size() - 1;
  }

  std::size_t find_group(std::size_t i) {
    const run_options& o = options_[i];
    for (std::size_t g = 0; g < groups_.size(); ++g) {
      const std::size_t j = groups_[g]->first_plan;
      if (basis_of_[j] == basis_of_[i] && qualify_alike(*plans_[j], *plans_[i]) && options_[j].state_in == o.state_in &&
          options_[j].overrides_in == o.overrides_in) {
        ++groups_[g]->plans;
        return g;
      }
    }
    auto& g = *groups_.emplace_back(std::make_unique<group>());
    g.first_plan = i;
    g.q = computed<qualification>::of([&] {
      const stages::period_basis& basis = bases_[basis_of_[i]].get();
      return stages::qualify_members(*plans_[i], net_, basis.sums.pv, stages::previous_state(o), o);
    });
    return groups_.size() - 1;
  }

  const std::vector<const plan*>& plans_;
  const network& net_;
  const ledger& sales_;
  const std::vector<run_options>& options_;
  std::vector<computed<stages::period_basis>> bases_;
  std::vector<std::unique_ptr<group>> groups_;
  std::vector<std::size_t> basis_of_, group_of_;  // per plan: its basis and group
};
}  // namespace

plan_outcome outcome_of(const result& r, const plan& rules) {
  std::vector<minor_t> totals(r.net->size(), 0);
  for (const payout_line& p : r.payouts) totals[p.row] += p.amount;  // the engine checked the sums fit
  return outcome_with(r, rules, std::move(totals));
}

namespace {
comparison compare_on_threads(const std::vector<const plan*>& plans, const network& net, const ledger& sales,
                              const std::vector<run_options>& options) {
  // One layout for every plan that brings none: the union of their placement trees.
  std::vector<run_options> per_plan = options.empty() ? std::vector<run_options>(plans.size()) : options;
  std::optional<network_layout> shared;
  if (std::any_of(per_plan.begin(), per_plan.end(), [](const run_options& o) { return !o.layout; })) {
    shared = network_layout::build(net, placement_needs(plans));
    for (run_options& o : per_plan)
      if (!o.layout) o.layout = &*shared;
  }
  for (run_options& o : per_plan) o.threads = 0;  // the comparison's threads, not an arena per plan
  const shared_stages common(plans, net, sales, per_plan);
  // Two plans at a time on large networks (each run is parallel inside; a second one fills
  // its serial stretches), not more: each holds its per-member tables. Errors are rethrown
  // in plan order.
  std::vector<plan_outcome> outcomes(plans.size());
  std::vector<std::exception_ptr> errors(plans.size());
  auto evaluate = [&](std::size_t i) {
    try {
      outcomes[i] = common.run(i);
    } catch (...) {
      errors[i] = std::current_exception();
    }
  };
  const std::size_t at_once = detail::worth_splitting(net.size()) ? 2 : 1;
  for (std::size_t i = 0; i < plans.size(); i += at_once) {
    if (at_once == 2 && i + 1 < plans.size())
      detail::side_by_side([&] { evaluate(i); }, [&] { evaluate(i + 1); });
    else
      evaluate(i);
  }
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
  return {&net, std::move(outcomes)};
}
}  // namespace

comparison compare(const std::vector<const plan*>& plans, const network& net, const ledger& sales,
                   const std::vector<run_options>& options) {
  if (!options.empty() && options.size() != plans.size())
    throw error(errc::usage, fmt::format("compare: {} plans but {} run options", plans.size(), options.size()));
  check_names_differ(plans);
  const unsigned threads = options.empty() ? 0 : options[0].threads;
  for (const run_options& o : options)
    if (o.threads != threads)
      throw error(errc::usage, fmt::format("compare: the plans' run options name different thread counts ({} and {})",
                                           threads, o.threads));
  return detail::with_threads(threads, [&] { return compare_on_threads(plans, net, sales, options); });
}

void write_comparison(output_file& out, const comparison& c) {
  std::string& header = out.buffer();
  header += "member_id";
  for (const plan_outcome& p : c.plans) {
    header += ',';
    append_csv_field(header, p.totals.plan_name);
  }
  header += '\n';
  const network& net = *c.net;
  detail::write_rows(out, net.size(), [&](std::string& b, std::size_t row) {
    bool paid = false;
    for (const plan_outcome& p : c.plans) paid |= p.member_totals[row] != 0;
    if (!paid) return;
    b += net.id_at_row(static_cast<std::uint32_t>(row));
    for (const plan_outcome& p : c.plans) {
      b += ',';
      append_fixed(b, p.member_totals[row], p.totals.money_decimals);
    }
    b += '\n';
  });
}

std::string comparison_json(const comparison& c) {
  json_value plans = json_value::array();
  for (const plan_outcome& p : c.plans) plans.push_back(summary_json(p.totals));
  json_value j;
  j["plans"] = std::move(plans);
  return j.dump(2) + "\n";
}

DOWNLINE_END_NAMESPACE
