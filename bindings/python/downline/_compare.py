# SPDX-License-Identifier: MIT
"""downline.compare: several plans over one network and ledger, member by member."""

from __future__ import annotations

import json as _json
from decimal import Decimal
from functools import cached_property
from typing import Any, Optional, Sequence

import pandas as pd

from . import _core
from . import Layout, Ledger, Network, Plan, State, _carry, _check_inputs, _from_units, _path, _period_text, _thread_count, PathLike


class Comparison:
    """Plans side by side: ``table`` (compare.csv as a DataFrame) and per-plan ``summaries``."""

    def __init__(self, core: "_core.Comparison") -> None:
        self._core = core

    @property
    def plan_names(self) -> list:
        return list(self._core.plan_names)

    @cached_property
    def table(self) -> pd.DataFrame:
        """member_id and one column per plan (named after it): each member's total payout as an exact
        Decimal; members paid nothing under every plan left out; network order."""
        ids, amounts = self._core.columns()
        columns = {"member_id": ids}
        for name, decimals, minor in zip(self.plan_names, self._core.money_decimals, amounts):
            columns[name] = _from_units(minor, decimals, trim=False)
        return pd.DataFrame(columns, columns=["member_id"] + self.plan_names)

    @cached_property
    def summaries(self) -> list:
        """Each plan's summary, as run(...).summary gives it."""
        return _json.loads(self._core.summary_json(), parse_float=Decimal)["plans"]

    def write_csv(self, path: PathLike) -> None:
        """Writes compare.csv as the CLI does (atomically)."""
        self._core.write_csv(_path(path))

    def write_report(self, path: PathLike) -> None:
        """Writes the HTML report of the plans side by side (one self-contained file; payout by
        level needs compare(..., explain=True))."""
        self._core.write_report(_path(path))

    def __repr__(self) -> str:
        return f"<downline.Comparison: {self.plan_names}>"


def compare(plans: Sequence[Plan], network: Network, ledger: Ledger, period: Any = None,
            states: Optional[Sequence[Any]] = None, explain: bool = False,
            layout: Optional[Layout] = None, threads: Optional[int] = None) -> Comparison:
    """Evaluates each plan over the same network and ledger (loaded once); plan names must differ.

    states: None, or one state per plan in plan order (a State, a state CSV path, a DataFrame or None),
    since each plan's state names its own bonuses. explain: keep each run's explanation lines long
    enough to sum payouts by level for the report. layout: a :class:`Layout` holding every plan's
    placement trees (``Layout(network, plans)``); without it one is built for all the plans. The GIL
    is released while it computes. threads: compute on at most this many threads (1 to 1024);
    None: all cores."""
    plans = list(plans)
    _check_inputs(plans, network, ledger, layout)
    carries = [] if states is None else [(_carry(s) or State())._core for s in states]
    return Comparison(_core.compare([p._core for p in plans], network._core, ledger._core, _period_text(period),
                                    carries, bool(explain), layout._core if layout is not None else None,
                                    _thread_count(threads)))
