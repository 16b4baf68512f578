// SPDX-License-Identifier: MIT
// Columns of Arrow data (the C data and stream interfaces, through the PyCapsule protocol:
// pyarrow, Polars, DuckDB…) as the binding's column inputs, read in place where types allow.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include <pybind11/pybind11.h>

namespace downline::python {

namespace py = pybind11;

/// One chunk of an Arrow string column (utf8, large_utf8 or utf8_view), read in place.
struct arrow_string_chunk {
  std::shared_ptr<const void> owner;  ///< keeps the Arrow batch alive
  std::int64_t length = 0, offset = 0;
  const std::uint8_t* validity = nullptr;
  const void* offsets = nullptr;  ///< int32 (utf8) or int64 (large_utf8); null for views
  bool large = false;
  const std::uint8_t* views = nullptr;  ///< 16-byte views (utf8_view)
  std::vector<const char*> data;        ///< the data buffer(s)

  std::string_view at(std::int64_t i) const noexcept;
};

/**
 * An Arrow string column, chunk by chunk: text_column reads it without copying the strings.
 * A null is an empty string.
 */
struct arrow_strings {
  std::vector<arrow_string_chunk> chunks;
  std::vector<std::int64_t> starts;  ///< the first row of each chunk, then the row count

  std::size_t size() const noexcept { return starts.empty() ? 0 : static_cast<std::size_t>(starts.back()); }
  std::string_view at(std::size_t row) const noexcept;
};

/**
 * Reads an object exporting `__arrow_c_stream__` or `__arrow_c_array__` (a table or record
 * batch of columns) into a dict: column name → a NumPy int64 array (int64 read in place when
 * it is one chunk without nulls; int8–int32 widened), a (NumPy int64 array, scale) tuple for
 * decimal128 (the unscaled integers, checked to fit 64 bits), a datetime64[D] array for date32
 * (nulls NaT), or an ArrowStrings column. Floats raise InputTypeError (money is never a
 * float); a null in a number column, and other types, raise InputError naming the column.
 */
py::dict arrow_columns(py::handle table, const char* what);

/// Registers ArrowStrings and arrow_columns.
void register_arrow(py::module_& m);

}  // namespace downline::python
