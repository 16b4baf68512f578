# SPDX-License-Identifier: MIT
"""Member history over periods through Python (SPEC §7.2–§7.4): the hand-computed cases of
tests/data/history, chained through res.state, with overrides and adjustments as paths and
as DataFrames."""
import csv
import shlex
from pathlib import Path

import pandas as pd
import pytest

import downline

HISTORY = Path(__file__).parent.parent / "data" / "history"
CASES = sorted(p.name for p in HISTORY.iterdir() if p.is_dir())


def _expected_rows(path):
    with open(path, newline="") as f:
        return [tuple(r) for r in csv.reader(f)][1:]


def _period_args(case_dir, k):
    words = shlex.split((case_dir / f"args_{k}").read_text())
    return dict(zip(words[::2], words[1::2]))


def _payout_rows(res):
    return [(m, b, str(a)) for m, b, a in res.payouts.itertuples(index=False)]


def _rank_rows(res):
    out = []
    for r in res.ranks.itertuples(index=False):
        out.append((r.member_id, r.rank, str(r.pv), str(r.gv), "true" if r.active else "false", r.qualified_rank,
                    r.title_rank, str(r.grace), r.override))
    return out


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("as_frames", [False, True])
def test_history_case_chained_through_res_state(case, as_frames):
    d = HISTORY / case
    plan = downline.Plan.from_json(d / "plan.json")
    net = downline.Network.from_csv(d / "network.csv")
    sales = downline.Ledger.from_csv(d / "sales.csv")
    state = None
    k = 1
    while (d / f"args_{k}").exists():
        args = _period_args(d, k)
        extra = {}
        for flag, name in (("--overrides", "overrides"), ("--adjustments", "adjustments")):
            if flag in args:
                path = d / args[flag]
                extra[name] = pd.read_csv(path, dtype=str, keep_default_na=False) if as_frames else path
        res = downline.run(plan, net, sales, period=args["--period"], state=state, **extra)
        assert _payout_rows(res) == _expected_rows(d / f"expected_payouts_{k}.csv"), f"period {k}"
        assert _rank_rows(res) == _expected_rows(d / f"expected_ranks_{k}.csv"), f"period {k}"
        expected_state = _expected_rows(d / f"expected_state_{k}.csv")
        assert ("", "period", res.state.period) == expected_state[0]
        assert res.state.rows() == expected_state[1:], f"period {k}"
        state = res.state
        k += 1
    assert k > 2


def test_a_state_from_the_same_period_is_refused():
    d = HISTORY / "three_months"
    plan = downline.Plan.from_json(d / "plan.json")
    net = downline.Network.from_csv(d / "network.csv")
    sales = downline.Ledger.from_csv(d / "sales.csv")
    with pytest.raises(downline.InputError, match=r"state is from period 2026-02; this run is 2026-02"):
        downline.run(plan, net, sales, period="2026-02", state=d / "expected_state_2.csv")
    with pytest.raises(downline.InputError, match=r"overrides row 0: override rank is not a rank of the plan 'Platinum'"):
        downline.run(plan, net, sales, period="2026-01",
                     overrides=pd.DataFrame({"member_id": ["A"], "rank": ["Platinum"], "active": [""], "note": [""]}))
    with pytest.raises(downline.InputError, match=r"adjustments row 0: adjustment for a bonus that is not in the plan"):
        downline.run(plan, net, sales, period="2026-01",
                     adjustments=pd.DataFrame({"member_id": ["A"], "bonus": ["nope"], "amount": ["1"], "note": [""]}))


def test_weekly_and_range_periods():
    plan = downline.Plan.from_json({"name": "w", "bonuses": [{"name": "level", "type": "unilevel", "rates": ["10%"]}]})
    net = downline.Network.from_arrays(["R", "A"], ["", "R"])
    sales = downline.Ledger.from_arrays(["A", "A", "A"], ["10.00", "20.00", "40.00"],
                                        dates=["2026-12-27", "2026-12-28", "2027-01-04"])
    assert str(downline.run(plan, net, sales, period="2026-W53").payouts["amount"].iloc[0]) == "2.00"
    assert str(downline.run(plan, net, sales, period="2026-12-27..2027-01-04").payouts["amount"].iloc[0]) == "7.00"
    with pytest.raises(downline.UsageError, match="'2025-W53'"):
        downline.run(plan, net, sales, period="2025-W53")
