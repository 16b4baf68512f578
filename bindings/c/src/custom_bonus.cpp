// SPDX-License-Identifier: MIT
// C API: bonus types implemented in C, adapted to the C++ `bonus` interface.
#include <array>
#include <cstring>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "downline/bonus.hpp"
#include "downline/decimal.hpp"
#include "downline/error.hpp"
#include "downline/plan.hpp"
#include "guard.hpp"

using namespace downline::capi;
using downline::exact_t;
using downline::member_index;

namespace {

constexpr std::size_t message_size = 512;

// Owns the registered callbacks; the payload is released when the last user lets go.
struct c_type {
  downline_bonus_type callbacks{};
  std::string name;
  bool armed = false;  // set once registered: a failed registration leaves the payload alone
  ~c_type() {
    if (armed && callbacks.release_payload) callbacks.release_payload(callbacks.payload);
  }
};

// One bonus of a plan: its type and what `configure` returned.
struct c_bonus_data {
  std::shared_ptr<const c_type> type;
  void* data = nullptr;
  explicit c_bonus_data(std::shared_ptr<const c_type> t) : type(std::move(t)) {}
  c_bonus_data(const c_bonus_data&) = delete;
  c_bonus_data& operator=(const c_bonus_data&) = delete;
  ~c_bonus_data() {
    if (data && type->callbacks.release_bonus) type->callbacks.release_bonus(type->callbacks.payload, data);
  }
};

// What downline_bonus_credit needs, behind downline_bonus_output::internal.
struct output_state {
  const downline::period_input* in;
  std::vector<exact_t> credited;  // by member index
  std::vector<downline::explanation> lines;
};

std::string message_text(const char* message, const char* fallback) {
  return message[0] ? std::string(message) : std::string(fallback);
}

// The bonus's JSON as text; numbers kept as the plan wrote them (they are stored as text).
void append_json(std::string& out, const downline::json_value& v) {
  if (v.is_binary()) {
    out.append(v.get_binary().begin(), v.get_binary().end());
  } else if (v.is_object()) {
    out += '{';
    bool first = true;
    for (auto it = v.begin(); it != v.end(); ++it) {
      if (!first) out += ',';
      first = false;
      out += downline::json_value(it.key()).dump();
      out += ':';
      append_json(out, it.value());
    }
    out += '}';
  } else if (v.is_array()) {
    out += '[';
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i) out += ',';
      append_json(out, v[i]);
    }
    out += ']';
  } else {
    out += v.dump();
  }
}

class c_bonus final : public downline::bonus {
 public:
  explicit c_bonus(std::shared_ptr<c_bonus_data> data) : data_(std::move(data)) {}

  void evaluate(const downline::period_input& in, downline::bonus_result& out) const override {
    const downline::network& net = in.net;
    const std::uint32_t n = net.size();
    const downline::qualification& q = in.q;
    std::vector<std::uint32_t> parent(n);
    std::vector<std::int64_t> pv(n), gv(n);
    std::vector<std::int32_t> rank(n);
    std::vector<std::uint8_t> active(n), qualified_row(n);
    for (std::uint32_t r = 0; r < n; ++r) {
      const member_index m = net.member_at_row(r);
      const member_index p = net.parent(m);
      parent[r] = p == downline::none ? DOWNLINE_NO_MEMBER : net.row(p);
      pv[r] = q.pv[m];
      gv[r] = q.gv[m];
      rank[r] = q.rank[m];
      active[r] = q.active[m] ? 1 : 0;
      qualified_row[r] = qualified(m, q) ? 1 : 0;
    }
    const std::size_t count = in.lines.size();
    std::vector<std::uint32_t> line_member(count);
    std::vector<std::int64_t> line_amount(count), line_volume(count);
    std::vector<std::uint8_t> line_kind(count);
    for (std::size_t k = 0; k < count; ++k) {
      const std::uint32_t line = in.lines[k];
      line_member[k] = net.row(in.sales.member(line));
      line_amount[k] = in.sales.amount(line);
      line_volume[k] = in.sales.volume(line);
      line_kind[k] = static_cast<std::uint8_t>(in.sales.kind(line));
    }
    std::vector<const char*> rank_names;
    for (const auto& r : in.rules.ranks) rank_names.push_back(r.name.c_str());

    downline_period_view view{};
    view.member_count = n;
    view.parent = parent.data();
    view.pv = pv.data();
    view.gv = gv.data();
    view.rank = rank.data();
    view.active = active.data();
    view.qualified = qualified_row.data();
    view.line_count = count;
    view.line_member = line_member.data();
    view.line_amount = line_amount.data();
    view.line_volume = line_volume.data();
    view.line_kind = line_kind.data();
    view.bonus_name = name().c_str();
    view.money_decimals = in.rules.money_decimals;
    view.explain = in.explain ? 1 : 0;
    view.rank_count = rank_names.size();
    view.rank_names = rank_names.data();
    view.internal = &in;

    output_state state{&in, std::vector<exact_t>(n, 0), {}};
    std::vector<std::int64_t> amounts(n, 0);
    downline_bonus_output output{amounts.data(), in.rules.money_decimals, &state};
    std::array<char, message_size> message{};
    const downline_bonus_type& t = data_->type->callbacks;
    const int rc = t.evaluate(t.payload, data_->data, &view, &output, message.data(), message.size());
    message.back() = '\0';
    if (rc != 0)
      throw status_error(DOWNLINE_ERROR_CALLBACK, fmt::format("bonus '{}' (type '{}'): {}", name(), type(),
                                                              message_text(message.data(), "evaluate failed")));
    if (output.amount_decimals < 0 || output.amount_decimals > downline::exact_decimals)
      throw status_error(DOWNLINE_ERROR_CALLBACK,
                         fmt::format("bonus '{}' (type '{}'): amount_decimals must be 0..12 '{}'", name(), type(),
                                     output.amount_decimals));

    const exact_t unit = downline::pow10_i128(downline::exact_decimals - output.amount_decimals);
    out.exact.assign(n, 0);
    for (std::uint32_t r = 0; r < n; ++r) {
      const member_index m = net.member_at_row(r);
      if (!qualified_row[r]) continue;  // only qualified members earn (SPEC §3)
      out.exact[m] = static_cast<exact_t>(amounts[r]) * unit + state.credited[m];
    }
    if (in.explain)
      for (auto& e : state.lines)
        if (qualified(e.earner, q)) out.lines.push_back(e);
  }

 private:
  std::shared_ptr<c_bonus_data> data_;
};

std::mutex registered_mutex;
std::set<std::string, std::less<>> registered_from_c;

}  // namespace

extern "C" {

downline_status downline_register_bonus_type(const char* name, const downline_bonus_type* type) {
  const char* const fn = __func__;
  return guarded([&] {
    require(name, "name", fn);
    require(type, "type", fn);
    const std::string type_name(name);
    if (type->version != DOWNLINE_BONUS_TYPE_VERSION)
      throw status_error(DOWNLINE_ERROR_USAGE,
                         fmt::format("{}: unsupported downline_bonus_type version '{}'", fn, type->version));
    if (!type->evaluate)
      throw status_error(DOWNLINE_ERROR_USAGE, fmt::format("{}: the evaluate callback is NULL {}", fn, downline::quote_value(type_name)));
    if (type_name.empty())
      throw status_error(DOWNLINE_ERROR_USAGE, fmt::format("{}: the type name is empty ''", fn));
    std::lock_guard lock(registered_mutex);
    if (downline::is_builtin_bonus_type(type_name) ||
        (downline::find_bonus_type(type_name) && !registered_from_c.count(type_name)))
      throw status_error(DOWNLINE_ERROR_USAGE, fmt::format("{}: the name of a built-in bonus type cannot be taken {}",
                                                           fn, downline::quote_value(type_name)));
    auto holder = std::make_shared<c_type>();
    holder->callbacks = *type;
    holder->name = type_name;
    registered_from_c.insert(type_name);
    std::shared_ptr<const c_type> shared = holder;
    using factory_result = std::shared_ptr<downline::bonus>;
    downline::register_bonus_type(
        type_name, [shared](const downline::config_node& node, const downline::bonus_context&) -> factory_result {
          auto data = std::make_shared<c_bonus_data>(shared);
          const downline_bonus_type& t = shared->callbacks;
          if (t.configure) {
            std::string text;
            append_json(text, node.json());
            std::array<char, message_size> message{};
            void* bonus_data = nullptr;
            const int rc = t.configure(t.payload, text.c_str(), &bonus_data, message.data(), message.size());
            message.back() = '\0';
            data->data = bonus_data;
            if (rc != 0)
              throw downline::plan_error(fmt::format("{}: {}: {}", node.source(),
                                                     node.path().empty() ? "(top level)" : node.path(),
                                                     message_text(message.data(), "the bonus type rejected it")));
          }
          return std::make_shared<c_bonus>(std::move(data));
        });
    holder->armed = true;
  });
}

downline_status downline_bonus_credit(downline_bonus_output* out, uint32_t earner, uint32_t source, uint32_t line,
                                      uint32_t level, int64_t base, int64_t rate) {
  const char* const fn = __func__;
  return guarded([&] {
    require(out, "out", fn);
    require(out->internal, "out->internal", fn);
    auto& state = *static_cast<output_state*>(out->internal);
    const downline::period_input& in = *state.in;
    const std::uint32_t n = in.net.size();
    if (earner >= n)
      throw status_error(DOWNLINE_ERROR_USAGE, fmt::format("{}: earner row out of range '{}'", fn, earner));
    if (source != DOWNLINE_NO_MEMBER && source >= n)
      throw status_error(DOWNLINE_ERROR_USAGE, fmt::format("{}: source row out of range '{}'", fn, source));
    if (line != DOWNLINE_NO_MEMBER && line >= in.lines.size())
      throw status_error(DOWNLINE_ERROR_USAGE, fmt::format("{}: sale line out of range '{}'", fn, line));
    const member_index m = in.net.member_at_row(earner);
    const exact_t amount = static_cast<exact_t>(rate) * base;
    state.credited[m] += amount;
    if (in.explain)
      state.lines.push_back({m, source == DOWNLINE_NO_MEMBER ? downline::none : in.net.member_at_row(source),
                             line == DOWNLINE_NO_MEMBER ? downline::none : in.lines[line], level, base, rate, amount});
  });
}

downline_status downline_period_member_id(char* buffer, size_t size, size_t* needed,
                                          const downline_period_view* period, uint32_t member) {
  const char* const fn = __func__;
  if (needed) *needed = 0;
  return guarded([&] {
    require(period, "period", fn);
    require(period->internal, "period->internal", fn);
    const auto& in = *static_cast<const downline::period_input*>(period->internal);
    if (member >= in.net.size())
      throw status_error(DOWNLINE_ERROR_USAGE, fmt::format("{}: member row out of range '{}'", fn, member));
    copy_out(in.net.id(in.net.member_at_row(member)), buffer, size, needed, fn);
  });
}

}  // extern "C"
