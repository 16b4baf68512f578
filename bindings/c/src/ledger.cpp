// SPDX-License-Identifier: MIT
// C API: ledgers, from CSV and from arrays of minor units.
#include <memory>
#include <string>

#include <fmt/format.h>

#include "downline/date.hpp"
#include "downline/decimal.hpp"
#include "downline/error.hpp"
#include "guard.hpp"
#include "handles.hpp"

using namespace downline::capi;
using downline::amount_t;
using downline::volume_t;

namespace {

// value × 10^(to - from), or an overflow error naming the row when it leaves int64.
std::int64_t rescale(std::int64_t value, int from, int to, const downline::ledger_builder& b, std::size_t row,
                     const char* what) {
  std::int64_t factor = 1;
  for (int i = from; i < to; ++i) factor *= 10;
  std::int64_t scaled = 0;
  if (__builtin_mul_overflow(value, factor, &scaled))
    throw downline::overflow_error(
        fmt::format("{}: {} overflows {}", b.location(row), what, downline::quote_value(downline::format_fixed(value, from))));
  return scaled;
}
}  // namespace

namespace downline::capi {

void add_sale_arrays(downline::ledger_builder& builder, const char* fn, size_t count, const char* const* member_ids,
                     const int64_t* amounts, int money_decimals, const int64_t* volumes, int volume_decimals,
                     const uint8_t* kinds, const char* const* dates, const char* const* order_ids) {
  if (count > 0) {
    require(member_ids, "member_ids", fn);
    require(amounts, "amounts", fn);
  }
  if (money_decimals < 0 || money_decimals > downline::amount_decimals)
    throw status_error(DOWNLINE_ERROR_USAGE,
                       fmt::format("{}: money_decimals must be 0..6 '{}'", fn, money_decimals));
  if (volumes && (volume_decimals < 0 || volume_decimals > downline::volume_decimals))
    throw status_error(DOWNLINE_ERROR_USAGE,
                       fmt::format("{}: volume_decimals must be 0..4 '{}'", fn, volume_decimals));
  builder.reserve(count);
  // The columns are converted here; the sale-line rules are the ledger builder's.
  for (std::size_t i = 0; i < count; ++i) {
    const amount_t amount = rescale(amounts[i], money_decimals, downline::amount_decimals, builder, i, "amount");
    const volume_t volume =
        volumes ? rescale(volumes[i], volume_decimals, downline::volume_decimals, builder, i, "volume")
                : builder.volume_from_amount(i, amount, downline::format_fixed(amounts[i], money_decimals));
    const downline::sale_kind kind = kinds ? builder.kind_coded(i, kinds[i]) : downline::sale_kind::retail;
    builder.add_values(text_at(member_ids, i), amount, volume, kind, builder.date_from_text(i, text_at(dates, i)),
                       text_at(order_ids, i), i);
  }
}

}  // namespace downline::capi

extern "C" {

downline_status downline_ledger_from_csv(downline_ledger** out, const downline_network* network, const char* path) {
  const char* const fn = __func__;
  if (out) *out = nullptr;
  return guarded([&] {
    require(out, "out", fn);
    require(network, "network", fn);
    require(path, "path", fn);
    auto data = std::make_shared<ledger_data>(downline::ledger::from_csv(path, network->data->net), network->data);
    *out = new downline_ledger{std::move(data)};
  });
}

downline_status downline_ledger_from_arrays(downline_ledger** out, const downline_network* network, size_t count,
                                            const char* const* member_ids, const int64_t* amounts, int money_decimals,
                                            const int64_t* volumes, int volume_decimals, const uint8_t* kinds,
                                            const char* const* dates, const char* const* order_ids) {
  const char* const fn = __func__;
  if (out) *out = nullptr;
  return guarded([&] {
    require(out, "out", fn);
    require(network, "network", fn);
    downline::ledger_builder builder(network->data->net, "sales", false);
    add_sale_arrays(builder, fn, count, member_ids, amounts, money_decimals, volumes, volume_decimals, kinds, dates,
                    order_ids);
    auto data = std::make_shared<ledger_data>(std::move(builder).build(), network->data);
    *out = new downline_ledger{std::move(data)};
  });
}

void downline_ledger_destroy(downline_ledger** ledger) {
  if (!ledger) return;
  delete *ledger;
  *ledger = nullptr;
}

size_t downline_ledger_size(const downline_ledger* ledger) { return ledger ? ledger->data->sales.size() : 0; }

}  // extern "C"
