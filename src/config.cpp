// SPDX-License-Identifier: MIT
#include "downline/config.hpp"

#include <fmt/format.h>

#include "downline/decimal.hpp"
#include "downline/error.hpp"

DOWNLINE_BEGIN_NAMESPACE

namespace {
constexpr std::uint8_t number_text_subtype = 42;

/// A SAX handler that builds the DOM like nlohmann's, but keeps floats as their text and
/// rejects duplicate keys.
class dom_builder : public nlohmann::json_sax<json_value> {
 public:
  explicit dom_builder(json_value& root) : root_(root) {}
  bool null() override { return put(nullptr); }
  bool boolean(bool v) override { return put(v); }
  bool number_integer(number_integer_t v) override { return put(v); }
  bool number_unsigned(number_unsigned_t v) override { return put(v); }
  bool number_float(number_float_t, const string_t& s) override {
    return put(json_value::binary(std::vector<std::uint8_t>(s.begin(), s.end()), number_text_subtype));
  }
  bool string(string_t& v) override { return put(v); }
  bool binary(binary_t& v) override { return put(json_value::binary(v)); }
  bool start_object(std::size_t) override {
    json_value* p = place(json_value::object());
    stack_.push_back(p);
    return true;
  }
  bool key(string_t& k) override {
    if (stack_.back()->contains(k)) {
      error = fmt::format("duplicate key '{}'", k);
      return false;
    }
    key_ = k;
    return true;
  }
  bool end_object() override {
    stack_.pop_back();
    return true;
  }
  bool start_array(std::size_t) override {
    json_value* p = place(json_value::array());
    stack_.push_back(p);
    return true;
  }
  bool end_array() override {
    stack_.pop_back();
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& ex) override {
    error = ex.what();
    return false;
  }
  std::string error;

 private:
  template <class V>
  bool put(V&& v) {
    place(json_value(std::forward<V>(v)));
    return true;
  }
  json_value* place(json_value v) {
    if (stack_.empty()) {
      root_ = std::move(v);
      return &root_;
    }
    json_value& parent = *stack_.back();
    if (parent.is_array()) {
      parent.push_back(std::move(v));
      return &parent.back();
    }
    return &(parent[key_] = std::move(v));
  }
  json_value& root_;
  std::vector<json_value*> stack_;
  std::string key_;
};
}  // namespace

json_value parse_plan_json(std::string_view text, const std::string& source) {
  json_value root;
  dom_builder builder(root);
  bool ok = json_value::sax_parse(text.begin(), text.end(), &builder, nlohmann::detail::input_format_t::json, true);
  if (!ok || !builder.error.empty()) {
    std::string why = builder.error.empty() ? "parse error" : builder.error;
    throw plan_error(fmt::format("{}: invalid JSON: {} '{}'", source, why,
                                 text.substr(0, std::min<std::size_t>(text.size(), 40))));
  }
  return root;
}

void config_node::fail(std::string_view what, std::string_view value) const {
  throw plan_error(fmt::format("{}: {}: {} '{}'", *source_, path_.empty() ? "(top level)" : path_, what, value));
}

std::string config_node::text() const {
  if (value_->is_string()) return value_->get<std::string>();
  if (value_->is_binary()) return std::string(value_->get_binary().begin(), value_->get_binary().end());
  std::string s = value_->dump();
  return s.size() > 60 ? s.substr(0, 57) + "..." : s;
}

std::string config_node::child_path(std::string_view key) const {
  return path_.empty() ? std::string(key) : fmt::format("{}.{}", path_, key);
}

void config_node::expect_object() const {
  if (!value_->is_object()) fail("expected a JSON object");
}
void config_node::expect_array() const {
  if (!value_->is_array()) fail("expected a JSON array");
}

bool config_node::has(std::string_view key) const { return value_->is_object() && value_->contains(key); }

config_node config_node::operator[](std::string_view key) const {
  expect_object();
  auto it = value_->find(key);
  if (it == value_->end()) fail(fmt::format("missing required key '{}' in", key), text());
  return config_node(*it, child_path(key), *source_);
}

std::optional<config_node> config_node::get(std::string_view key) const {
  expect_object();
  auto it = value_->find(key);
  if (it == value_->end()) return std::nullopt;
  return config_node(*it, child_path(key), *source_);
}

config_node config_node::at(std::size_t i) const {
  expect_array();
  return config_node((*value_)[i], fmt::format("{}[{}]", path_, i), *source_);
}

std::size_t config_node::size() const {
  expect_array();
  return value_->size();
}

void config_node::allow_keys(std::initializer_list<std::string_view> allowed) const {
  expect_object();
  for (auto it = value_->begin(); it != value_->end(); ++it) {
    bool known = false;
    for (auto a : allowed) known = known || a == it.key();
    if (!known) config_node(it.value(), child_path(it.key()), *source_).fail("unknown key", it.key());
  }
}

std::string config_node::as_string() const {
  if (!value_->is_string()) fail("expected a string");
  return value_->get<std::string>();
}

bool config_node::as_bool() const {
  if (!value_->is_boolean()) fail("expected true or false");
  return value_->get<bool>();
}

std::int64_t config_node::as_integer(std::int64_t min, std::int64_t max) const {
  std::int64_t v = 0;
  if (value_->is_number_integer()) {
    if (value_->is_number_unsigned() && value_->get<std::uint64_t>() > static_cast<std::uint64_t>(max))
      fail(fmt::format("expected an integer from {} to {}", min, max));
    v = value_->get<std::int64_t>();
  } else {
    fail("expected an integer");
  }
  if (v < min || v > max) fail(fmt::format("expected an integer from {} to {}", min, max));
  return v;
}

std::int64_t config_node::as_decimal(int decimals, const char* what) const {
  std::string t;
  if (value_->is_string() || value_->is_binary() || value_->is_number_integer()) t = text();
  else fail(fmt::format("{} must be a decimal string or a number", what));
  std::int64_t v = 0;
  if (auto s = parse_decimal(t, decimals, v); s != parse_status::ok) fail(fmt::format("{} {}", what, describe(s)), t);
  return v;
}

rate_t config_node::as_rate() const {
  std::string t;
  if (value_->is_string()) {
    t = value_->get<std::string>();
    if (t.empty() || t.back() != '%') fail("rate must be a percentage like \"12.5%\"", t);
    t.pop_back();
  } else if (value_->is_binary() || value_->is_number_integer()) {
    t = text();
  } else {
    fail("rate must be a percentage like \"12.5%\"");
  }
  std::int64_t v = 0;  // ten-thousandths of a percent = millionths of one
  if (auto s = parse_decimal(t, 4, v); s != parse_status::ok) fail(fmt::format("rate {}", describe(s)), text());
  if (v < 0 || v > rate_one) fail("rate is outside 0%..100%", text());
  return v;
}

std::string format_rate(rate_t rate) { return format_trimmed(rate, 4) + "%"; }

DOWNLINE_END_NAMESPACE
