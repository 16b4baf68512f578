// SPDX-License-Identifier: MIT
// downline._core.Comparison: several plans' outcomes over one network (downline.compare).
#pragma once

#include <memory>

#include <pybind11/pybind11.h>

#include "downline/compare.hpp"

namespace downline::python {

namespace py = pybind11;

struct py_comparison {
  std::shared_ptr<const network> net;  ///< what `c` refers to
  comparison c;
};

/// Registers the Comparison class (columns, summaries, compare.csv and the report).
void register_comparison(py::module_& m);

}  // namespace downline::python
