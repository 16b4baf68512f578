# SPDX-License-Identifier: MIT
"""Arrow in and out: Network.from_arrow, Ledger.from_arrow and Result.to_arrow.

Inputs are any object exporting the Arrow PyCapsule interface (``__arrow_c_stream__`` or
``__arrow_c_array__``): pyarrow tables and record batches, Polars DataFrames, DuckDB results.
Columns are read through the Arrow C data interface: int64 columns and text columns in place
(no copy), decimal128 money as its unscaled integers, date32 as days. Floats are refused.
Outputs need pyarrow (an optional dependency); money comes out as decimal128, never float.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Optional

import numpy as np

from . import _core
from ._errors import InputError

_MONEY_PRECISION = 19  # any int64 number of minor units


def _columns(data: Any, what: str, required: tuple) -> dict:
    columns = _core.arrow_columns(data, what)
    for name in required:
        if name not in columns:
            raise InputError(f"{what}: Arrow data has no column '{name}' (it has {', '.join(columns) or 'none'}) '{name}'")
    return columns


def _units(column: Any, default_decimals: int) -> tuple:
    """A number column as (values, decimals): decimal128 gives its own scale."""
    if isinstance(column, tuple):
        return column
    return column, default_decimals


def network_columns(data: Any) -> tuple:
    """The arguments of _core.Network.from_columns from Arrow data."""
    c = _columns(data, "network", ("id", "sponsor_id"))
    joined = c.get("joined")
    if isinstance(joined, np.ndarray) and joined.dtype.kind == "M":
        joined = np.where(np.isnat(joined), "", np.datetime_as_string(joined)).astype(object)
    return c["id"], c["sponsor_id"], c.get("placement_id"), c.get("position"), joined


def ledger_columns(data: Any, money_decimals: int, volume_decimals: Optional[int]) -> tuple:
    """The arguments of _core.Ledger.from_columns from Arrow data."""
    c = _columns(data, "sales", ("member_id", "amount"))
    amounts, money_decimals = _units(c["amount"], money_decimals)
    volumes = c.get("volume")
    if volumes is not None:
        volumes, volume_decimals = _units(volumes, money_decimals if volume_decimals is None else volume_decimals)
    if volume_decimals is None:
        volume_decimals = min(money_decimals, _core.VOLUME_DECIMALS)
    dates = c.get("date")
    if isinstance(dates, np.ndarray) and dates.dtype.kind == "M":
        dates = dates.astype(np.int64)  # days since 1970-01-01; NaT stays undated
    return (c["member_id"], amounts, volumes, c.get("kind"), dates, c.get("order_id"), money_decimals,
            volume_decimals)


def _pyarrow():
    try:
        import pyarrow
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("to_arrow needs pyarrow (pip install pyarrow)") from e
    return pyarrow


def _decimal_array(pa, units: np.ndarray, scale: int, precision: int = _MONEY_PRECISION):
    """int64 units of 10^-scale as a decimal128 array: the same integers, sign-extended to 128 bits."""
    units = np.ascontiguousarray(units, dtype=np.int64)
    words = np.empty((len(units), 2), dtype="<i8")
    words[:, 0] = units
    words[:, 1] = np.where(units < 0, -1, 0)
    return pa.Array.from_buffers(pa.decimal128(precision, scale), len(units), [None, pa.py_buffer(words.tobytes())])


def result_to_arrow(result: Any) -> dict:
    """{"payouts": Table, "ranks": Table, "lines": Table (only after run(..., explain=True))}."""
    pa = _pyarrow()
    core = result._core
    ids, bonuses, minor = result._payout_columns
    tables = {"payouts": pa.table({
        "member_id": pa.array(ids, pa.string()), "bonus": pa.array(bonuses, pa.string()),
        "amount": _decimal_array(pa, minor, result.money_decimals)})}
    members, ranks, pv, gv, active, qualified, title, grace, override = core.rank_columns()
    tables["ranks"] = pa.table({
        "member_id": pa.array(members, pa.string()), "rank": pa.array(ranks, pa.string()),
        "pv": _decimal_array(pa, pv, _core.VOLUME_DECIMALS), "gv": _decimal_array(pa, gv, _core.VOLUME_DECIMALS),
        "active": pa.array(active, pa.bool_()), "qualified_rank": pa.array(qualified, pa.string()),
        "title_rank": pa.array(title, pa.string()), "grace": pa.array(grace, pa.int64()),
        "override": pa.array(override, pa.string())})
    if core.explained:
        earners, bonus_names, sources, orders, levels, bases, rates, amounts = core.line_columns()
        tables["lines"] = pa.table({
            "member_id": pa.array(earners, pa.string()), "bonus": pa.array(bonus_names, pa.string()),
            "source_member_id": pa.array(sources, pa.string()), "order_id": pa.array(orders, pa.string()),
            "level": pa.array(levels, pa.uint32()), "base": _decimal_array(pa, bases, 6),
            "rate": _decimal_array(pa, rates, _core.RATE_DECIMALS),
            "amount": pa.array([Decimal(a) for a in amounts], pa.decimal128(38, _core.EXACT_DECIMALS))})
    return tables
