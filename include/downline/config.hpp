// SPDX-License-Identifier: MIT
// A JSON value with its path, for reading the plan with messages that name the path.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "downline/types.hpp"

DOWNLINE_BEGIN_NAMESPACE

/// Plan JSON. Non-integer numbers are kept as their source text (a binary value holding the
/// characters), so "12.5" never passes through a double.
using json_value = nlohmann::ordered_json;

/// Parses JSON text, keeping number text; throws plan_error "<source>: invalid JSON …".
json_value parse_plan_json(std::string_view text, const std::string& source);

/**
 * A node of the plan with its JSON path, so every complaint names where it is:
 *
 *     config_node plan(json, "", "plan.json");
 *     config_node rate = plan["bonuses"].at(2)["rates"].at(3);
 *     rate_t r = rate.as_rate();   // error: "plan.json: bonuses[2].rates[3]: rate is outside 0%..100% '120%'"
 */
class config_node {
 public:
  config_node(const json_value& value, std::string path, const std::string& source)
      : value_(&value), path_(std::move(path)), source_(&source) {}

  const json_value& json() const noexcept { return *value_; }
  const std::string& path() const noexcept { return path_; }
  const std::string& source() const noexcept { return *source_; }

  /// Throws plan_error "<source>: <path>: <what> '<value>'".
  [[noreturn]] void fail(std::string_view what, std::string_view value) const;
  /// Same, with this node's value as the value.
  [[noreturn]] void fail(std::string_view what) const { fail(what, text()); }

  bool is_object() const noexcept { return value_->is_object(); }
  bool is_array() const noexcept { return value_->is_array(); }
  bool is_string() const noexcept { return value_->is_string(); }
  bool has(std::string_view key) const;
  /// A required key of an object.
  config_node operator[](std::string_view key) const;
  /// An optional key of an object.
  std::optional<config_node> get(std::string_view key) const;
  /// Element i of an array.
  config_node at(std::size_t i) const;
  /// Size of an array (an error when this is not an array).
  std::size_t size() const;
  /// Calls f(key, node) for each member of an object, in document order.
  template <class F>
  void for_each_member(F&& f) const {
    expect_object();
    for (auto it = value_->begin(); it != value_->end(); ++it)
      f(it.key(), config_node(it.value(), child_path(it.key()), *source_));
  }
  /// Rejects any key not in `allowed` (an object is required).
  void allow_keys(std::initializer_list<std::string_view> allowed) const;
  void expect_object() const;
  void expect_array() const;

  std::string as_string() const;
  bool as_bool() const;
  std::int64_t as_integer(std::int64_t min, std::int64_t max) const;
  /// "12.5%" or a JSON number meaning percent; at most 4 decimals of a percent; 0..100%.
  rate_t as_rate() const;
  /// A decimal string or JSON number scaled by 10^decimals ("50" → 500000 for 4 decimals).
  std::int64_t as_decimal(int decimals, const char* what) const;
  volume_t as_volume() const { return as_decimal(volume_decimals, "volume"); }

  /// The value as it appears in the plan, for messages (strings without quotes).
  std::string text() const;

 private:
  std::string child_path(std::string_view key) const;
  const json_value* value_;
  std::string path_;
  const std::string* source_;
};

/// A rate as "12.5%".
std::string format_rate(rate_t rate);

DOWNLINE_END_NAMESPACE
