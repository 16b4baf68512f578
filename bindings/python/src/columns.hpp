// SPDX-License-Identifier: MIT
// Columns of values from Python (NumPy arrays, lists, pandas Series) read without copies
// where the dtype allows, and never through a float for money or volume.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include "downline/decimal.hpp"
#include "downline/ledger.hpp"
#include "downline/types.hpp"

namespace downline::python {

namespace py = pybind11;

struct arrow_strings;

/// Raises downline.InputTypeError (both a downline.InputError and a TypeError).
[[noreturn]] void type_error(const std::string& message);

/// `values` as a 1-D, C-contiguous NumPy array (no copy when it already is one).
py::array as_column(py::handle values, const char* name);

/**
 * Text per row (ids, positions, kinds, order ids, ISO dates) from str, bytes or object
 * arrays; integer arrays give their decimal text (ids read as numbers by pandas), and None,
 * NaN, pandas NA and NaT give "" (an empty cell); an ArrowStrings column (Arrow data) is read
 * in place, a null giving "". Needs the GIL.
 */
class text_column {
 public:
  text_column(py::handle values, const char* name);
  std::size_t size() const noexcept { return size_; }
  /// Element i as UTF-8; may point into `scratch`. Throws TypeError for other objects.
  std::string_view at(std::size_t i, std::string& scratch) const;

 private:
  py::object arrow_owner_;
  const arrow_strings* arrow_ = nullptr;  // an Arrow string column, read in place
  py::array array_;
  const char* name_;
  char kind_ = 0;
  std::size_t itemsize_ = 0, size_ = 0;
  const char* data_ = nullptr;
};

/**
 * Exact numbers per row (money or volume) scaled to `decimals`: integer arrays are in units of
 * 10^-`integer_decimals` (a contiguous int64 array is read in place), str / bytes / Decimal
 * elements are parsed as exact decimal text. Floats are refused: money is never a float.
 */
class decimal_column {
 public:
  decimal_column(py::handle values, const char* name, int integer_decimals, int decimals);
  std::size_t size() const noexcept { return size_; }
  /// Element i in 10^-decimals; errors name `where()` ("sales row 3") and the value.
  template <class Where>
  std::int64_t at(std::size_t i, Where&& where) const {
    std::int64_t out = 0;
    if (integers_) {
      if (__builtin_mul_overflow(ints_[i], scale_, &out)) overflowed(where(), text(i));
      return out;
    }
    const std::string value = text(i);
    if (auto s = parse_decimal(value, decimals_, out); s != parse_status::ok) malformed(where(), s, value);
    return out;
  }
  /// Element i as text, for messages.
  std::string text(std::size_t i) const;

 private:
  [[noreturn]] void overflowed(const std::string& where, const std::string& value) const;
  [[noreturn]] void malformed(const std::string& where, parse_status status, const std::string& value) const;

  py::array array_;
  const char* name_;
  int integer_decimals_, decimals_;
  std::int64_t scale_ = 1;  // 10^(decimals - integer_decimals) for integer input
  bool integers_ = false;
  std::size_t size_;
  const std::int64_t* ints_ = nullptr;
};

/**
 * Builds a ledger from Python columns (any may be None but member_ids and amounts); rows are
 * "sales row i". Dates are ISO text or int64 days since 1970-01-01 (NaT: undated).
 */
ledger_builder ledger_from_columns(py::handle member_ids, py::handle amounts, py::handle volumes, py::handle kinds,
                                   py::handle dates, py::handle order_ids, int money_decimals,
                                   int volume_integer_decimals);

}  // namespace downline::python
