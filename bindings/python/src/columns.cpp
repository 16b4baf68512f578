// SPDX-License-Identifier: MIT
#include "columns.hpp"

#include <cmath>
#include <cstring>
#include <limits>
#include <optional>

#include <fmt/format.h>

#include "arrow.hpp"

#include "downline/date.hpp"
#include "downline/decimal.hpp"
#include "downline/error.hpp"

namespace downline::python {

void type_error(const std::string& message) {
  py::object cls = py::module_::import("downline._errors").attr("InputTypeError");
  PyErr_SetString(cls.ptr(), message.c_str());
  throw py::error_already_set();
}

namespace {

std::string repr(PyObject* o) {
  std::string r = py::repr(py::handle(o)).cast<std::string>();
  return r.size() > 40 ? r.substr(0, 37) + "..." : r;
}

// pandas' NA and NaT: empty cells.
bool is_missing_marker(PyObject* o) {
  std::string_view type_name = Py_TYPE(o)->tp_name;
  return type_name == "NAType" || type_name == "NaTType" || type_name == "pandas._libs.missing.NAType" ||
         type_name == "pandas._libs.tslibs.nattype.NaTType";
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

py::array astype(const py::array& a, const char* dtype) {
  return py::module_::import("numpy").attr("ascontiguousarray")(a, py::arg("dtype") = dtype).cast<py::array>();
}

}  // namespace

py::array as_column(py::handle values, const char* name) {
  if (PyUnicode_Check(values.ptr()) || PyBytes_Check(values.ptr()))
    type_error(fmt::format("{} must be a sequence of values, not one string", name));
  py::array a = py::module_::import("numpy").attr("ascontiguousarray")(values).cast<py::array>();
  if (a.ndim() != 1)
    throw error(errc::usage, fmt::format("{} must be one-dimensional, not {}-dimensional", name, a.ndim()));
  return a;
}

text_column::text_column(py::handle values, const char* name) : name_(name) {
  if (py::isinstance<arrow_strings>(values)) {
    arrow_owner_ = py::reinterpret_borrow<py::object>(values);
    arrow_ = &values.cast<const arrow_strings&>();
    size_ = arrow_->size();
    return;
  }
  array_ = as_column(values, name);
  kind_ = array_.dtype().kind();
  if (kind_ == 'i' || kind_ == 'u') {
    array_ = astype(array_, "int64");
  } else if (kind_ == 'f') {
    array_ = astype(array_, "float64");
  } else if (kind_ != 'U' && kind_ != 'S' && kind_ != 'O') {
    type_error(fmt::format("{} must hold text (or integer ids), not dtype {}", name,
                           py::str(array_.dtype()).cast<std::string>()));
  }
  itemsize_ = static_cast<std::size_t>(array_.itemsize());
  size_ = static_cast<std::size_t>(array_.size());
  data_ = static_cast<const char*>(array_.data());
}

std::string_view text_column::at(std::size_t i, std::string& scratch) const {
  if (arrow_) return arrow_->at(i);
  const char* item = data_ + i * itemsize_;
  switch (kind_) {
    case 'U': {
      scratch.clear();
      for (std::size_t k = 0; k < itemsize_ / 4; ++k) {
        char32_t c;
        std::memcpy(&c, item + 4 * k, 4);
        if (c == 0) break;
        append_utf8(scratch, c);
      }
      return scratch;
    }
    case 'S': {
      std::size_t n = 0;
      while (n < itemsize_ && item[n] != '\0') ++n;
      return {item, n};
    }
    case 'i': {
      std::int64_t v;
      std::memcpy(&v, item, sizeof v);
      scratch = std::to_string(v);
      return scratch;
    }
    case 'f': {
      double v;
      std::memcpy(&v, item, sizeof v);
      if (std::isnan(v)) return {};
      if (v != std::floor(v) || std::fabs(v) > 9.0e15)
        type_error(fmt::format("{}[{}]: expected text or a whole number, not {}", name_, i, v));
      scratch = std::to_string(static_cast<std::int64_t>(v));
      return scratch;
    }
    default: break;
  }
  PyObject* o;
  std::memcpy(&o, item, sizeof o);
  if (o == Py_None) return {};
  if (PyUnicode_Check(o)) {
    Py_ssize_t n = 0;
    const char* s = PyUnicode_AsUTF8AndSize(o, &n);
    if (!s) throw py::error_already_set();
    return {s, static_cast<std::size_t>(n)};
  }
  if (PyBytes_Check(o)) return {PyBytes_AS_STRING(o), static_cast<std::size_t>(PyBytes_GET_SIZE(o))};
  if (PyLong_Check(o) && !PyBool_Check(o)) {
    scratch = py::str(o).cast<std::string>();
    return scratch;
  }
  if (PyFloat_Check(o)) {
    double v = PyFloat_AS_DOUBLE(o);
    if (std::isnan(v)) return {};
    if (v == std::floor(v) && std::fabs(v) <= 9.0e15) {
      scratch = std::to_string(static_cast<std::int64_t>(v));
      return scratch;
    }
  }
  if (is_missing_marker(o)) return {};
  type_error(fmt::format("{}[{}]: expected text, not {}", name_, i, repr(o)));
}

decimal_column::decimal_column(py::handle values, const char* name, int integer_decimals, int decimals)
    : array_(as_column(values, name)), name_(name), integer_decimals_(integer_decimals), decimals_(decimals) {
  if (array_.size() == 0) array_ = astype(array_, "int64");  // [] is float64 to NumPy
  const char kind = array_.dtype().kind();
  if (kind == 'f' || kind == 'c')
    type_error(fmt::format("the {} column holds floats: money and volume are never floats in downline; give "
                           "int64 minor units (e.g. cents), strings or decimal.Decimal",
                           name));
  if (kind == 'i' || kind == 'u') {
    if (integer_decimals < 0 || integer_decimals > decimals)
      throw error(errc::usage, fmt::format("{}: integer units need 0..{} decimals, not {}", name, decimals,
                                        integer_decimals));
    // int64 is read in place (ascontiguousarray copies only another dtype or layout).
    array_ = astype(array_, "int64");
    integers_ = true;
    ints_ = static_cast<const std::int64_t*>(array_.data());
    scale_ = static_cast<std::int64_t>(pow10_i128(decimals - integer_decimals));
  } else if (kind != 'U' && kind != 'S' && kind != 'O') {
    type_error(fmt::format("{} must be int64 minor units, strings or decimal.Decimal, not dtype {}", name,
                           py::str(array_.dtype()).cast<std::string>()));
  }
  size_ = static_cast<std::size_t>(array_.size());
}

std::string decimal_column::text(std::size_t i) const {
  if (integers_) return format_fixed(ints_[i], integer_decimals_);
  py::object item = array_.attr("__getitem__")(i);
  if (PyFloat_Check(item.ptr()))
    type_error(fmt::format("{}[{}] is a float ({}): money and volume are never floats in downline; give "
                           "strings or decimal.Decimal",
                           name_, i, repr(item.ptr())));
  if (PyLong_Check(item.ptr()))
    type_error(fmt::format("{}[{}] is an integer among text ({}): give every value as int64 minor units, or every "
                           "value as a string or decimal.Decimal",
                           name_, i, repr(item.ptr())));
  if (PyBytes_Check(item.ptr())) return item.cast<std::string>();
  if (PyUnicode_Check(item.ptr())) return item.cast<std::string>();
  if (item.is_none() || is_missing_marker(item.ptr())) return {};
  // decimal.Decimal (and numpy str scalars): fixed-point text, never an exponent.
  std::string_view type_name = Py_TYPE(item.ptr())->tp_name;
  if (type_name == "decimal.Decimal" || type_name == "Decimal")
    return py::str(py::module_::import("builtins").attr("format")(item, "f")).cast<std::string>();
  if (py::isinstance<py::str>(item)) return item.cast<std::string>();
  type_error(fmt::format("{}[{}]: expected a string or decimal.Decimal, not {}", name_, i, repr(item.ptr())));
}

void decimal_column::overflowed(const std::string& where, const std::string& value) const {
  throw overflow_error(fmt::format("{}: {} overflows {}", where, name_, quote_value(value)));
}

void decimal_column::malformed(const std::string& where, parse_status status, const std::string& value) const {
  const std::string message = fmt::format("{}: {} {} {}", where, name_, describe(status), quote_value(value));
  if (status == parse_status::overflow) throw overflow_error(message);
  throw input_error(message);
}

ledger_builder ledger_from_columns(py::handle member_ids, py::handle amounts, py::handle volumes, py::handle kinds,
                                   py::handle dates, py::handle order_ids, int money_decimals,
                                   int volume_integer_decimals) {
  if (money_decimals < 0 || money_decimals > amount_decimals)
    throw error(errc::usage, fmt::format("money_decimals must be 0..{}, not {}", amount_decimals, money_decimals));
  const text_column ids(member_ids, "member_ids");
  const std::size_t n = ids.size();
  auto check_size = [n](std::size_t size, const char* name) {
    if (size != n) throw error(errc::usage, fmt::format("{} has {} rows, member_ids {}", name, size, n));
  };
  const decimal_column amount(amounts, "amount", money_decimals, amount_decimals);
  check_size(amount.size(), "amounts");
  std::optional<decimal_column> volume;
  if (!volumes.is_none()) {
    if (volume_integer_decimals < 0 || volume_integer_decimals > volume_decimals)
      throw error(errc::usage,
                  fmt::format("volume_decimals must be 0..{}, not {}", volume_decimals, volume_integer_decimals));
    volume.emplace(volumes, "volume", volume_integer_decimals, volume_decimals);
    check_size(volume->size(), "volumes");
  }
  std::optional<text_column> kind_text, date_text, orders;
  std::optional<py::array> kind_codes, date_days;  // integer codes / days, when given so
  if (!kinds.is_none()) {
    py::array a = as_column(kinds, "kinds");
    if (a.dtype().kind() == 'i' || a.dtype().kind() == 'u') kind_codes = astype(a, "int64");
    else kind_text.emplace(a, "kinds");
    check_size(static_cast<std::size_t>(a.size()), "kinds");
  }
  if (!dates.is_none()) {
    py::array a = as_column(dates, "dates");
    if (a.dtype().kind() == 'i') date_days = astype(a, "int64");
    else date_text.emplace(a, "dates");
    check_size(static_cast<std::size_t>(a.size()), "dates");
  }
  if (!order_ids.is_none()) {
    orders.emplace(order_ids, "order_ids");
    check_size(orders->size(), "order_ids");
  }

  ledger_builder b("sales", false);
  b.reserve(n);
  std::string id_scratch, text_scratch, order_scratch;
  const auto* codes = kind_codes ? static_cast<const std::int64_t*>(kind_codes->data()) : nullptr;
  const auto* days = date_days ? static_cast<const std::int64_t*>(date_days->data()) : nullptr;
  // The columns are converted here; the sale-line rules are the ledger builder's.
  for (std::size_t i = 0; i < n; ++i) {
    const std::string_view member = ids.at(i, id_scratch);
    auto where = [&b, i] { return b.location(i); };
    const amount_t a = amount.at(i, where);
    const volume_t v = volume ? volume->at(i, where) : b.volume_from_amount(i, a, amount.text(i));
    sale_kind k = sale_kind::retail;
    if (codes) k = b.kind_coded(i, codes[i]);
    else if (kind_text) k = b.kind_named(i, kind_text->at(i, text_scratch));
    date_t d = no_date;
    if (days && days[i] != std::numeric_limits<std::int64_t>::min()) d = b.date_from_days(i, days[i]);  // min: NaT
    else if (date_text) d = b.date_from_text(i, date_text->at(i, text_scratch));
    const std::string_view order = orders ? orders->at(i, order_scratch) : std::string_view();
    b.add_values(member, a, v, k, d, order, i);
  }
  return b;
}

}  // namespace downline::python
