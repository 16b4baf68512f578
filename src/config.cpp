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
      error = fmt::format("duplicate key {}", quote_value(k));
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
  bool parse_error(std::size_t, const std::string& last_token, const nlohmann::detail::exception& ex) override {
    // The library's message ends with the last token read, raw and whole: shown escaped and cut.
    std::string_view what = ex.what();
    what = what.substr(0, what.find("; last read: "));
    error = fmt::format("{}; last read: {}", what, quote_value(last_token));
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

/// Appends a scalar (or an empty container) as JSON; number text kept as written.
void dump_scalar(std::string& out, const json_value& v) {
  if (v.is_binary()) out.append(v.get_binary().begin(), v.get_binary().end());
  else out += v.dump();
}

/**
 * The JSON text of `v`, or its first `max` - 3 bytes and "..." when longer. Written with an
 * explicit stack and stopped once long enough, so a plan nested 100,000 deep costs neither
 * stack nor time: this is what an error message shows of an object or array.
 */
std::string dump_start(const json_value& v, std::size_t max) {
  struct open_container {
    const json_value* value;
    json_value::const_iterator next;
  };
  std::string out;
  std::vector<open_container> stack;
  const json_value* item = &v;
  while (out.size() <= max) {
    if (item) {
      if (item->is_structured() && !item->empty()) {
        out += item->is_object() ? '{' : '[';
        stack.push_back({item, item->begin()});
      } else {
        dump_scalar(out, *item);
      }
      item = nullptr;
    }
    if (stack.empty()) break;
    open_container& top = stack.back();
    if (top.next == top.value->end()) {
      out += top.value->is_object() ? '}' : ']';
      stack.pop_back();
      continue;
    }
    if (top.next != top.value->begin()) out += ',';
    if (top.value->is_object()) out += json_value(top.next.key()).dump() + ':';
    item = &*top.next;
    ++top.next;
  }
  if (out.size() > max) {
    std::size_t end = max - 3;
    while (end > 0 && (static_cast<unsigned char>(out[end]) & 0xC0) == 0x80) --end;  // not inside a character
    out.resize(end);
    out += "...";
  }
  return out;
}
}  // namespace

json_value parse_plan_json(std::string_view text, const std::string& source) {
  json_value root;
  dom_builder builder(root);
  bool ok = json_value::sax_parse(text.begin(), text.end(), &builder, nlohmann::detail::input_format_t::json, true);
  if (!ok || !builder.error.empty()) {
    std::string why = builder.error.empty() ? "parse error" : builder.error;
    throw plan_error(fmt::format("{}: invalid JSON: {} {}", source, why, quote_value(text)));
  }
  return root;
}

void config_node::fail(std::string_view what, std::string_view value) const {
  throw plan_error(
      fmt::format("{}: {}: {} {}", *source_, path_.empty() ? "(top level)" : path_, what, quote_value(value)));
}

std::string config_node::text() const {
  if (value_->is_string()) return value_->get<std::string>();
  if (value_->is_binary()) return std::string(value_->get_binary().begin(), value_->get_binary().end());
  return dump_start(*value_, 60);
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
  if (it == value_->end()) fail(fmt::format("missing required key {} in", quote_value(key)), text());
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
  // The JSON reader already rejects malformed UTF-8; "\u0000" is the one way left to a NUL.
  if (value_->get_ref<const std::string&>().find('\0') != std::string::npos) fail("a string must not hold a NUL byte");
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
