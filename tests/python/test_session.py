# SPDX-License-Identifier: MIT
"""downline.Session: adds and estimates equal downline.run over the same lines; errors add nothing."""
import random
from decimal import Decimal

import pandas as pd
import pytest

import downline

U8 = {"name": "U8-like", "currency": "EUR", "money_decimals": 2, "qualification": {"active_pv": "50"},
      "bonuses": [{"name": "level", "type": "unilevel", "base": "amount", "compression": "dynamic",
                   "rates": ["10%", "5%", "4%", "3%", "2%", "1%", "1%", "1%"]}]}
CAPPED = {"name": "capped", "money_decimals": 2, "payout_cap": "8%",
          "bonuses": [{"name": "level", "type": "unilevel", "rates": ["10%", "5%"]}]}


def small_network():
    # R <- A <- B <- C, A <- D
    return downline.Network.from_arrays(["R", "A", "B", "C", "D"], ["", "R", "A", "B", "A"])


def test_estimates_by_hand():
    plan = downline.Plan.from_json(U8)
    s = downline.Session(plan, small_network())
    s.add_sales(["C", "B"], ["100.00", "60.00"])
    # Active (PV >= 50): C (100) and B (60). C's 100 pays B 10% = 10.00; A and R are inactive.
    everyone = s.estimate()
    assert isinstance(everyone, downline.Result)
    assert dict(zip(everyone.payouts["member_id"], everyone.payouts["amount"])) == {"B": Decimal("10.00")}
    # R reaches 50 and earns: C's 100 at level 2 (A compressed away) 5% = 5.00, B's 60 at
    # level 1 10% = 6.00, B's 0.00 line nothing.
    s.add_sales(["R", "B"], ["50.00", "0.00"])
    everyone = s.estimate()
    assert dict(zip(everyone.payouts["member_id"], everyone.payouts["amount"])) == {
        "R": Decimal("11.00"), "B": Decimal("10.00")}
    mine = s.estimate("R")
    assert list(mine.payouts["amount"]) == [Decimal("11.00")]
    lines = mine.lines
    assert list(lines["source_member_id"]) == ["C", "B", "B"]
    assert [Decimal(a) for a in lines["amount"]] == [Decimal("5"), Decimal("6"), Decimal("0")]
    assert len(mine.ranks) == 0
    assert mine.summary["total_payout"] == "11.00"


def rows(frame):
    return list(frame.itertuples(index=False, name=None))


@pytest.mark.parametrize("plan_json", [U8, CAPPED])
@pytest.mark.parametrize("period", [None, "2026-03"])
def test_random_adds_equal_run(plan_json, period):
    plan = downline.Plan.from_json(plan_json)
    rng = random.Random(7)
    ids = ["R"] + [f"M{i}" for i in range(1, 30)]
    sponsors = [""] + [ids[rng.randrange(i)] for i in range(1, 30)]
    network = downline.Network.from_arrays(ids, sponsors)
    s = downline.Session(plan, network, period=period)
    all_ids, all_amounts, all_dates = [], [], []
    for step in range(12):
        if step % 4 == 3:
            new = [f"N{step}a", f"N{step}b"]
            s.add_members(new, [ids[rng.randrange(len(ids))], f"N{step}a"])
            ids += new
            sponsors += [None, None]
        count = rng.randrange(1, 6)
        batch = ([ids[rng.randrange(len(ids))] for _ in range(count)],
                 [f"{rng.randrange(-10, 150)}.{rng.randrange(100):02}" for _ in range(count)],
                 [f"2026-{rng.randrange(2, 5):02}-{rng.randrange(1, 29):02}" for _ in range(count)])
        s.add_sales(batch[0], batch[1], dates=batch[2] if period else None)
        for column, values in zip((all_ids, all_amounts, all_dates), batch):
            column += values
        full = downline.run(plan, s.network, downline.Ledger.from_arrays(
            all_ids, all_amounts, dates=all_dates if period else None), period=period, explain=True)
        estimated = s.estimate(explain=True)
        pd.testing.assert_frame_equal(estimated.payouts, full.payouts)
        pd.testing.assert_frame_equal(estimated.lines, full.lines)
        assert estimated.summary == full.summary
        member = ids[rng.randrange(len(ids))]
        mine = s.estimate(member)
        expected = full.payouts[full.payouts["member_id"] == member].reset_index(drop=True)
        assert rows(mine.payouts) == rows(expected)
        expected_lines = full.lines[full.lines["member_id"] == member].reset_index(drop=True)
        assert rows(mine.lines) == rows(expected_lines)
        # The root's subtree is everyone: under U8 its estimate reads the kept level bases.
        root = s.estimate("R")
        assert rows(root.payouts) == rows(full.payouts[full.payouts["member_id"] == "R"].reset_index(drop=True))
        assert rows(root.payables) == rows(full.payables[full.payables["member_id"] == "R"].reset_index(drop=True))
    assert len(s) == len(all_ids)


def test_bad_adds_add_nothing():
    plan = downline.Plan.from_json(U8)
    s = downline.Session(plan, small_network(), period="2026-03")
    s.add_sales(["C"], ["100.00"], dates=["2026-03-02"])
    before = s.estimate()
    with pytest.raises(downline.InputError, match=r"^sales row 1: sale for a member who is not in the network 'Z'$"):
        s.add_sales(["B", "Z"], ["10.00", "10.00"], dates=["2026-03-02", "2026-03-02"])
    with pytest.raises(downline.InputError, match=r"^sales row 0: amount has more decimals than the plan's "
                                                  r"money_decimals \(2\) '1.234'$"):
        s.add_sales(["B"], ["1.234"], dates=["2026-03-02"])
    with pytest.raises(downline.InputError, match=r"a period \(2026-03\) is given but this sale line has no date"):
        s.add_sales(["B", "B"], ["1.00", "2.00"], dates=["2026-03-02", None])
    with pytest.raises(downline.NetworkError, match=r"^network row 1: duplicate id \(already in the network\) 'A'$"):
        s.add_members(["X", "A"], ["R", "R"])
    with pytest.raises(downline.NetworkError, match=r"^network row 0: unknown sponsor_id 'Q'$"):
        s.add_members(["X"], ["Q"])
    assert len(s) == 1 and len(s.network) == 5
    after = s.estimate()
    pd.testing.assert_frame_equal(after.payouts, before.payouts)
    assert after.summary == before.summary
    with pytest.raises(downline.UsageError, match="no member 'nobody'"):
        s.estimate("nobody")


def test_state_from_the_same_period_is_refused():
    plan = downline.Plan.from_json(U8)
    net = small_network()
    res = downline.run(plan, net, downline.Ledger.from_arrays(["C"], ["60.00"], dates=["2026-03-01"]),
                       period="2026-03")
    with pytest.raises(downline.InputError, match="state is from period 2026-03; this run is 2026-03"):
        downline.Session(plan, net, period="2026-03", state=res.state)
    s = downline.Session(plan, net, period="2026-04", state=res.state)
    s.add_sales(["B"], ["10.00"], dates=["2026-04-01"])
    full = downline.run(plan, net, downline.Ledger.from_arrays(["B"], ["10.00"], dates=["2026-04-01"]),
                        period="2026-04", state=res.state)
    pd.testing.assert_frame_equal(s.estimate().payouts, full.payouts)
    assert s.estimate().state == full.state
