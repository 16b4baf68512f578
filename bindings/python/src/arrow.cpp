// SPDX-License-Identifier: MIT
#include "arrow.hpp"

#include <algorithm>
#include <cstring>
#include <limits>
#include <string>

#include <fmt/format.h>
#include <pybind11/numpy.h>

#include "columns.hpp"
#include "downline/error.hpp"

// The Arrow C data and stream interfaces (https://arrow.apache.org/docs/format/CDataInterface.html),
// a stable ABI: these definitions are the ones the specification asks consumers to copy.
#ifndef ARROW_C_DATA_INTERFACE
#define ARROW_C_DATA_INTERFACE
struct ArrowSchema {
  const char* format;
  const char* name;
  const char* metadata;
  int64_t flags;
  int64_t n_children;
  struct ArrowSchema** children;
  struct ArrowSchema* dictionary;
  void (*release)(struct ArrowSchema*);
  void* private_data;
};
struct ArrowArray {
  int64_t length;
  int64_t null_count;
  int64_t offset;
  int64_t n_buffers;
  int64_t n_children;
  const void** buffers;
  struct ArrowArray** children;
  struct ArrowArray* dictionary;
  void (*release)(struct ArrowArray*);
  void* private_data;
};
#endif
#ifndef ARROW_C_STREAM_INTERFACE
#define ARROW_C_STREAM_INTERFACE
struct ArrowArrayStream {
  int (*get_schema)(struct ArrowArrayStream*, struct ArrowSchema* out);
  int (*get_next)(struct ArrowArrayStream*, struct ArrowArray* out);
  const char* (*get_last_error)(struct ArrowArrayStream*);
  void (*release)(struct ArrowArrayStream*);
  void* private_data;
};
#endif

namespace downline::python {

namespace {

// Owners that release what the producer handed over, once.
struct owned_schema {
  ArrowSchema s{};
  ~owned_schema() {
    if (s.release) s.release(&s);
  }
};
struct owned_array {
  ArrowArray a{};
  ~owned_array() {
    if (a.release) a.release(&a);
  }
};
struct owned_stream {
  ArrowArrayStream s{};
  ~owned_stream() {
    if (s.release) s.release(&s);
  }
};

// Moves the struct out of a capsule: the copy is ours to release, the capsule's is marked released.
template <class T>
void take(py::handle capsule, const char* name, T& out) {
  auto* p = static_cast<T*>(PyCapsule_GetPointer(capsule.ptr(), name));
  if (!p) throw py::error_already_set();
  out = *p;
  p->release = nullptr;
}

bool valid(const std::uint8_t* validity, std::int64_t i) {
  return !validity || (validity[i >> 3] >> (i & 7)) & 1;
}

/// One column of one batch: where its values sit.
struct piece {
  std::shared_ptr<owned_array> batch;
  const ArrowArray* column;
  std::int64_t offset, length;  // rows [offset, offset + length) of `column`'s buffers

  const std::uint8_t* validity() const { return static_cast<const std::uint8_t*>(column->buffers[0]); }
  template <class T>
  const T* values(int buffer = 1) const {
    return static_cast<const T*>(column->buffers[buffer]);
  }
};

struct reader {
  const char* what;
  std::string name, format;
  std::vector<piece> pieces;

  std::int64_t rows() const {
    std::int64_t n = 0;
    for (const piece& p : pieces) n += p.length;
    return n;
  }
  [[noreturn]] void missing(std::int64_t row) const {
    throw error(errc::input, fmt::format("{}: column '{}' row {}: a value is missing ''", what, name, row));
  }
  // Calls f(row, piece, i) for each row, failing on a null.
  template <class F>
  void each_value(F&& f) const {
    std::int64_t row = 0;
    for (const piece& p : pieces)
      for (std::int64_t i = p.offset; i < p.offset + p.length; ++i, ++row) {
        if (!valid(p.validity(), i)) missing(row);
        f(row, p, i);
      }
  }

  py::object integers() const {
    const std::int64_t n = rows();
    if (format == "l" && pieces.size() == 1 && (pieces[0].column->null_count == 0 || !pieces[0].validity())) {
      // One chunk without nulls: a NumPy view of Arrow's buffer, keeping the batch alive.
      const piece& p = pieces[0];
      auto* keep = new std::shared_ptr<owned_array>(p.batch);
      py::capsule owner(keep, [](void* k) { delete static_cast<std::shared_ptr<owned_array>*>(k); });
      return py::array_t<std::int64_t>(n, p.values<std::int64_t>() + p.offset, owner);
    }
    py::array_t<std::int64_t> out(n);
    std::int64_t* o = out.mutable_data();
    each_value([&](std::int64_t row, const piece& p, std::int64_t i) {
      switch (format[0]) {
        case 'l': o[row] = p.values<std::int64_t>()[i]; break;
        case 'i': o[row] = p.values<std::int32_t>()[i]; break;
        case 's': o[row] = p.values<std::int16_t>()[i]; break;
        case 'c': o[row] = p.values<std::int8_t>()[i]; break;
        case 'I': o[row] = p.values<std::uint32_t>()[i]; break;
        case 'S': o[row] = p.values<std::uint16_t>()[i]; break;
        case 'C': o[row] = p.values<std::uint8_t>()[i]; break;
        default: {  // 'L'
          const std::uint64_t v = p.values<std::uint64_t>()[i];
          if (v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
            throw overflow_error(fmt::format("{}: column '{}' row {}: the number overflows '{}'", what, name, row, v));
          o[row] = static_cast<std::int64_t>(v);
        }
      }
    });
    return out;
  }

  // decimal128(p, s): the unscaled integers (each must fit 64 bits) and the scale.
  py::object decimals() const {
    int precision = 0, scale = 0, bits = 128;
    const int fields = std::sscanf(format.c_str(), "d:%d,%d,%d", &precision, &scale, &bits);
    if (fields < 2 || bits != 128 || scale < 0)
      throw error(errc::input, fmt::format("{}: column '{}' is a decimal Arrow cannot give as 64-bit minor units "
                                           "(decimal128 with a scale of 0 or more is read) '{}'", what, name, format));
    py::array_t<std::int64_t> out(rows());
    std::int64_t* o = out.mutable_data();
    each_value([&](std::int64_t row, const piece& p, std::int64_t i) {
      std::uint64_t low;
      std::int64_t high;
      std::memcpy(&low, p.values<std::uint8_t>() + 16 * i, 8);
      std::memcpy(&high, p.values<std::uint8_t>() + 16 * i + 8, 8);
      const auto value = static_cast<std::int64_t>(low);
      if (high != (value < 0 ? -1 : 0))
        throw overflow_error(fmt::format("{}: column '{}' row {}: the number does not fit 64 bits of minor units ''",
                                         what, name, row));
      o[row] = value;
    });
    return py::make_tuple(out, scale);
  }

  // date32 as datetime64[D], nulls NaT.
  py::object dates() const {
    py::array out(py::dtype("datetime64[D]"), {rows()}, {});
    auto* o = static_cast<std::int64_t*>(out.mutable_data());
    std::int64_t row = 0;
    for (const piece& p : pieces)
      for (std::int64_t i = p.offset; i < p.offset + p.length; ++i, ++row)
        o[row] = valid(p.validity(), i) ? p.values<std::int32_t>()[i] : std::numeric_limits<std::int64_t>::min();
    return out;
  }

  py::object strings() const {
    auto out = std::make_shared<arrow_strings>();
    std::int64_t start = 0;
    for (const piece& p : pieces) {
      arrow_string_chunk c;
      c.owner = p.batch;
      c.length = p.length;
      c.offset = p.offset;
      c.validity = p.validity();
      if (format == "vu") {
        c.views = p.values<std::uint8_t>();
        for (std::int64_t b = 2; b + 1 < p.column->n_buffers; ++b) c.data.push_back(p.values<char>(static_cast<int>(b)));
      } else {
        c.large = format == "U";
        c.offsets = p.column->buffers[1];
        c.data.push_back(p.values<char>(2));
      }
      out->starts.push_back(start);
      start += p.length;
      out->chunks.push_back(std::move(c));
    }
    out->starts.push_back(start);
    return py::cast(out);
  }

  py::object column() const {
    if (format == "g" || format == "f" || format == "e")
      type_error(fmt::format("{}: column '{}' is floating point (Arrow type '{}'): money and volume are exact, "
                             "give int64 minor units, decimal128 or text",
                             what, name, format));
    if (format.size() == 1 && std::strchr("lisc" "LISC", format[0])) return integers();
    if (format.rfind("d:", 0) == 0) return decimals();
    if (format == "tdD") return dates();
    if (format == "u" || format == "U" || format == "vu") return strings();
    throw error(errc::input, fmt::format("{}: column '{}' has an Arrow type downline does not read (int64, "
                                         "decimal128, date32 or text) '{}'", what, name, format));
  }
};

}  // namespace

std::string_view arrow_string_chunk::at(std::int64_t row) const noexcept {
  const std::int64_t i = offset + row;
  if (!valid(validity, i)) return {};
  if (views) {
    const std::uint8_t* v = views + 16 * i;
    std::int32_t length, buffer, start;
    std::memcpy(&length, v, 4);
    if (length <= 12) return {reinterpret_cast<const char*>(v + 4), static_cast<std::size_t>(length)};
    std::memcpy(&buffer, v + 8, 4);
    std::memcpy(&start, v + 12, 4);
    return {data[static_cast<std::size_t>(buffer)] + start, static_cast<std::size_t>(length)};
  }
  std::int64_t begin, end;
  if (large) {
    begin = static_cast<const std::int64_t*>(offsets)[i];
    end = static_cast<const std::int64_t*>(offsets)[i + 1];
  } else {
    begin = static_cast<const std::int32_t*>(offsets)[i];
    end = static_cast<const std::int32_t*>(offsets)[i + 1];
  }
  return {data[0] + begin, static_cast<std::size_t>(end - begin)};
}

std::string_view arrow_strings::at(std::size_t row) const noexcept {
  const auto r = static_cast<std::int64_t>(row);
  const auto chunk = static_cast<std::size_t>(std::upper_bound(starts.begin(), starts.end(), r) - starts.begin() - 1);
  return chunks[chunk].at(r - starts[chunk]);
}

py::dict arrow_columns(py::handle table, const char* what) {
  owned_schema schema;
  std::vector<std::shared_ptr<owned_array>> batches;
  if (py::hasattr(table, "__arrow_c_stream__")) {
    owned_stream stream;
    take(table.attr("__arrow_c_stream__")(), "arrow_array_stream", stream.s);
    auto failed = [&](const char* doing) {
      const char* message = stream.s.get_last_error ? stream.s.get_last_error(&stream.s) : nullptr;
      return error(errc::input, fmt::format("{}: the Arrow stream failed while {} '{}'", what, doing, message ? message : ""));
    };
    if (stream.s.get_schema(&stream.s, &schema.s) != 0) throw failed("giving its schema");
    for (;;) {
      auto batch = std::make_shared<owned_array>();
      if (stream.s.get_next(&stream.s, &batch->a) != 0) throw failed("giving a batch");
      if (!batch->a.release) break;  // the end of the stream
      batches.push_back(std::move(batch));
    }
  } else if (py::hasattr(table, "__arrow_c_array__")) {
    py::tuple capsules = table.attr("__arrow_c_array__")();
    take(capsules[0], "arrow_schema", schema.s);
    auto batch = std::make_shared<owned_array>();
    take(capsules[1], "arrow_array", batch->a);
    batches.push_back(std::move(batch));
  } else {
    type_error(fmt::format("{} must export Arrow data (__arrow_c_stream__ or __arrow_c_array__: a pyarrow Table, "
                           "a Polars DataFrame, a DuckDB result…), not {}",
                           what, py::str(py::type::handle_of(table).attr("__name__")).cast<std::string>()));
  }
  if (std::strcmp(schema.s.format, "+s") != 0)
    throw error(errc::input, fmt::format("{}: Arrow data must be a table (a struct of columns), not type '{}'", what,
                                         schema.s.format));
  py::dict out;
  for (std::int64_t j = 0; j < schema.s.n_children; ++j) {
    const ArrowSchema& field = *schema.s.children[j];
    reader r{what, field.name ? field.name : "", field.format, {}};
    if (field.dictionary)
      throw error(errc::input, fmt::format("{}: column '{}' is dictionary-encoded (categorical); cast it to text "
                                           "first '{}'", what, r.name, r.format));
    for (const auto& b : batches)
      r.pieces.push_back({b, b->a.children[j], b->a.offset + b->a.children[j]->offset, b->a.length});
    out[py::str(r.name)] = r.column();
  }
  return out;
}

void register_arrow(py::module_& m) {
  py::class_<arrow_strings, std::shared_ptr<arrow_strings>>(m, "ArrowStrings")
      .def("__len__", &arrow_strings::size)
      .def("__getitem__", [](const arrow_strings& s, std::size_t i) {
        if (i >= s.size()) throw py::index_error();
        const std::string_view v = s.at(i);
        return py::str(v.data(), v.size());
      });
  m.def("arrow_columns", &arrow_columns, py::arg("table"), py::arg("what"),
        "The columns of Arrow data by name (see downline.Network.from_arrow).");
}

}  // namespace downline::python
