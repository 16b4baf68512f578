// SPDX-License-Identifier: MIT
// A session: lines and members added, the aggregation kept current, estimates for everyone.
#include "downline/session.hpp"

#include <algorithm>
#include <string_view>
#include <unordered_map>

#include <fmt/format.h>

#include "downline/error.hpp"
#include "stages/stages.hpp"

DOWNLINE_BEGIN_NAMESPACE

namespace {

bool pays_from_subtrees(const plan& rules) {
  if (rules.payout_cap) return false;  // the cap scales everyone by the company's total
  return std::all_of(rules.bonuses.begin(), rules.bonuses.end(), [](const auto& b) { return b->pays_from_subtree(); });
}

/// `values` renumbered: the value of old member m goes to new_of_old[m]; new members get `fill`.
template <class T>
std::vector<T> renumbered(const std::vector<T>& values, const std::vector<member_index>& new_of_old, std::uint32_t n,
                          T fill) {
  std::vector<T> out(n, fill);
  for (std::size_t m = 0; m < values.size(); ++m) out[new_of_old[m]] = values[m];
  return out;
}

}  // namespace

session::session(plan rules, std::shared_ptr<const network> net, std::optional<commission_period> period,
                 member_state state_in)
    : rules_(std::move(rules)), net_(std::move(net)), period_(period), state_in_(std::move(state_in)) {
  stages::previous_state(options());  // a state from this period or a later one is an error now
  layout_ = network_layout::build(*net_, rules_);
  local_ = pays_from_subtrees(rules_);
  keeps_level_bases_ = detail::kept_level_bases::applies(rules_);
  const std::uint32_t n = net_->size();
  pv_.assign(n, 0);
  amount_.assign(n, 0);
  first_line_.assign(n, none);
  last_line_.assign(n, none);
}

run_options session::options(bool explain) const {
  run_options o;
  o.period = period_;
  o.explain = explain;
  o.state_in = &state_in_;
  o.layout = &layout_;
  return o;
}

void session::add_sales(ledger_builder&& lines) {
  const ledger more = std::move(lines).build(*net_);
  if (sales_->size() + more.size() >= none) throw input_error("a session holds fewer than 4294967295 sale lines");
  // engine::run's checks of the whole ledger, on the new lines: the old ones passed them.
  stages::check_precision(rules_, more);
  const line_set in_period = stages::lines_in_period(more, period_);
  // The kept level bases follow a few lines member by member; after more, they are built
  // again when next read.
  const bool follow = kept_bases_ && kept_bases_->fits() && in_period.size() <= net_->size() / 64 + 16;
  const std::vector<member_sums> before = follow ? sums_of_members(more, in_period) : std::vector<member_sums>();
  add_to_sums(more, in_period);
  take_lines(more, in_period);
  if (!follow) kept_bases_.reset();
  for (const member_sums& b : before) kept_bases_->update(b.member, b.pv, b.amount, pv_[b.member], amount_[b.member]);
}

std::vector<session::member_sums> session::sums_of_members(const ledger& more, const line_set& lines) const {
  std::vector<member_index> members;
  members.reserve(lines.size());
  for (std::uint32_t line : lines) members.push_back(more.member(line));
  std::sort(members.begin(), members.end());
  members.erase(std::unique(members.begin(), members.end()), members.end());
  std::vector<member_sums> sums;
  sums.reserve(members.size());
  for (member_index m : members) sums.push_back({m, pv_[m], amount_[m]});
  return sums;
}

void session::add_to_sums(const ledger& more, const line_set& lines) {
  std::size_t done = 0;
  auto undo = [&] {
    for (std::size_t i = 0; i < done; ++i) {
      const member_index m = more.member(lines[i]);
      pv_[m] -= more.volume(lines[i]);
      amount_[m] -= more.amount(lines[i]);
    }
  };
  for (; done < lines.size(); ++done) {
    const std::uint32_t line = lines[done];
    const member_index m = more.member(line);
    volume_t pv;
    amount_t amount;
    if (__builtin_add_overflow(pv_[m], more.volume(line), &pv) ||
        __builtin_add_overflow(amount_[m], more.amount(line), &amount)) {
      undo();
      throw stages::sales_overflow(*net_, m);
    }
    pv_[m] = pv;
    amount_[m] = amount;
  }
  // As aggregate does on the final sums: the first member (in preorder) beyond the bound.
  member_index too_large = none;
  for (std::uint32_t line : lines) {
    const member_index m = more.member(line);
    if (pv_[m] > stages::volume_base_limit || pv_[m] < -stages::volume_base_limit) too_large = std::min(too_large, m);
  }
  if (too_large != none) {
    undo();
    throw stages::volume_overflow(*net_, too_large);
  }
}

void session::take_lines(const ledger& more, const line_set& lines) {
  const auto first = static_cast<std::uint32_t>(sales_->size());
  for (std::uint32_t line : lines) kind_amount_[static_cast<std::size_t>(more.kind(line))] += more.amount(line);
  sales_->append(more);
  next_line_.resize(sales_->size(), none);
  for (std::uint32_t line : lines) {
    const std::uint32_t at = first + line;
    const member_index m = more.member(line);
    period_lines_.push_back(at);
    if (last_line_[m] == none) first_line_[m] = at;
    else next_line_[last_line_[m]] = at;
    last_line_[m] = at;
  }
  everyone_.reset();
}

void session::add_members(std::span<const member_row> rows, const std::string& source) {
  // Each row's own checks (id, position, date, status), named as network_builder names them.
  network_builder alone(source, false);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const member_row& r = rows[i];
    alone.add(r.id, r.sponsor_id, r.placement_id, r.position, r.joined, i);
    if (!r.status.empty()) alone.set_status(r.status);
  }
  auto fail = [&](std::size_t i, std::string_view what, std::string_view value) {
    throw network_error(fmt::format("{} row {}: {} {}", source, i, what, quote_value(value)));
  };
  std::unordered_map<std::string_view, std::size_t> added;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (net_->find(rows[i].id) != none) fail(i, "duplicate id (already in the network)", rows[i].id);
    if (auto [at, fresh] = added.emplace(rows[i].id, i); !fresh)
      fail(i, fmt::format("duplicate id (first on {} row {})", source, at->second), rows[i].id);
  }
  auto known = [&](const std::string& id) { return id.empty() || net_->find(id) != none || added.count(id) != 0; };
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (!known(rows[i].sponsor_id)) fail(i, "unknown sponsor_id", rows[i].sponsor_id);
    if (!known(rows[i].placement_id)) fail(i, "unknown placement_id", rows[i].placement_id);
  }
  // The whole network again; a new member's location is the row it has there.
  network_builder all = network_builder::extending(*net_);
  bool joined = net_->has_joined();
  for (const member_row& r : rows) joined = joined || !r.joined.empty();
  all.set_has_joined(joined);
  const std::uint32_t n = net_->size();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const member_row& r = rows[i];
    all.add(r.id, r.sponsor_id, r.placement_id, r.position, r.joined, n + i);
    if (!r.status.empty()) all.set_status(r.status);
  }
  network bigger = std::move(all).build();
  network_layout layout = network_layout::build(bigger, rules_);  // a bad placement fails here
  renumber(std::move(bigger), std::move(layout));
}

void session::renumber(network&& bigger_net, network_layout&& layout) {
  auto bigger = std::make_shared<const network>(std::move(bigger_net));
  const network& old = *net_;
  const std::uint32_t n = bigger->size();
  // Rows keep their order (the new ones come after): a member is the same row in both.
  std::vector<member_index> new_of_old(old.size()), old_of_new(n, none);
  for (std::uint32_t r = 0; r < old.size(); ++r) {
    new_of_old[old.member_at_row(r)] = bigger->member_at_row(r);
    old_of_new[bigger->member_at_row(r)] = old.member_at_row(r);
  }
  auto pv = renumbered<volume_t>(pv_, new_of_old, n, 0);
  auto amount = renumbered<amount_t>(amount_, new_of_old, n, 0);
  auto first = renumbered<std::uint32_t>(first_line_, new_of_old, n, none);
  auto last = renumbered<std::uint32_t>(last_line_, new_of_old, n, none);
  member_state state = state_in_.select(old_of_new);
  // Nothing above changed the session: from here nothing throws.
  sales_->renumber_members(new_of_old);
  pv_.swap(pv);
  amount_.swap(amount);
  first_line_.swap(first);
  last_line_.swap(last);
  state_in_ = std::move(state);
  net_ = std::move(bigger);
  layout_ = std::move(layout);
  everyone_.reset();
  kept_bases_.reset();
}

result session::estimate(bool explain) { return estimate_everyone(explain); }

result session::estimate_everyone(bool explain) const {
  const run_options o = options(explain);
  const line_set lines = period_ ? line_set(period_lines_) : line_set::all(sales_->size());
  result out = stages::start_result(rules_, *net_, o, lines);
  out.totals.kind_amount = kind_amount_;
  for (auto a : kind_amount_) out.totals.total_amount += a;
  stages::compute_from_sums(rules_, *sales_, lines, stages::period_sums{pv_, amount_}, state_in_, o, out);
  return out;
}

DOWNLINE_END_NAMESPACE
