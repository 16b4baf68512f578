# SPDX-License-Identifier: MIT
"""downline: exact, explainable multi-level-marketing commissions, for analysts.

    import downline

    plan = downline.Plan.from_json("plan.json")           # a path, JSON text or a dict
    net = downline.Network.from_csv("network.csv")        # or Network.from_arrays(ids, sponsor_ids)
    layout = downline.Layout(net, plan)                   # optional: placement trees, once for many runs
    sales = downline.Ledger.from_csv("sales.csv")         # or Ledger.from_arrays(member_ids, amounts)
    res = downline.run(plan, net, sales, period="2026-03", layout=layout)
    res.payouts          # DataFrame: member_id, bonus, amount (decimal.Decimal, never float)
    res.payouts_minor    # the same amounts as an int64 NumPy array of minor units (cents)
    res.ranks            # DataFrame: member_id, rank, pv, gv, active
    res.payables         # DataFrame as payables.csv: earned, ..., paid, balance_out (Decimal), status
    res.state            # carry for the next period: downline.run(..., state=res.state)
    res.summary          # dict, as the CLI's --summary-json

Money is exact everywhere: amounts go in as int64 minor units, strings or decimal.Decimal,
and come out as Decimal or int64 minor units; a float is refused. Errors raise subclasses of
``downline.Error`` with the CLI's messages. The computation releases the GIL.
"""

from __future__ import annotations

import datetime as _datetime
import json as _json
import os as _os
from decimal import Decimal
from functools import cached_property
from typing import Any, Mapping, Optional, Sequence, Union

import numpy as np
import pandas as pd

from . import _core
from ._errors import (
    Error,
    FileError,
    InputError,
    InputTypeError,
    NetworkError,
    NumberOverflowError,
    PlanError,
    UsageError,
)

__version__: str = _core.__version__

__all__ = [
    "Plan",
    "Network",
    "Layout",
    "Ledger",
    "State",
    "Result",
    "run",
    "Session",
    "compare",
    "Comparison",
    "Error",
    "FileError",
    "InputError",
    "InputTypeError",
    "NetworkError",
    "PlanError",
    "NumberOverflowError",
    "UsageError",
    "__version__",
]

PathLike = Union[str, "_os.PathLike[str]"]
Column = Any  # a NumPy array, a pandas Series, a list or a tuple

_VOLUME_DECIMALS = _core.VOLUME_DECIMALS  # PV, GV and carry: ten-thousandths of a point
_BASE_DECIMALS = 6                        # explanation bases: millionths (volume x 100)
_RATE_DECIMALS = _core.RATE_DECIMALS      # rates: millionths of one
_PAYABLE_MONEY = ("earned", "balance_in", "fee", "deductions", "paid", "balance_out", "forfeited")


# ---- helpers ------------------------------------------------------------------------------

def _trimmed(value: Decimal) -> Decimal:
    """12.5000 -> 12.5, 150.0000 -> 150 (no exponent)."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def _from_units(values: "np.ndarray", decimals: int, trim: bool) -> list:
    """Integers in 10^-decimals units as exact Decimals."""
    out = [Decimal(int(v)).scaleb(-decimals) for v in values.tolist()]
    return [_trimmed(d) for d in out] if trim else out


def _json_text(value: Any) -> str:
    """A plan given as a dict, as JSON text; Decimal numbers are written exactly."""
    if isinstance(value, Mapping):
        items = (f"{_json.dumps(str(k))}: {_json_text(v)}" for k, v in value.items())
        return "{" + ", ".join(items) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_json_text(v) for v in value) + "]"
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise PlanError(f"plan: a number is not finite '{value}'")
        return format(value, "f")
    if value is None or isinstance(value, (bool, int, float, str)):
        return _json.dumps(value)
    raise TypeError(f"a plan dict holds JSON values, not {type(value).__name__}")


def _path(path: PathLike) -> str:
    return _os.fspath(path)


def _period_text(period: Any) -> Optional[str]:
    if period is None:
        return None
    if isinstance(period, str):
        return period
    if isinstance(period, np.datetime64):
        period = pd.Timestamp(period)
    if hasattr(period, "year") and hasattr(period, "month"):  # date, datetime, Timestamp, Period
        return f"{int(period.year):04d}-{int(period.month):02d}"
    raise TypeError(f"period must be 'YYYY-MM', a date or a pandas Period, not {type(period).__name__}")


def _dates_column(dates: Column) -> Column:
    """datetime64 values become int64 days since 1970-01-01 (NaT: undated); date objects ISO text."""
    if dates is None:
        return None
    values = np.asarray(dates)
    if values.dtype.kind == "M":
        return values.astype("datetime64[D]").astype(np.int64)
    if values.dtype.kind == "O":
        return np.array([v.isoformat()[:10] if isinstance(v, (_datetime.date, pd.Timestamp)) else v
                         for v in values.tolist()], dtype=object)
    return values


def _date_texts(dates: Column) -> Column:
    """joined dates as ISO text (NaT and None: empty)."""
    if dates is None:
        return None
    values = np.asarray(dates)
    if values.dtype.kind == "M":
        text = np.datetime_as_string(values.astype("datetime64[D]"))
        return np.where(np.isnat(values), "", text)
    return _dates_column(values)


def _column(frame: pd.DataFrame, name: str) -> Column:
    return frame[name].to_numpy() if name in frame.columns else None


# ---- inputs -------------------------------------------------------------------------------

class Plan:
    """A compensation plan (SPEC §3), validated as a whole."""

    __slots__ = ("_core",)

    def __init__(self, core: "_core.Plan") -> None:
        self._core = core

    @classmethod
    def from_json(cls, source: Union[PathLike, str, bytes, Mapping[str, Any]]) -> "Plan":
        """A plan from a file path, JSON text (starting with ``{``) or a dict.

        Errors raise PlanError naming the JSON path (``plan.json: bonuses[0].rates[3]: ...``)."""
        if isinstance(source, Mapping):
            return cls(_core.Plan.from_json_text(_json_text(source), "plan"))
        if isinstance(source, bytes):
            source = source.decode("utf-8")
        if isinstance(source, str) and source.lstrip().startswith("{"):
            return cls(_core.Plan.from_json_text(source, "plan"))
        return cls(_core.Plan.from_file(_path(source)))

    @classmethod
    def from_file(cls, path: PathLike) -> "Plan":
        return cls(_core.Plan.from_file(_path(path)))

    @property
    def name(self) -> str:
        return self._core.name

    @property
    def currency(self) -> str:
        return self._core.currency

    @property
    def money_decimals(self) -> int:
        return self._core.money_decimals

    @property
    def rounding(self) -> str:
        return self._core.rounding

    @property
    def bonus_names(self) -> list:
        return list(self._core.bonus_names)

    @property
    def bonus_types(self) -> list:
        return list(self._core.bonus_types)

    @property
    def rank_names(self) -> list:
        return list(self._core.rank_names)

    def __repr__(self) -> str:
        return f"<downline.Plan {self.name!r}: bonuses {self.bonus_names}>"


class Network:
    """The sponsor (and placement) trees of one company (SPEC §2 network.csv)."""

    __slots__ = ("_core",)

    def __init__(self, core: "_core.Network") -> None:
        self._core = core

    @classmethod
    def from_csv(cls, path: PathLike) -> "Network":
        return cls(_core.Network.from_csv(_path(path)))

    @classmethod
    def from_file(cls, path: PathLike) -> "Network":
        """network.csv or a compiled network (``downline compile-network``, :meth:`compile`),
        told apart by the file's first bytes; both give the same results."""
        return cls(_core.Network.from_file(_path(path)))

    def compile(self, path: PathLike, plan: Optional["Plan"] = None) -> None:
        """Writes this network as a compiled network file (with ``plan``, also the placement
        trees its binary and matrix bonuses pay over); :meth:`from_file` maps it back."""
        self._core.compile(_path(path), plan._core if plan is not None else None)

    @classmethod
    def from_arrays(cls, ids: Column, sponsor_ids: Column, placement_ids: Column = None, positions: Column = None,
                    joined: Column = None, status: Column = None) -> "Network":
        """Members from parallel columns, rows in any order. Ids are text (or integers); an empty
        sponsor (None, "", NaN) makes a root; positions are "L", "R" or 1..width; joined is ISO
        text or datetime64; status is "active" (or empty), "hold" or "terminated" (settlement).
        Errors name the row as ``network row i`` (0-based)."""
        return cls(_core.Network.from_columns(ids, sponsor_ids, placement_ids, positions, _date_texts(joined), status))

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> "Network":
        """From a DataFrame with network.csv's columns (id, sponsor_id[, placement_id, position, joined, status])."""
        return cls.from_arrays(frame["id"].to_numpy(), frame["sponsor_id"].to_numpy(), _column(frame, "placement_id"),
                               _column(frame, "position"), _column(frame, "joined"), _column(frame, "status"))

    @classmethod
    def from_arrow(cls, data: Any) -> "Network":
        """From Arrow data (a pyarrow Table, a Polars DataFrame, a DuckDB result: anything with
        ``__arrow_c_stream__`` or ``__arrow_c_array__``) with network.csv's column names; text and
        int64 columns are read in place, joined may be date32. See downline._arrow."""
        from . import _arrow
        return cls(_core.Network.from_columns(*_arrow.network_columns(data)))

    def __len__(self) -> int:
        return len(self._core)

    def __contains__(self, member_id: object) -> bool:
        return isinstance(member_id, str) and member_id in self._core

    @property
    def ids(self) -> list:
        """Member ids in input order."""
        return self._core.ids()

    def __repr__(self) -> str:
        return f"<downline.Network: {len(self)} members>"


class Layout:
    """The placement trees the binary and matrix bonuses of ``plans`` (a Plan or several) pay
    over, built once for ``network`` and given to every run on it (``run(..., layout=)``,
    ``compare(..., layout=)``), so that runs of many periods do not place the members again.
    Trees a compiled network was saved with are shared, not rebuilt. It belongs to this
    ``network`` object only: a run on another (even one read from the same file), or of a plan
    needing a tree it lacks, raises UsageError. Raises NetworkError for a bad placement."""

    __slots__ = ("_core",)

    def __init__(self, network: Network, plans: Union["Plan", Sequence["Plan"]]) -> None:
        plans = [plans] if isinstance(plans, Plan) else list(plans)
        _check_inputs(plans, network, None)
        self._core = _core.Layout(network._core, [p._core for p in plans])

    @property
    def trees(self) -> list:
        """The trees held, e.g. ["binary bfs", "matrix width 3"]."""
        return list(self._core.trees)

    def __repr__(self) -> str:
        return f"<downline.Layout: {self.trees}>"


class Ledger:
    """Sale lines (SPEC §2 sales.csv). Member ids are resolved against the network of each run."""

    __slots__ = ("_core",)

    def __init__(self, core: "_core.Ledger") -> None:
        self._core = core

    @classmethod
    def from_csv(cls, path: PathLike, network: Optional[Network] = None) -> "Ledger":
        """Parses sales.csv now (malformed values raise here); with `network`, also checks its members now."""
        ledger = cls(_core.Ledger.from_csv(_path(path)))
        if network is not None:
            ledger._core.resolve(network._core)
        return ledger

    @classmethod
    def from_arrays(cls, member_ids: Column, amounts: Column, volumes: Column = None, kinds: Column = None,
                    dates: Column = None, order_ids: Column = None, money_decimals: int = 2,
                    volume_decimals: Optional[int] = None, network: Optional[Network] = None) -> "Ledger":
        """Sale lines from parallel columns.

        amounts: int64 minor units of `money_decimals` (1230 = 12.30 with 2; an int64 NumPy array is
        read in place, not copied), or exact text / decimal.Decimal ("12.30"). Floats are refused
        (downline.InputTypeError, also a TypeError).
        volumes: None (equal to the amount), integers in 10^-volume_decimals points (default:
        money_decimals), or exact text / Decimal. kinds: "retail" / "personal" / "fee" (or 0/1/2).
        dates: ISO text, datetime.date or datetime64 (needed with a period). order_ids: text.
        Errors name the line as ``sales row i`` (0-based)."""
        if volume_decimals is None:
            volume_decimals = min(money_decimals, _VOLUME_DECIMALS)
        core = _core.Ledger.from_columns(member_ids, amounts, volumes, kinds, _dates_column(dates), order_ids,
                                         money_decimals, volume_decimals)
        ledger = cls(core)
        if network is not None:
            core.resolve(network._core)
        return ledger

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, money_decimals: int = 2, volume_decimals: Optional[int] = None,
                   network: Optional[Network] = None) -> "Ledger":
        """From a DataFrame with sales.csv's columns (member_id, amount[, volume, kind, date, order_id])."""
        return cls.from_arrays(frame["member_id"].to_numpy(), frame["amount"].to_numpy(), _column(frame, "volume"),
                               _column(frame, "kind"), _column(frame, "date"), _column(frame, "order_id"),
                               money_decimals, volume_decimals, network)

    @classmethod
    def from_arrow(cls, data: Any, money_decimals: int = 2, volume_decimals: Optional[int] = None,
                   network: Optional[Network] = None) -> "Ledger":
        """From Arrow data with sales.csv's column names (member_id, amount[, volume, kind, date,
        order_id]). amount / volume: decimal128 (its scale is used), int64 minor units of
        `money_decimals` / `volume_decimals` (read in place), or text; a float column raises
        downline.InputTypeError (a TypeError). date: date32 or ISO text."""
        from . import _arrow
        ledger = cls(_core.Ledger.from_columns(*_arrow.ledger_columns(data, money_decimals, volume_decimals)))
        if network is not None:
            ledger._core.resolve(network._core)
        return ledger

    def __repr__(self) -> str:
        return "<downline.Ledger>"


class State:
    """What a period hands to the next (SPEC §7.2): rows (member_id, key, value) as exact text
    and the period that wrote them. Keys: paid_rank, title_rank, grace, last_active, balance,
    carry_left:<bonus>, carry_right:<bonus>. Checked against the plan and network at the run."""

    __slots__ = ("_core",)

    def __init__(self, core: Optional["_core.State"] = None) -> None:
        self._core = core if core is not None else _core.State()

    @classmethod
    def from_csv(cls, path: PathLike) -> "State":
        """The file of ``downline run --state-out`` (member_id,key,value with a ``,period,P``
        row), or the earlier carry file (member_id,bonus,left,right)."""
        return cls(_core.State.from_csv(_path(path)))

    @classmethod
    def from_rows(cls, member_ids: Column, keys: Column, values: Column, period: Optional[str] = None) -> "State":
        """Rows of text (values as exact text or Decimal); `period` the period that wrote them."""
        return cls(_core.State.from_rows(_period_text(period), _texts(member_ids), _texts(keys), _texts(values)))

    @classmethod
    def from_arrays(cls, member_ids: Column, bonuses: Column, left: Column, right: Column,
                    volume_decimals: int = 0) -> "State":
        """Binary carry only: left / right as exact text or Decimal, or integers in
        10^-volume_decimals points (keys carry_left:<bonus>, carry_right:<bonus>)."""
        ids, names = _texts(member_ids), _texts(bonuses)
        lefts = [_volume_text(v, volume_decimals) for v in left]
        rights = [_volume_text(v, volume_decimals) for v in right]
        if not (len(ids) == len(names) == len(lefts) == len(rights)):
            raise UsageError("member_ids, bonuses, left and right must have the same length ''")
        rows_ids, rows_keys, rows_values = [], [], []
        for m, b, l, r in zip(ids, names, lefts, rights):
            for side, value in (("left", l), ("right", r)):
                if Decimal(value) != 0:  # as in a state file: a zero side has no row
                    rows_ids.append(m)
                    rows_keys.append(f"carry_{side}:{b}")
                    rows_values.append(value)
        return cls.from_rows(rows_ids, rows_keys, rows_values)

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, period: Optional[str] = None) -> "State":
        """From a DataFrame with columns member_id, key, value (as to_frame gives), or the
        earlier carry columns member_id, bonus, left, right."""
        if "key" in frame.columns:
            return cls.from_rows(frame["member_id"].to_numpy(), frame["key"].to_numpy(), frame["value"].to_numpy(),
                                 period=period if period is not None else frame.attrs.get("period"))
        return cls.from_arrays(frame["member_id"].to_numpy(), frame["bonus"].to_numpy(), frame["left"].to_numpy(),
                               frame["right"].to_numpy())

    @property
    def period(self) -> Optional[str]:
        """The period of the run that wrote the state, or None."""
        return self._core.period or None

    def rows(self) -> list:
        """[(member_id, key, value)] as text, in file order."""
        return [tuple(r) for r in self._core.rows()]

    def to_frame(self) -> pd.DataFrame:
        """member_id, key, value (text); frame.attrs["period"] holds the period."""
        rows = self._core.rows()
        frame = pd.DataFrame({"member_id": [r[0] for r in rows], "key": [r[1] for r in rows],
                              "value": [r[2] for r in rows]}, columns=["member_id", "key", "value"])
        frame.attrs["period"] = self.period
        return frame

    def get(self, member_id: str, key: str) -> Optional[str]:
        """The value of one (member, key), or None when the state has no such row."""
        for m, k, v in self._core.rows():
            if m == member_id and k == key:
                return v
        return None

    def entries(self) -> list:
        """Binary carry: [(member_id, bonus, left, right)] with exact Decimal volumes."""
        carry: dict = {}
        for m, k, v in self._core.rows():
            side, _, bonus = k.partition(":")
            if side not in ("carry_left", "carry_right"):
                continue
            entry = carry.setdefault((m, bonus), [Decimal(0), Decimal(0)])
            entry[0 if side == "carry_left" else 1] = Decimal(v)
        return [(m, b, l, r) for (m, b), (l, r) in carry.items()]

    def to_csv(self, path: PathLike) -> None:
        """Writes the state file atomically."""
        self._core.write_csv(_path(path))

    def __len__(self) -> int:
        return len(self._core)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, State) and self.period == other.period and self.rows() == other.rows()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<downline.State: {len(self)} rows, period {self.period}>"


def _texts(column: Column) -> list:
    """A column as a list of text (None and NaN as "")."""
    out = []
    for v in column:
        if v is None or (isinstance(v, float) and v != v):
            out.append("")
        elif isinstance(v, (bool, np.bool_)):
            out.append("true" if v else "false")
        else:
            out.append(str(v))
    return out


def _volume_text(value: Any, decimals: int) -> str:
    if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        return str(Decimal(int(value)).scaleb(-decimals))
    if isinstance(value, float):
        raise TypeError("carry volumes must be exact (text, Decimal or integers), not float")
    return str(value)


def _rows_input(value: Any, core_type: Any, columns: tuple, what: str) -> Any:
    """Overrides or adjustments given as a path or a DataFrame, as the core's rows."""
    if value is None:
        return None
    if isinstance(value, (str, _os.PathLike)):
        return core_type.from_csv(_path(value))
    if isinstance(value, pd.DataFrame):
        missing = [c for c in columns[:3] if c not in value.columns]
        if missing:
            raise UsageError(f"{what} needs the columns {', '.join(columns)} '{missing[0]}'")
        return core_type.from_rows(*[_texts(value[c]) if c in value.columns else [""] * len(value) for c in columns])
    raise TypeError(f"{what} must be a path or a DataFrame, not {type(value).__name__}")


# ---- the run ------------------------------------------------------------------------------

class Result:
    """One period's outcome. DataFrames are built on first access."""

    def __init__(self, core: "_core.Result") -> None:
        self._core = core

    @property
    def money_decimals(self) -> int:
        return self._core.money_decimals

    @cached_property
    def _payout_columns(self) -> tuple:
        return self._core.payout_columns()

    @cached_property
    def payouts(self) -> pd.DataFrame:
        """payouts.csv: member_id, bonus, amount (Decimal with money_decimals digits), in its order."""
        ids, bonuses, minor = self._payout_columns
        return pd.DataFrame({"member_id": ids, "bonus": bonuses,
                             "amount": _from_units(minor, self.money_decimals, trim=False)},
                            columns=["member_id", "bonus", "amount"])

    @cached_property
    def payouts_minor(self) -> np.ndarray:
        """The payout amounts as int64 minor units, row for row with `payouts`."""
        minor = self._payout_columns[2]
        minor.setflags(write=False)
        return minor

    @cached_property
    def member_totals(self) -> pd.DataFrame:
        """Each earner's total over all bonuses: member_id, amount (Decimal), amount_minor (int64)."""
        ids, _, minor = self._payout_columns
        frame = pd.DataFrame({"member_id": ids, "amount_minor": minor})
        totals = frame.groupby("member_id", sort=False)["amount_minor"].sum().reset_index()
        totals["amount"] = _from_units(totals["amount_minor"].to_numpy(), self.money_decimals, trim=False)
        return totals[["member_id", "amount", "amount_minor"]]

    @cached_property
    def ranks(self) -> pd.DataFrame:
        """ranks.csv: member_id, rank ("" below the first), pv, gv (Decimal points), active."""
        ids, ranks, pv, gv, active, qualified, title, grace, override = self._core.rank_columns()
        columns = ["member_id", "rank", "pv", "gv", "active", "qualified_rank", "title_rank", "grace", "override"]
        return pd.DataFrame({"member_id": ids, "rank": ranks, "pv": _from_units(pv, _VOLUME_DECIMALS, trim=True),
                             "gv": _from_units(gv, _VOLUME_DECIMALS, trim=True), "active": active,
                             "qualified_rank": qualified, "title_rank": title, "grace": grace, "override": override},
                            columns=columns)

    @cached_property
    def lines(self) -> pd.DataFrame:
        """lines.csv (needs run(..., explain=True)): member_id, bonus, source_member_id, order_id,
        level, base (Decimal), rate (Decimal fraction: 0.1 is 10%), amount (exact, unrounded Decimal)."""
        if not self._core.explained:
            raise UsageError("explanation lines are kept only by run(..., explain=True) ''")
        earners, bonuses, sources, orders, levels, bases, rates, amounts = self._core.line_columns()
        return pd.DataFrame({
            "member_id": earners, "bonus": bonuses, "source_member_id": sources, "order_id": orders,
            "level": levels, "base": _from_units(bases, _BASE_DECIMALS, trim=True),
            "rate": _from_units(rates, _RATE_DECIMALS, trim=True), "amount": [Decimal(a) for a in amounts],
        }, columns=["member_id", "bonus", "source_member_id", "order_id", "level", "base", "rate", "amount"])

    @cached_property
    def _payable_columns(self) -> tuple:
        return self._core.payable_columns()

    @cached_property
    def payables(self) -> pd.DataFrame:
        """payables.csv (settlement): member_id, earned, balance_in, fee, deductions, paid, balance_out,
        forfeited (Decimal with money_decimals digits), status; members with a non-zero figure."""
        ids, money, statuses = self._payable_columns
        frame = {"member_id": ids}
        for name, minor in zip(_PAYABLE_MONEY, money):
            frame[name] = _from_units(minor, self.money_decimals, trim=False)
        frame["status"] = statuses
        return pd.DataFrame(frame, columns=["member_id", *_PAYABLE_MONEY, "status"])

    @cached_property
    def payables_minor(self) -> pd.DataFrame:
        """`payables` with the money columns as int64 minor units (cents)."""
        ids, money, statuses = self._payable_columns
        frame = {"member_id": ids}
        for name, minor in zip(_PAYABLE_MONEY, money):
            frame[name] = minor
        frame["status"] = statuses
        return pd.DataFrame(frame, columns=["member_id", *_PAYABLE_MONEY, "status"])

    @cached_property
    def summary(self) -> dict:
        """The summary as the CLI's --summary-json (money as exact decimal strings)."""
        return _json.loads(self._core.summary_json(), parse_float=Decimal)

    @property
    def summary_text(self) -> str:
        return self._core.summary_text()

    @cached_property
    def state(self) -> State:
        """The carry into the next period: pass it as run(..., state=res.state)."""
        return State(self._core.state())

    def write_payouts(self, path: PathLike) -> None:
        """Writes payouts.csv, byte for byte as the CLI does (atomically)."""
        self._core.write_payouts(_path(path))

    def write_ranks(self, path: PathLike) -> None:
        self._core.write_ranks(_path(path))

    def write_lines(self, path: PathLike) -> None:
        self._core.write_lines(_path(path))

    def write_payables(self, path: PathLike) -> None:
        """Writes payables.csv, byte for byte as the CLI's --payables (atomically)."""
        self._core.write_payables(_path(path))

    def write_summary_json(self, path: PathLike) -> None:
        self._core.write_summary_json(_path(path))

    def write_report(self, path: PathLike) -> None:
        """Writes the HTML report (one self-contained file: income disclosure by rank, charts;
        payout by level needs run(..., explain=True))."""
        self._core.write_report(_path(path))

    def to_arrow(self) -> dict:
        """pyarrow Tables: {"payouts", "ranks", and "lines" after run(..., explain=True)}, money as
        decimal128 (exact). Needs pyarrow."""
        from . import _arrow
        return _arrow.result_to_arrow(self)

    def __repr__(self) -> str:
        return f"<downline.Result: {len(self._payout_columns[0])} payout lines>"


def _check_inputs(plans: Sequence[Any], network: Any, ledger: Any, layout: Any = None) -> None:
    """TypeError unless given a downline Plan (each), Network and Ledger (None: not checked), and
    a Layout or None."""
    for plan in plans:
        if not isinstance(plan, Plan):
            raise TypeError(f"plan must be a downline.Plan, not {type(plan).__name__}")
    if not isinstance(network, Network):
        raise TypeError(f"network must be a downline.Network, not {type(network).__name__}")
    if ledger is not None and not isinstance(ledger, Ledger):
        raise TypeError(f"ledger must be a downline.Ledger, not {type(ledger).__name__}")
    if layout is not None and not isinstance(layout, Layout):
        raise TypeError(f"layout must be a downline.Layout, not {type(layout).__name__}")


def _carry(state: Union[State, PathLike, pd.DataFrame, None]) -> Optional[State]:
    """A state as given to run: a State, a state CSV path, a DataFrame, or None."""
    if state is None or isinstance(state, State):
        return state
    if isinstance(state, pd.DataFrame):
        return State.from_frame(state)
    if isinstance(state, (str, _os.PathLike)):
        return State.from_csv(state)
    raise TypeError(f"state must be a downline.State, a path or a DataFrame, not {type(state).__name__}")


def _thread_count(threads: Optional[int]) -> Optional[int]:
    if threads is None:
        return None
    if isinstance(threads, bool) or not isinstance(threads, int):
        raise TypeError(f"threads must be an int or None, not {type(threads).__name__}")
    return threads


def run(plan: Plan, network: Network, ledger: Ledger, period: Any = None,
        state: Union[State, PathLike, pd.DataFrame, None] = None, explain: bool = False,
        overrides: Union[PathLike, pd.DataFrame, None] = None,
        adjustments: Union[PathLike, pd.DataFrame, None] = None, layout: Optional[Layout] = None,
        threads: Optional[int] = None) -> Result:
    """Evaluates `plan` over one period of `ledger` on `network` (SPEC §4-§8).

    period: "YYYY-MM", an ISO week "YYYY-Www" or a range "YYYY-MM-DD..YYYY-MM-DD" (or a date /
    pandas Period for its month): only lines dated in it count.
    state: the previous period's ``res.state`` (or a state file path, or a DataFrame).
    overrides: member_id, rank, active, note (a path or a DataFrame; SPEC §7.4).
    adjustments: member_id, bonus, amount, note (a path or a DataFrame; exact amounts).
    explain: keep explanation lines (``res.lines``).
    layout: the network's placement trees (:class:`Layout`), built once for many runs; without
    it the run builds what the plan needs. The GIL is released while it computes.
    threads: compute on at most this many threads (1 to 1024); None: all cores. The result is
    the same for every count."""
    _check_inputs([plan], network, ledger, layout)
    previous = _carry(state)
    core = _core.run(plan._core, network._core, ledger._core, _period_text(period),
                     previous._core if previous is not None else None, bool(explain),
                     _rows_input(overrides, _core.Overrides, ("member_id", "rank", "active", "note"), "overrides"),
                     _rows_input(adjustments, _core.Adjustments, ("member_id", "bonus", "amount", "note"),
                                 "adjustments"),
                     layout._core if layout is not None else None, _thread_count(threads))
    return Result(core)


class Session:
    """One period kept open: the plan, network, period and state are loaded once; sale lines and
    new members are added as orders arrive; ``estimate()`` gives the payouts so far, exactly what
    ``run`` gives over the same lines (docs/session.md).

    Adding a line updates its member's sums in place: an estimate does not read or aggregate
    the lines again. An estimate for one member computes over its sponsor subtree alone when
    the plan allows it (unilevel, stairstep, matching and fast_start bonuses, no payout cap)."""

    __slots__ = ("_core",)

    def __init__(self, plan: Plan, network: Network, period: Any = None,
                 state: Union[State, PathLike, pd.DataFrame, None] = None) -> None:
        previous = _carry(state)
        self._core = _core.Session(plan._core, network._core, _period_text(period),
                                   previous._core if previous is not None else None)

    def add_sales(self, member_ids: Column, amounts: Column, volumes: Column = None, kinds: Column = None,
                  dates: Column = None, order_ids: Column = None, money_decimals: int = 2,
                  volume_decimals: Optional[int] = None) -> None:
        """Adds sale lines: the arguments of ``Ledger.from_arrays``, with the same checks and
        messages (``sales row i``), and the run's (too many decimals for the plan, a line without
        a date when there is a period). An add that fails adds nothing."""
        if volume_decimals is None:
            volume_decimals = min(money_decimals, _VOLUME_DECIMALS)
        self._core.add_sales(member_ids, amounts, volumes, kinds, _dates_column(dates), order_ids, money_decimals,
                             volume_decimals)

    def add_members(self, ids: Column, sponsor_ids: Column, placement_ids: Column = None, positions: Column = None,
                    joined: Column = None, status: Column = None) -> None:
        """Adds members: the arguments of ``Network.from_arrays``; a sponsor is a member already
        in the network or one of these. The network is built again (O(members)). An add that
        fails adds nothing."""
        self._core.add_members(ids, sponsor_ids, placement_ids, positions, _date_texts(joined), status)

    def estimate(self, member_id: Optional[str] = None, explain: Optional[bool] = None) -> Result:
        """The period's payouts so far: for everyone (a full ``Result``), or for one member (its
        payouts, explanation lines and payables; ``ranks`` is empty and the summary is its own).
        explain: keep explanation lines; by default yes for one member, no for everyone."""
        if explain is None:
            explain = member_id is not None
        return Result(self._core.estimate(None if member_id is None else str(member_id), bool(explain)))

    @property
    def network(self) -> Network:
        """The network with the members added so far."""
        return Network(self._core.network())

    def __len__(self) -> int:
        """The sale lines added so far."""
        return self._core.ledger_size()

    def __repr__(self) -> str:
        return f"<downline.Session {len(self)} lines>"


from ._compare import Comparison, compare  # noqa: E402  (needs the classes above)
