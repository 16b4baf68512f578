// SPDX-License-Identifier: MIT
// C API: networks, from CSV and from arrays.
#include <limits>
#include <memory>
#include <optional>

#include "downline/network_file.hpp"
#include "downline/plan.hpp"
#include "guard.hpp"
#include "handles.hpp"

using namespace downline::capi;

extern "C" {

downline_status downline_network_from_csv(downline_network** out, const char* path) {
  const char* const fn = __func__;
  if (out) *out = nullptr;
  return guarded([&] {
    require(out, "out", fn);
    require(path, "path", fn);
    auto data = std::make_shared<network_data>(downline::network::from_csv(path));
    *out = new downline_network{std::move(data)};
  });
}

downline_status downline_network_from_file(downline_network** out, const char* path) {
  const char* const fn = __func__;
  if (out) *out = nullptr;
  return guarded([&] {
    require(out, "out", fn);
    require(path, "path", fn);
    auto data = std::make_shared<network_data>(downline::load_network(path));
    *out = new downline_network{std::move(data)};
  });
}

downline_status downline_network_compile(const downline_network* network, const downline_plan* plan,
                                         const char* path) {
  const char* const fn = __func__;
  return guarded([&] {
    require(network, "network", fn);
    require(path, "path", fn);
    const network_data& data = *network->data;
    std::optional<downline::network_layout> layout;
    if (plan) layout = downline::network_layout::build(data.net, *plan->rules, &data.saved);
    downline::write_compiled_network(data.net, path, layout ? &*layout : nullptr);
  });
}

downline_status downline_network_from_arrays(downline_network** out, size_t count, const char* const* ids,
                                             const char* const* sponsor_ids, const char* const* placement_ids,
                                             const char* const* positions, const char* const* joined) {
  return downline_network_from_arrays_with_status(out, count, ids, sponsor_ids, placement_ids, positions, joined,
                                                  nullptr);
}

downline_status downline_network_from_arrays_with_status(downline_network** out, size_t count, const char* const* ids,
                                                         const char* const* sponsor_ids,
                                                         const char* const* placement_ids,
                                                         const char* const* positions, const char* const* joined,
                                                         const char* const* statuses) {
  const char* const fn = __func__;
  if (out) *out = nullptr;
  return guarded([&] {
    require(out, "out", fn);
    require(ids, "ids", fn);
    require(sponsor_ids, "sponsor_ids", fn);
    if (count >= std::numeric_limits<std::uint32_t>::max())
      throw status_error(DOWNLINE_ERROR_USAGE, std::string(fn) + ": too many members '" + std::to_string(count) + "'");
    downline::network_builder builder("network", false);
    builder.reserve(count);
    builder.set_has_joined(joined != nullptr);
    for (std::size_t i = 0; i < count; ++i) {
      builder.add(text_at(ids, i), text_at(sponsor_ids, i), text_at(placement_ids, i), text_at(positions, i),
                  text_at(joined, i), i);
      if (statuses) builder.set_status(text_at(statuses, i));
    }
    auto data = std::make_shared<network_data>(std::move(builder).build());
    *out = new downline_network{std::move(data)};
  });
}

void downline_network_destroy(downline_network** network) {
  if (!network) return;
  delete *network;
  *network = nullptr;
}

size_t downline_network_size(const downline_network* network) { return network ? network->data->net.size() : 0; }

const char* downline_network_id(const downline_network* network, size_t row) {
  if (!network || row >= network->data->net.size()) return nullptr;
  try {
    return network->data->id(network->data->net.member_at_row(static_cast<std::uint32_t>(row)));
  } catch (...) {
    return nullptr;  // out of memory building the id table
  }
}

downline_status downline_network_find(size_t* row, const downline_network* network, const char* id) {
  const char* const fn = __func__;
  if (row) *row = 0;
  return guarded([&] {
    require(row, "row", fn);
    require(network, "network", fn);
    require(id, "id", fn);
    downline::member_index m = network->data->net.find(id);
    if (m == downline::none)
      throw status_error(DOWNLINE_ERROR_NOT_FOUND, std::string(fn) + ": no member with this id " + downline::quote_value(id));
    *row = network->data->net.row(m);
  });
}

}  // extern "C"
