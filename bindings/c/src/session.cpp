// SPDX-License-Identifier: MIT
// C API: sessions (a period kept open: lines and members added, payouts estimated).
#include <memory>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "downline/date.hpp"
#include "downline/error.hpp"
#include "downline/session.hpp"
#include "guard.hpp"
#include "handles.hpp"

using namespace downline::capi;

struct downline_session {
  std::shared_ptr<const downline::plan> rules;
  std::unique_ptr<downline::session> s;
  std::shared_ptr<const network_data> net;  // the session's network as results refer to it

  const std::shared_ptr<const network_data>& current_network() {
    if (net->owner != s->network_ptr()) net = std::make_shared<const network_data>(s->network_ptr());
    return net;
  }
};

extern "C" {

downline_status downline_session_create(downline_session** out, const downline_plan* plan,
                                        const downline_network* network, const char* period,
                                        const downline_state* state_in) {
  const char* const fn = __func__;
  if (out) *out = nullptr;
  return guarded([&] {
    require(out, "out", fn);
    require(plan, "plan", fn);
    require(network, "network", fn);
    std::optional<downline::commission_period> parsed;
    if (period) {
      parsed = downline::parse_period(period);
      if (!parsed)
        throw status_error(DOWNLINE_ERROR_USAGE,
                           fmt::format("{}: period must be YYYY-MM, YYYY-Www or YYYY-MM-DD..YYYY-MM-DD '{}'", fn, period));
    }
    const downline::network& net = network->data->net;
    downline::member_state state;
    if (state_in)
      state = state_in->source.empty() ? downline::read_state(state_in->text, *plan->rules, net)
                                       : downline::read_state(state_in->source, *plan->rules, net);
    auto session = std::make_unique<downline_session>();
    session->rules = plan->rules;
    session->net = network->data;
    session->s = std::make_unique<downline::session>(*plan->rules, network->data->owner, parsed, std::move(state));
    *out = session.release();
  });
}

downline_status downline_session_add_sales(downline_session* session, size_t count, const char* const* member_ids,
                                           const int64_t* amounts, int money_decimals, const int64_t* volumes,
                                           int volume_decimals, const uint8_t* kinds, const char* const* dates,
                                           const char* const* order_ids) {
  const char* const fn = __func__;
  return guarded([&] {
    require(session, "session", fn);
    downline::ledger_builder builder("sales", false);
    add_sale_arrays(builder, fn, count, member_ids, amounts, money_decimals, volumes, volume_decimals, kinds, dates,
                    order_ids);
    session->s->add_sales(std::move(builder));
  });
}

downline_status downline_session_add_members(downline_session* session, size_t count, const char* const* ids,
                                             const char* const* sponsor_ids, const char* const* placement_ids,
                                             const char* const* positions, const char* const* joined,
                                             const char* const* statuses) {
  const char* const fn = __func__;
  return guarded([&] {
    require(session, "session", fn);
    if (count > 0) {
      require(ids, "ids", fn);
      require(sponsor_ids, "sponsor_ids", fn);
    }
    std::vector<downline::member_row> rows(count);
    for (std::size_t i = 0; i < count; ++i)
      rows[i] = {std::string(text_at(ids, i)),       std::string(text_at(sponsor_ids, i)),
                 std::string(text_at(placement_ids, i)), std::string(text_at(positions, i)),
                 std::string(text_at(joined, i)),    std::string(text_at(statuses, i))};
    session->s->add_members(rows);
  });
}

downline_status downline_session_estimate(downline_result** out, downline_session* session, const char* member_id,
                                          int explain) {
  const char* const fn = __func__;
  if (out) *out = nullptr;
  return guarded([&] {
    require(out, "out", fn);
    require(session, "session", fn);
    auto result = std::make_unique<downline_result>();
    result->rules = session->rules;
    result->net = session->current_network();
    result->sales = std::make_shared<const ledger_data>(session->s->sales_ptr(), result->net);
    result->explained = explain != 0;
    result->one_member = member_id != nullptr;
    if (!member_id) {
      result->r = session->s->estimate(explain != 0);
    } else {
      const downline::member_index m = result->net->net.find(member_id);
      if (m == downline::none)
        throw status_error(DOWNLINE_ERROR_NOT_FOUND,
                           std::string(fn) + ": no member with this id " + downline::quote_value(member_id));
      result->r = session->s->estimate(m, explain != 0);
    }
    *out = result.release();
  });
}

size_t downline_session_line_count(const downline_session* session) {
  return session ? session->s->sales().size() : 0;
}

size_t downline_session_member_count(const downline_session* session) {
  return session ? session->s->net().size() : 0;
}

void downline_session_destroy(downline_session** session) {
  if (!session) return;
  delete *session;
  *session = nullptr;
}

}  // extern "C"
