// SPDX-License-Identifier: MIT
// downline._core: the pybind11 extension behind `import downline`. Thin: it loads, runs and
// hands back columns; downline/__init__.py turns them into pandas DataFrames and Decimals.
#include <array>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "arrow.hpp"
#include "columns.hpp"
#include "comparison.hpp"
#include "downline/base.hpp"
#include "downline/decimal.hpp"
#include "downline/detail/parallel.hpp"
#include "downline/engine.hpp"
#include "downline/error.hpp"
#include "downline/io/output_file.hpp"
#include "downline/io/writers.hpp"
#include "downline/network_file.hpp"
#include "downline/report.hpp"
#include "downline/session.hpp"

namespace downline::python {

namespace {

py::str to_py(std::string_view s) {
  PyObject* o = PyUnicode_FromStringAndSize(s.data(), static_cast<Py_ssize_t>(s.size()));
  if (!o) throw py::error_already_set();
  return py::reinterpret_steal<py::str>(o);
}

template <class T>
py::array_t<T> to_array(std::vector<T>&& values) {
  auto* owner = new std::vector<T>(std::move(values));
  py::capsule free_when_done(owner, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  return py::array_t<T>(static_cast<py::ssize_t>(owner->size()), owner->data(), free_when_done);
}

template <class Write>
void write_file(const std::string& path, Write&& write) {
  output_file file(path);
  write(file);
  file.commit();
}

struct py_plan {
  std::shared_ptr<const plan> rules;
};

struct py_network {
  std::shared_ptr<const network> net;
  std::shared_ptr<const network_layout> saved = nullptr;  // the trees a compiled network was saved with, or null
};

/// A network's placement trees (network_layout), built once for many runs.
struct py_layout {
  std::shared_ptr<const network> net;  // kept alive: the layout belongs to it
  network_layout layout;
};

/// The layout a run or compare uses: the caller's, else (for a compiled network saved with its
/// trees) one reusing them, else none (run() builds what its plan needs).
const network_layout* layout_for(const py_network& n, const std::vector<const plan*>& plans, const py_layout* given,
                                 std::optional<network_layout>& built) {
  if (given) return &given->layout;
  if (!n.saved || n.saved->trees().empty()) return nullptr;
  built = network_layout::build(*n.net, placement_needs(plans), n.saved.get());
  return &*built;
}

/// A state as text (SPEC §7.2), resolved against the plan and network of the run it is given to.
struct py_state {
  state_text text;
  std::string source;  // the file it was read from (runs read it again, for file:line messages)
};

/// Overrides or adjustments (SPEC §7.4): rows as text, or a CSV path; resolved at the run.
template <class Row>
struct py_rows {
  std::vector<Row> rows;
  std::string source;
};
using py_overrides = py_rows<override_row>;
using py_adjustments = py_rows<adjustment_row>;

/**
 * A ledger is resolved against the network of each run (SPEC §9: `Ledger.from_csv(path)`
 * needs no network). It is parsed (or converted) once up front, so malformed values fail at
 * load; member ids are resolved at the first run and the result is kept for that network.
 */
class py_ledger {
 public:
  static std::shared_ptr<py_ledger> from_csv(std::string path) {
    auto l = std::make_shared<py_ledger>();
    l->path_ = std::move(path);
    py::gil_scoped_release release;
    l->pending_.emplace(ledger_builder::parse_csv(*l->path_));
    return l;
  }

  static std::shared_ptr<py_ledger> from_columns(py::object member_ids, py::object amounts, py::object volumes,
                                                 py::object kinds, py::object dates, py::object order_ids,
                                                 int money_decimals, int volume_decimals) {
    auto l = std::make_shared<py_ledger>();
    // Kept referenced (not copied) so another network can resolve them again.
    l->columns_ = {member_ids, amounts, volumes, kinds, dates, order_ids};
    l->money_decimals_ = money_decimals;
    l->volume_decimals_ = volume_decimals;
    l->pending_.emplace(l->convert());
    return l;
  }

  /// The ledger resolved against `net` (GIL held on entry; released while resolving).
  std::shared_ptr<const ledger> for_network(const std::shared_ptr<const network>& net) {
    std::optional<ledger_builder> builder;
    {
      std::lock_guard lock(mutex_);
      if (built_ && bound_ == net) return built_;
      if (pending_) {
        builder.emplace(std::move(*pending_));
        pending_.reset();
      }
    }
    if (!builder) {
      if (path_) {
        py::gil_scoped_release release;
        builder.emplace(ledger_builder::parse_csv(*path_));
      } else {
        builder.emplace(convert());
      }
    }
    std::shared_ptr<const ledger> resolved;
    {
      py::gil_scoped_release release;
      resolved = std::make_shared<const ledger>(std::move(*builder).build(*net));
    }
    std::lock_guard lock(mutex_);
    built_ = resolved;
    bound_ = net;
    return resolved;
  }

 private:
  ledger_builder convert() const {
    const auto& c = columns_;
    return ledger_from_columns(c[0], c[1], c[2], c[3], c[4], c[5], money_decimals_, volume_decimals_);
  }

  std::optional<std::string> path_;
  std::vector<py::object> columns_;
  int money_decimals_ = 2, volume_decimals_ = 0;
  std::mutex mutex_;
  std::optional<ledger_builder> pending_;
  std::shared_ptr<const network> bound_;
  std::shared_ptr<const ledger> built_;
};

struct py_result {
  std::shared_ptr<const plan> rules;
  std::shared_ptr<const network> net;
  std::shared_ptr<const ledger> sales;
  result r;
  bool explained = false;
  bool one_member = false;  ///< a Session's estimate for one member: no ranks, no report

  py::list member_column(const std::vector<member_index>& members) const {
    py::list out(members.size());
    for (std::size_t i = 0; i < members.size(); ++i) out[i] = to_py(members[i] == none ? "" : net->id(members[i]));
    return out;
  }
  py::list bonus_column(const std::vector<std::uint16_t>& bonuses) const {
    std::vector<py::str> names;
    for (const auto& b : r.bonus_names) names.push_back(to_py(b));
    py::list out(bonuses.size());
    for (std::size_t i = 0; i < bonuses.size(); ++i) out[i] = names[bonuses[i]];
    return out;
  }
};

/// One row of Network.from_columns' columns (views valid during the call).
struct member_fields {
  std::size_t i, count;
  std::string_view id, sponsor, placement, position, joined;
  std::optional<std::string_view> status;
};

/// Checks the columns of Network.from_columns (lengths) and calls f(member_fields) per row.
template <class F>
void for_each_member_row(py::object ids, py::object sponsor_ids, py::object placement_ids, py::object positions,
                         py::object joined, py::object statuses, F&& f) {
  const text_column id(ids, "ids"), sponsor(sponsor_ids, "sponsor_ids");
  std::optional<text_column> placement, position, join, status;
  if (!placement_ids.is_none()) placement.emplace(placement_ids, "placement_ids");
  if (!positions.is_none()) position.emplace(positions, "positions");
  if (!joined.is_none()) join.emplace(joined, "joined");
  if (!statuses.is_none()) status.emplace(statuses, "statuses");
  const std::size_t n = id.size();
  auto check = [n](const std::optional<text_column>& c, const char* name) {
    if (c && c->size() != n) throw error(errc::usage, fmt::format("{} has {} rows, ids {}", name, c->size(), n));
  };
  if (sponsor.size() != n) throw error(errc::usage, fmt::format("sponsor_ids has {} rows, ids {}", sponsor.size(), n));
  check(placement, "placement_ids");
  check(position, "positions");
  check(join, "joined");
  check(status, "statuses");
  std::string s1, s2, s3, s4, s5, s6;
  for (std::size_t i = 0; i < n; ++i) {
    member_fields row{i, n, id.at(i, s1), sponsor.at(i, s2), {}, {}, {}, std::nullopt};
    if (placement) row.placement = placement->at(i, s3);
    if (position) row.position = position->at(i, s4);
    if (join) row.joined = join->at(i, s5);
    if (status) row.status = status->at(i, s6);
    f(row);
  }
}

run_options make_options(const std::optional<std::string>& period, bool explain, std::optional<long long> threads) {
  run_options options;
  if (threads) {
    if (*threads < 1 || *threads > detail::max_threads)
      throw error(errc::usage, fmt::format("threads must be 1 to {}, not '{}'", detail::max_threads, *threads));
    options.threads = static_cast<unsigned>(*threads);
  }
  if (period) {
    options.period = parse_period(*period);
    if (!options.period)
      throw error(errc::usage,
                  fmt::format("period must be YYYY-MM, YYYY-Www or YYYY-MM-DD..YYYY-MM-DD, not {}", quote_value(*period)));
  }
  options.explain = explain;
  return options;
}

/// A state given to a run, resolved against its plan and network (a file is read again, so that
/// messages name its lines).
member_state resolve_state(const py_state& state, const plan& rules, const network& net) {
  return state.source.empty() ? read_state(state.text, rules, net) : read_state(state.source, rules, net);
}

std::shared_ptr<py_result> run_period(const py_plan& p, const py_network& n, py_ledger& l,
                                      std::optional<std::string> period, const py_state* state, bool explain,
                                      const py_overrides* overridden, const py_adjustments* adjusted,
                                      const py_layout* given, std::optional<long long> threads) {
  run_options options = make_options(period, explain, threads);
  auto out = std::make_shared<py_result>();
  out->rules = p.rules;
  out->net = n.net;
  out->sales = l.for_network(n.net);
  out->explained = explain;
  py::gil_scoped_release release;
  const plan& rules = *out->rules;
  const network& net = *out->net;
  std::optional<member_state> state_in;
  if (state) state_in = resolve_state(*state, rules, net);
  std::optional<overrides> o;
  if (overridden)
    o = overridden->source.empty() ? overrides::from_rows(overridden->rows, rules, net)
                                   : overrides::from_csv(overridden->source, rules, net);
  std::optional<adjustments> a;
  if (adjusted)
    a = adjusted->source.empty() ? adjustments::from_rows(adjusted->rows, rules, net)
                                 : adjustments::from_csv(adjusted->source, rules, net);
  options.state_in = state_in ? &*state_in : nullptr;
  options.overrides_in = o ? &*o : nullptr;
  options.adjustments_in = a ? &*a : nullptr;
  std::optional<network_layout> built;
  options.layout = layout_for(n, {&rules}, given, built);
  out->r = run(rules, net, *out->sales, options);
  return out;
}

/// downline.Session: a period kept open (session.hpp).
struct py_session {
  std::shared_ptr<const plan> rules;
  std::unique_ptr<session> s;

  py_session(const py_plan& p, const py_network& n, std::optional<std::string> period, const py_state* state)
      : rules(p.rules) {
    const run_options o = make_options(period, false, std::nullopt);
    py::gil_scoped_release release;
    member_state state_in;
    if (state) state_in = resolve_state(*state, *rules, *n.net);
    s = std::make_unique<session>(*rules, n.net, o.period, std::move(state_in));
  }

  void add_sales(py::object member_ids, py::object amounts, py::object volumes, py::object kinds, py::object dates,
                 py::object order_ids, int money_decimals, int volume_decimals) {
    ledger_builder lines =
        ledger_from_columns(member_ids, amounts, volumes, kinds, dates, order_ids, money_decimals, volume_decimals);
    py::gil_scoped_release release;
    s->add_sales(std::move(lines));
  }

  void add_members(py::object ids, py::object sponsor_ids, py::object placement_ids, py::object positions,
                   py::object joined, py::object statuses) {
    std::vector<member_row> rows;
    for_each_member_row(ids, sponsor_ids, placement_ids, positions, joined, statuses, [&](const member_fields& f) {
      rows.push_back({std::string(f.id), std::string(f.sponsor), std::string(f.placement), std::string(f.position),
                      std::string(f.joined), std::string(f.status.value_or(""))});
    });
    py::gil_scoped_release release;
    s->add_members(rows);
  }

  std::shared_ptr<py_result> estimate(std::optional<std::string> member_id, bool explain) {
    auto out = std::make_shared<py_result>();
    out->rules = rules;
    out->net = s->network_ptr();
    out->sales = s->sales_ptr();
    out->explained = explain;
    out->one_member = member_id.has_value();
    py::gil_scoped_release release;
    if (!member_id) {
      out->r = s->estimate(explain);
      return out;
    }
    const member_index m = out->net->find(*member_id);
    if (m == none) throw error(errc::usage, fmt::format("estimate: no member {} in the network", quote_value(*member_id)));
    out->r = s->estimate(m, explain);
    return out;
  }
};

// downline.compare: `states` is empty or holds one state (or None) per plan.
std::shared_ptr<py_comparison> compare_plans(const std::vector<std::shared_ptr<py_plan>>& plans, const py_network& n,
                                             py_ledger& l, std::optional<std::string> period,
                                             const std::vector<std::shared_ptr<py_state>>& states, bool explain,
                                             const py_layout* given, std::optional<long long> threads) {
  if (!states.empty() && states.size() != plans.size())
    throw error(errc::usage, fmt::format("states has {} entries for {} plans", states.size(), plans.size()));
  std::vector<const plan*> rules;
  std::vector<run_options> options;
  for (std::size_t i = 0; i < plans.size(); ++i) {
    rules.push_back(plans[i]->rules.get());
    options.push_back(make_options(period, explain, threads));
  }
  auto out = std::make_shared<py_comparison>();
  out->net = n.net;
  const auto sales = l.for_network(n.net);
  py::gil_scoped_release release;
  std::vector<std::optional<member_state>> resolved(plans.size());
  for (std::size_t i = 0; i < states.size(); ++i)
    if (states[i]) {
      resolved[i] = resolve_state(*states[i], *rules[i], *out->net);
      options[i].state_in = &*resolved[i];
    }
  std::optional<network_layout> built;  // without one, compare() builds one for all the plans
  const network_layout* layout = layout_for(n, rules, given, built);
  for (run_options& o : options) o.layout = layout;
  out->c = compare(rules, *out->net, *sales, options);
  return out;
}

/// Rows of text from equal-length columns (None → ""), for states, overrides and adjustments.
template <std::size_t N>
std::vector<std::array<std::string, N>> text_rows(const std::array<py::object, N>& columns,
                                                  const std::array<const char*, N>& names) {
  std::vector<std::array<std::string, N>> rows;
  for (std::size_t c = 0; c < N; ++c) {
    std::size_t i = 0;
    for (py::handle v : columns[c]) {
      if (c == 0) rows.emplace_back();
      if (i >= rows.size()) throw error(errc::usage, fmt::format("{} and {} must have the same length", names[0], names[c]));
      rows[i++][c] = v.is_none() ? std::string() : py::str(v).cast<std::string>();
    }
    if (i != rows.size()) throw error(errc::usage, fmt::format("{} and {} must have the same length", names[0], names[c]));
  }
  return rows;
}

const char* error_class(errc code) {
  switch (code) {
    case errc::io: return "FileError";
    case errc::input: return "InputError";
    case errc::network: return "NetworkError";
    case errc::plan: return "PlanError";
    case errc::overflow: return "NumberOverflowError";
    case errc::usage: return "UsageError";
    case errc::ok: break;
  }
  return "Error";
}

}  // namespace

}  // namespace downline::python

PYBIND11_MODULE(_core, m) {
  using namespace downline;
  using namespace downline::python;
  m.doc() = "downline's C++ core (use the `downline` package, not this module)";
  m.attr("__version__") = DOWNLINE_VERSION_STRING;
  m.attr("VOLUME_DECIMALS") = volume_decimals;
  m.attr("RATE_DECIMALS") = rate_decimals;
  m.attr("EXACT_DECIMALS") = exact_decimals;

  // downline::error and its subclasses become downline.Error subclasses, message unchanged.
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const downline::error& e) {
      py::object cls = py::module_::import("downline._errors").attr(error_class(e.code()));
      PyErr_SetString(cls.ptr(), e.what());
    }
  });

  py::class_<py_plan, std::shared_ptr<py_plan>>(m, "Plan")
      .def_static(
          "from_json_text",
          [](const std::string& text, const std::string& source) {
            return std::make_shared<py_plan>(py_plan{std::make_shared<const plan>(plan::from_json(text, source))});
          },
          py::arg("text"), py::arg("source") = "plan")
      .def_static(
          "from_file",
          [](const std::string& path) {
            return std::make_shared<py_plan>(py_plan{std::make_shared<const plan>(plan::from_file(path))});
          },
          py::arg("path"))
      .def_property_readonly("name", [](const py_plan& p) { return p.rules->name; })
      .def_property_readonly("currency", [](const py_plan& p) { return p.rules->currency; })
      .def_property_readonly("money_decimals", [](const py_plan& p) { return p.rules->money_decimals; })
      .def_property_readonly("rounding", [](const py_plan& p) { return std::string(to_string(p.rules->rounding)); })
      .def_property_readonly("bonus_names",
                             [](const py_plan& p) {
                               std::vector<std::string> names;
                               for (auto& b : p.rules->bonuses) names.push_back(b->name());
                               return names;
                             })
      .def_property_readonly("bonus_types",
                             [](const py_plan& p) {
                               std::vector<std::string> types;
                               for (auto& b : p.rules->bonuses) types.push_back(b->type());
                               return types;
                             })
      .def_property_readonly("rank_names", [](const py_plan& p) {
        std::vector<std::string> names;
        for (auto& r : p.rules->ranks) names.push_back(r.name);
        return names;
      });

  py::class_<py_network, std::shared_ptr<py_network>>(m, "Network")
      .def_static(
          "from_csv",
          [](const std::string& path) {
            py::gil_scoped_release release;
            return std::make_shared<py_network>(py_network{std::make_shared<const network>(network::from_csv(path))});
          },
          py::arg("path"))
      .def_static(
          "from_file",
          [](const std::string& path) {
            py::gil_scoped_release release;
            loaded_network loaded = load_network(path);
            auto saved = std::make_shared<const network_layout>(std::move(loaded.layout));
            return std::make_shared<py_network>(
                py_network{std::make_shared<const network>(std::move(loaded.net)), std::move(saved)});
          },
          py::arg("path"))
      .def(
          "compile",
          [](const py_network& n, const std::string& path, const py_plan* rules) {
            py::gil_scoped_release release;
            std::optional<network_layout> layout;
            if (rules) layout = network_layout::build(*n.net, *rules->rules, n.saved.get());
            write_compiled_network(*n.net, path, layout ? &*layout : nullptr);
          },
          py::arg("path"), py::arg("plan") = nullptr)
      .def_static(
          "from_columns",
          [](py::object ids, py::object sponsor_ids, py::object placement_ids, py::object positions,
             py::object joined, py::object statuses) {
            network_builder builder("network", false);
            builder.set_has_joined(!joined.is_none());
            for_each_member_row(ids, sponsor_ids, placement_ids, positions, joined, statuses, [&](const member_fields& f) {
              if (f.i == 0) builder.reserve(f.count);
              builder.add(f.id, f.sponsor, f.placement, f.position, f.joined, f.i);
              if (f.status) builder.set_status(*f.status);
            });
            py::gil_scoped_release release;
            auto net = std::make_shared<const network>(std::move(builder).build());
            return std::make_shared<py_network>(py_network{std::move(net)});
          },
          py::arg("ids"), py::arg("sponsor_ids"), py::arg("placement_ids") = py::none(),
          py::arg("positions") = py::none(), py::arg("joined") = py::none(), py::arg("statuses") = py::none())
      .def("__len__", [](const py_network& n) { return n.net->size(); })
      .def("__contains__", [](const py_network& n, const std::string& id) { return n.net->find(id) != none; })
      .def("ids", [](const py_network& n) {
        py::list out(n.net->size());
        for (std::uint32_t r = 0; r < n.net->size(); ++r) out[r] = to_py(n.net->id(n.net->member_at_row(r)));
        return out;
      });

  py::class_<py_layout, std::shared_ptr<py_layout>>(m, "Layout")
      .def(py::init([](const py_network& n, const std::vector<std::shared_ptr<py_plan>>& plans) {
             std::vector<const plan*> rules;
             for (const auto& p : plans) rules.push_back(p->rules.get());
             py::gil_scoped_release release;
             return std::make_shared<py_layout>(
                 py_layout{n.net, network_layout::build(*n.net, placement_needs(rules), n.saved.get())});
           }),
           py::arg("network"), py::arg("plans"))
      .def_property_readonly("trees", [](const py_layout& l) {
        std::vector<std::string> out;
        for (const placement_options& o : l.layout.trees()) out.push_back(describe(o));
        return out;
      });

  py::class_<py_ledger, std::shared_ptr<py_ledger>>(m, "Ledger")
      .def_static("from_csv", &py_ledger::from_csv, py::arg("path"))
      .def_static("from_columns", &py_ledger::from_columns, py::arg("member_ids"), py::arg("amounts"),
                  py::arg("volumes"), py::arg("kinds"), py::arg("dates"), py::arg("order_ids"),
                  py::arg("money_decimals"), py::arg("volume_decimals"))
      .def(
          "resolve", [](py_ledger& l, const py_network& n) { return l.for_network(n.net)->size(); },
          py::arg("network"));

  py::class_<py_state, std::shared_ptr<py_state>>(m, "State")
      .def(py::init([] { return std::make_shared<py_state>(); }))
      .def_static(
          "from_csv",
          [](const std::string& path) {
            py::gil_scoped_release release;
            return std::make_shared<py_state>(py_state{read_state_text(path), path});
          },
          py::arg("path"))
      .def_static(
          "from_rows",
          [](std::optional<std::string> period, py::object member_ids, py::object keys, py::object values) {
            auto state = std::make_shared<py_state>();
            state->text.period = period.value_or("");
            for (auto& [id, key, value] : text_rows<3>({member_ids, keys, values}, {"member_ids", "keys", "values"}))
              state->text.rows.push_back({std::move(id), std::move(key), std::move(value)});
            return state;
          },
          py::arg("period"), py::arg("member_ids"), py::arg("keys"), py::arg("values"))
      .def_property_readonly("period", [](const py_state& s) { return s.text.period; })
      .def("__len__", [](const py_state& s) { return s.text.rows.size(); })
      .def("rows",
           [](const py_state& s) {
             py::list out;
             for (const state_row& r : s.text.rows) out.append(py::make_tuple(r.member_id, r.key, r.value));
             return out;
           })
      .def(
          "write_csv",
          [](const py_state& s, const std::string& path) {
            write_file(path, [&](output_file& f) { write_state(f, s.text); });
          },
          py::arg("path"));

  py::class_<py_overrides, std::shared_ptr<py_overrides>>(m, "Overrides")
      .def_static(
          "from_csv", [](const std::string& path) { return std::make_shared<py_overrides>(py_overrides{{}, path}); },
          py::arg("path"))
      .def_static(
          "from_rows",
          [](py::object member_ids, py::object ranks, py::object actives, py::object notes) {
            auto o = std::make_shared<py_overrides>();
            for (auto& [id, rank, active, note] :
                 text_rows<4>({member_ids, ranks, actives, notes}, {"member_ids", "ranks", "actives", "notes"}))
              o->rows.push_back({std::move(id), std::move(rank), std::move(active), std::move(note)});
            return o;
          },
          py::arg("member_ids"), py::arg("ranks"), py::arg("actives"), py::arg("notes"));

  py::class_<py_adjustments, std::shared_ptr<py_adjustments>>(m, "Adjustments")
      .def_static(
          "from_csv",
          [](const std::string& path) { return std::make_shared<py_adjustments>(py_adjustments{{}, path}); },
          py::arg("path"))
      .def_static(
          "from_rows",
          [](py::object member_ids, py::object bonuses, py::object amounts, py::object notes) {
            auto a = std::make_shared<py_adjustments>();
            for (auto& [id, bonus, amount, note] :
                 text_rows<4>({member_ids, bonuses, amounts, notes}, {"member_ids", "bonuses", "amounts", "notes"}))
              a->rows.push_back({std::move(id), std::move(bonus), std::move(amount), std::move(note)});
            return a;
          },
          py::arg("member_ids"), py::arg("bonuses"), py::arg("amounts"), py::arg("notes"));

  py::class_<py_result, std::shared_ptr<py_result>>(m, "Result")
      .def_property_readonly("money_decimals", [](const py_result& r) { return r.rules->money_decimals; })
      .def_property_readonly("explained", [](const py_result& r) { return r.explained; })
      .def("payout_columns",
           [](const py_result& r) {
             const auto& payouts = r.r.payouts;
             std::vector<member_index> members(payouts.size());
             std::vector<std::uint16_t> bonuses(payouts.size());
             std::vector<std::int64_t> amounts(payouts.size());
             for (std::size_t i = 0; i < payouts.size(); ++i) {
               members[i] = payouts[i].member;
               bonuses[i] = payouts[i].bonus;
               amounts[i] = payouts[i].amount;
             }
             return py::make_tuple(r.member_column(members), r.bonus_column(bonuses), to_array(std::move(amounts)));
           })
      .def("rank_columns",
           [](const py_result& r) {
             const network& net = *r.net;
             const qualification& q = r.r.q;
             const std::uint32_t n = r.one_member ? 0 : net.size();
             std::vector<member_index> members(n);
             std::vector<std::int64_t> pv(n), gv(n);
             std::vector<std::uint8_t> active(n);
             std::vector<py::str> rank_names{to_py("")};
             for (const auto& rank : r.rules->ranks) rank_names.push_back(to_py(rank.name));
             py::list ranks(n);
             for (std::uint32_t row = 0; row < n; ++row) {
               const member_index m = net.member_at_row(row);
               members[row] = m;
               ranks[row] = rank_names[static_cast<std::size_t>(q.rank[m] + 1)];
               pv[row] = q.pv[m];
               gv[row] = q.gv[m];
               active[row] = q.active[m];
             }
             py::array_t<bool> active_array(static_cast<py::ssize_t>(n));
             auto* flags = active_array.mutable_data();
             for (std::uint32_t row = 0; row < n; ++row) flags[row] = active[row] != 0;
             py::list qualified(n), title(n), notes(n);
             std::vector<std::int64_t> grace(n);
             for (std::uint32_t row = 0; row < n; ++row) {
               const member_index m = members[row];
               qualified[row] = rank_names[static_cast<std::size_t>(q.qualified_rank_of(m) + 1)];
               title[row] = rank_names[static_cast<std::size_t>(q.title_rank_of(m) + 1)];
               grace[row] = q.grace_of(m);
               const std::string* note = q.override_of(m);
               notes[row] = note ? py::object(to_py(note->empty() ? "override" : *note)) : py::object(to_py(""));
             }
             return py::make_tuple(r.member_column(members), ranks, to_array(std::move(pv)), to_array(std::move(gv)),
                                   active_array, qualified, title, to_array(std::move(grace)), notes);
           })
      .def("line_columns",
           [](const py_result& r) {
             const auto& lines = r.r.lines;
             const std::size_t n = lines.size();
             std::vector<member_index> earners(n), sources(n);
             std::vector<std::uint16_t> bonuses(n);
             std::vector<std::uint32_t> levels(n);
             std::vector<std::int64_t> bases(n), rates(n);
             py::list orders(n), amounts(n);
             for (std::size_t i = 0; i < n; ++i) {
               const explanation& e = lines[i];
               earners[i] = e.earner;
               sources[i] = e.source;
               bonuses[i] = e.bonus;
               levels[i] = e.level;
               bases[i] = e.base;
               rates[i] = e.rate;
               orders[i] = to_py(e.line == none ? std::string_view() : r.sales->order_id(e.line));
               amounts[i] = to_py(format_trimmed(e.amount, exact_decimals));
             }
             return py::make_tuple(r.member_column(earners), r.bonus_column(bonuses), r.member_column(sources), orders,
                                   to_array(std::move(levels)), to_array(std::move(bases)), to_array(std::move(rates)),
                                   amounts);
           })
      .def("payable_columns",
           [](const py_result& r) {
             // Member ids, the seven money figures (minor units) as columns, statuses.
             const auto& rows = r.r.settled.payables;
             const std::size_t n = rows.size();
             std::vector<member_index> members(n);
             std::vector<std::vector<std::int64_t>> money(7, std::vector<std::int64_t>(n));
             std::vector<py::str> names;
             for (auto s : {payable_status::paid, payable_status::hold, payable_status::below_minimum,
                            payable_status::negative, payable_status::forfeited})
               names.push_back(to_py(to_string(s)));
             py::list statuses(n);
             for (std::size_t i = 0; i < n; ++i) {
               const payable& p = rows[i];
               members[i] = p.member;
               const std::int64_t figures[7] = {p.earned, p.balance_in, p.fee, p.deductions,
                                                p.paid,   p.balance_out, p.forfeited};
               for (std::size_t k = 0; k < 7; ++k) money[k][i] = figures[k];
               statuses[i] = names[static_cast<std::size_t>(p.status)];
             }
             py::list columns;
             for (auto& c : money) columns.append(to_array(std::move(c)));
             return py::make_tuple(r.member_column(members), columns, statuses);
           })
      .def("summary_json", [](const py_result& r) { return r.r.totals.to_json(); })
      .def("summary_text", [](const py_result& r) { return r.r.totals.to_text(); })
      .def("state", [](const py_result& r) { return std::make_shared<py_state>(py_state{r.r.state(), ""}); })
      .def(
          "write_payouts",
          [](const py_result& r, const std::string& path) {
            write_file(path, [&](output_file& f) { write_payouts(f, r.r, *r.rules); });
          },
          py::arg("path"))
      .def(
          "write_ranks",
          [](const py_result& r, const std::string& path) {
            write_file(path, [&](output_file& f) { write_ranks(f, r.r, *r.rules); });
          },
          py::arg("path"))
      .def(
          "write_lines",
          [](const py_result& r, const std::string& path) {
            if (!r.explained)
              throw error(errc::usage, fmt::format("run(..., explain=True) is needed to write lines '{}'", path));
            write_file(path, [&](output_file& f) { write_lines(f, r.r, *r.sales); });
          },
          py::arg("path"))
      .def(
          "write_payables",
          [](const py_result& r, const std::string& path) {
            write_file(path, [&](output_file& f) { write_payables(f, r.r, *r.rules); });
          },
          py::arg("path"))
      .def(
          "write_summary_json",
          [](const py_result& r, const std::string& path) {
            write_file(path, [&](output_file& f) { f.buffer() += r.r.totals.to_json(); });
          },
          py::arg("path"))
      .def(
          "write_report",
          [](const py_result& r, const std::string& path) {
            if (r.one_member)
              throw error(errc::usage, fmt::format("a report needs an estimate for everyone, not one member {}", quote_value(path)));
            write_file(path, [&](output_file& f) {
              f.buffer() += report_html(comparison{r.net.get(), {outcome_of(r.r, *r.rules)}});
            });
          },
          py::arg("path"));

  py::class_<py_session, std::shared_ptr<py_session>>(m, "Session")
      .def(py::init<const py_plan&, const py_network&, std::optional<std::string>, const py_state*>(), py::arg("plan"),
           py::arg("network"), py::arg("period") = py::none(), py::arg("state") = nullptr)
      .def("add_sales", &py_session::add_sales, py::arg("member_ids"), py::arg("amounts"), py::arg("volumes"),
           py::arg("kinds"), py::arg("dates"), py::arg("order_ids"), py::arg("money_decimals"),
           py::arg("volume_decimals"))
      .def("add_members", &py_session::add_members, py::arg("ids"), py::arg("sponsor_ids"),
           py::arg("placement_ids") = py::none(), py::arg("positions") = py::none(), py::arg("joined") = py::none(),
           py::arg("statuses") = py::none())
      .def("estimate", &py_session::estimate, py::arg("member_id") = py::none(), py::arg("explain") = false)
      .def("network", [](const py_session& s) { return std::make_shared<py_network>(py_network{s.s->network_ptr()}); })
      .def("ledger_size", [](const py_session& s) { return s.s->sales().size(); });

  m.def("run", &run_period, py::arg("plan"), py::arg("network"), py::arg("ledger"), py::arg("period") = py::none(),
        py::arg("state") = nullptr, py::arg("explain") = false, py::arg("overrides") = nullptr,
        py::arg("adjustments") = nullptr, py::arg("layout") = nullptr, py::arg("threads") = py::none(),
        "Evaluates one period (the GIL is released while it computes).");
  register_comparison(m);
  register_arrow(m);
  m.def("compare", &compare_plans, py::arg("plans"), py::arg("network"), py::arg("ledger"),
        py::arg("period") = py::none(), py::arg("states") = std::vector<std::shared_ptr<py_state>>(),
        py::arg("explain") = false, py::arg("layout") = nullptr, py::arg("threads") = py::none(),
        "Evaluates each plan over the same network and ledger (the GIL is released while it computes).");
}
