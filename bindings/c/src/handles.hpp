// SPDX-License-Identifier: MIT
// What the C API's opaque handles hold. Inputs are shared, so a result keeps alive the
// plan, network and ledger it was computed from.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "downline/engine.hpp"
#include "downline/ledger.hpp"
#include "downline/network.hpp"
#include "downline/network_file.hpp"
#include "downline/plan.hpp"
#include "downline/result.hpp"
#include "downline/overrides.hpp"
#include "downline/state.hpp"

namespace downline::capi {

/// Element i of an optional column of C strings: NULL column or element is "".
inline std::string_view text_at(const char* const* column, std::size_t i) {
  return column && column[i] ? std::string_view(column[i]) : std::string_view();
}

/// Strings handed out as NUL-terminated `const char*`, built on first use. O(total length).
class cstring_table {
 public:
  /// Builds the table once from get(i) for i < n (thread-safe), then returns entry i.
  template <class Get>
  const char* at(std::size_t i, std::size_t n, Get&& get) const {
    std::call_once(once_, [&] {
      offsets_.reserve(n);
      for (std::size_t k = 0; k < n; ++k) {
        offsets_.push_back(text_.size());
        text_.append(get(k));
        text_.push_back('\0');
      }
    });
    return text_.data() + offsets_[i];
  }

 private:
  mutable std::once_flag once_;
  mutable std::string text_;
  mutable std::vector<std::size_t> offsets_;
};

struct network_data {
  explicit network_data(downline::network n) : network_data(std::make_shared<const network>(std::move(n))) {}
  explicit network_data(downline::loaded_network loaded)
      : network_data(std::make_shared<const network>(std::move(loaded.net)), std::move(loaded.layout)) {}
  /// A network shared with its owner (a session's), with the layout it was saved with (if any).
  explicit network_data(std::shared_ptr<const network> n, downline::network_layout layout = {})
      : owner(std::move(n)), net(*owner), saved(std::move(layout)) {
    if (!saved.belongs_to(net)) saved = downline::network_layout::build(net, std::vector<downline::placement_options>{});
  }
  std::shared_ptr<const network> owner;
  const downline::network& net;
  downline::network_layout saved;  // the placement trees a compiled network was saved with
  cstring_table ids;  // by member index
  const char* id(member_index m) const {
    return ids.at(m, net.size(), [this](std::size_t k) { return net.id(static_cast<member_index>(k)); });
  }
};

struct ledger_data {
  ledger_data(downline::ledger l, std::shared_ptr<const network_data> n)
      : ledger_data(std::make_shared<const ledger>(std::move(l)), std::move(n)) {}
  /// A ledger shared with its owner (a session's, which grows: a result names only its older lines).
  ledger_data(std::shared_ptr<const ledger> l, std::shared_ptr<const network_data> n)
      : owner(std::move(l)), sales(*owner), net(std::move(n)) {}
  std::shared_ptr<const ledger> owner;
  const downline::ledger& sales;
  std::shared_ptr<const network_data> net;  // the network its members belong to
  cstring_table order_ids;                  // by line
  const char* order_id(std::size_t line) const {
    return order_ids.at(line, sales.size(), [this](std::size_t k) { return sales.order_id(k); });
  }
};

/// Converts the sale columns of downline_ledger_from_arrays (and downline_session_add_sales)
/// into `builder`, with the ledger builder's checks and messages ("sales row i").
void add_sale_arrays(downline::ledger_builder& builder, const char* fn, size_t count, const char* const* member_ids,
                     const int64_t* amounts, int money_decimals, const int64_t* volumes, int volume_decimals,
                     const uint8_t* kinds, const char* const* dates, const char* const* order_ids);

}  // namespace downline::capi

struct downline_plan {
  std::shared_ptr<const downline::plan> rules;
};

struct downline_network {
  std::shared_ptr<const downline::capi::network_data> data;
};

struct downline_ledger {
  std::shared_ptr<const downline::capi::ledger_data> data;
};

struct downline_state {
  downline::state_text text;
  std::string source;  // the CSV it was read from (runs read it again for file:line messages), or ""
  // The binary carry entries (member, bonus, left, right) over the rows: built on first use.
  struct carry {
    std::size_t member_row;
    std::string bonus;
    std::int64_t side[2] = {0, 0};
  };
  mutable std::once_flag carry_once;
  mutable std::vector<carry> carries;
};

struct downline_overrides {
  std::vector<downline::override_row> rows;
  std::string source;  // the CSV path, or "" for arrays
};

struct downline_adjustments {
  std::vector<downline::adjustment_row> rows;
  std::string source;
};

struct downline_layout {
  std::shared_ptr<const downline::capi::network_data> net;  // kept alive: the layout belongs to it
  downline::network_layout layout;
};

struct downline_result {
  std::shared_ptr<const downline::plan> rules;
  std::shared_ptr<const downline::capi::network_data> net;
  std::shared_ptr<const downline::capi::ledger_data> sales;
  downline::result r;
  bool explained = false;
  bool one_member = false;  // a session's estimate for one member: no ranks
  // First payout line of each member (by member index) and one past its last: built on first use.
  mutable std::once_flag ranges_once;
  mutable std::vector<std::uint32_t> first_payout, end_payout;
};
