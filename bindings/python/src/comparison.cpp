// SPDX-License-Identifier: MIT
#include "comparison.hpp"

#include <string>
#include <vector>

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include "downline/io/output_file.hpp"
#include "downline/report.hpp"

namespace downline::python {

namespace {
// The rows of compare.csv: members paid something under some plan, network-file order.
std::vector<std::uint32_t> paid_rows(const comparison& c) {
  std::vector<std::uint32_t> rows;
  for (std::uint32_t row = 0; row < c.net->size(); ++row)
    for (const plan_outcome& p : c.plans)
      if (p.member_totals[row] != 0) {
        rows.push_back(row);
        break;
      }
  return rows;
}
}  // namespace

void register_comparison(py::module_& m) {
  py::class_<py_comparison, std::shared_ptr<py_comparison>>(m, "Comparison")
      .def_property_readonly("plan_names",
                             [](const py_comparison& p) {
                               std::vector<std::string> names;
                               for (const plan_outcome& o : p.c.plans) names.push_back(o.totals.plan_name);
                               return names;
                             })
      .def_property_readonly("money_decimals",
                             [](const py_comparison& p) {
                               std::vector<int> decimals;
                               for (const plan_outcome& o : p.c.plans) decimals.push_back(o.totals.money_decimals);
                               return decimals;
                             })
      .def("columns",
           [](const py_comparison& p) {
             // compare.csv's rows: member ids and, per plan, int64 minor units.
             const std::vector<std::uint32_t> rows = paid_rows(p.c);
             py::list ids(rows.size());
             for (std::size_t i = 0; i < rows.size(); ++i) ids[i] = py::str(std::string(p.net->id_at_row(rows[i])));
             py::list amounts;
             for (const plan_outcome& o : p.c.plans) {
               py::array_t<std::int64_t> column(static_cast<py::ssize_t>(rows.size()));
               auto* out = column.mutable_data();
               for (std::size_t i = 0; i < rows.size(); ++i) out[i] = o.member_totals[rows[i]];
               amounts.append(column);
             }
             return py::make_tuple(ids, amounts);
           })
      .def("summary_json", [](const py_comparison& p) { return comparison_json(p.c); })
      .def(
          "write_csv",
          [](const py_comparison& p, const std::string& path) {
            output_file f(path);
            write_comparison(f, p.c);
            f.commit();
          },
          py::arg("path"))
      .def(
          "write_report",
          [](const py_comparison& p, const std::string& path) {
            output_file f(path);
            f.buffer() += report_html(p.c);
            f.commit();
          },
          py::arg("path"));
}

}  // namespace downline::python
