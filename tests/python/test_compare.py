# SPDX-License-Identifier: MIT
"""downline.compare: each plan's column equals a separate run, exactly (issue 13)."""
from decimal import Decimal
from pathlib import Path

import pytest

import downline

ROOT = Path(__file__).resolve().parent.parent.parent
DEMO = ROOT / "examples" / "data" / "demo"
PLANS = [DEMO / "plan.json", ROOT / "examples" / "plans" / "binary.json",
         ROOT / "examples" / "plans" / "unilevel_matching.json"]


@pytest.fixture(scope="module")
def inputs():
    return downline.Network.from_csv(DEMO / "network.csv"), downline.Ledger.from_csv(DEMO / "sales.csv")


def test_columns_equal_separate_runs(inputs, tmp_path):
    net, ledger = inputs
    plans = [downline.Plan.from_json(p) for p in PLANS]
    c = downline.compare(plans, net, ledger)
    assert c.plan_names == [p.name for p in plans]
    table = c.table
    assert list(table.columns) == ["member_id"] + c.plan_names
    for plan, summary in zip(plans, c.summaries):
        res = downline.run(plan, net, ledger)
        totals = {m: Decimal(a) for m, a in zip(res.member_totals["member_id"], res.member_totals["amount"])}
        column = {m: a for m, a in zip(table["member_id"], table[plan.name]) if a != 0}
        assert column == {m: a for m, a in totals.items() if a != 0}
        assert all(isinstance(a, Decimal) for a in table[plan.name])
        assert summary == res.summary
    assert list(table["member_id"]) == [m for m in net.ids if m in set(table["member_id"])]
    c.write_csv(tmp_path / "compare.csv")
    assert (tmp_path / "compare.csv").read_text().splitlines()[0] == "member_id," + ",".join(c.plan_names)


def test_states_per_plan(inputs):
    net, ledger = inputs
    unilevel, binary = (downline.Plan.from_json(p) for p in PLANS[:2])
    carry = downline.run(binary, net, ledger).state
    assert len(carry) > 0
    c = downline.compare([unilevel, binary], net, ledger, states=[None, carry])
    expected = downline.run(binary, net, ledger, state=carry).summary
    assert c.summaries[1] == expected
    assert c.summaries[1] != downline.run(binary, net, ledger).summary


def test_refused(inputs):
    net, ledger = inputs
    a = downline.Plan.from_json(PLANS[0])
    with pytest.raises(downline.PlanError, match="compared plans need distinct names 'Example'"):
        downline.compare([a, downline.Plan.from_json(PLANS[0])], net, ledger)
    with pytest.raises(downline.UsageError, match="states has 1 entries for 2 plans"):
        downline.compare([a, downline.Plan.from_json(PLANS[1])], net, ledger, states=[None])
    with pytest.raises(TypeError):
        downline.compare([a, "plan.json"], net, ledger)


def test_reports(inputs, tmp_path):
    net, ledger = inputs
    case = ROOT / "tests" / "data" / "report" / "disclosure"
    plan = downline.Plan.from_json(case / "plan.json")
    res = downline.run(plan, downline.Network.from_csv(case / "network.csv"),
                       downline.Ledger.from_csv(case / "sales.csv"), explain=True)
    res.write_report(tmp_path / "run.html")
    page = (tmp_path / "run.html").read_text(encoding="utf-8")
    # The hand-computed disclosure row of the Associates, and level 1's sum.
    assert "<td>Associate</td><td>4</td><td>0.5714</td><td>0.7500</td><td>0.00</td><td>9.00</td>" in page
    assert "<td>level</td><td>1</td><td>110.00</td>" in page
    assert f"<td>{res.summary['total_payout']}</td>" in page

    plans = [downline.Plan.from_json(p) for p in PLANS]
    c = downline.compare(plans, net, ledger, explain=True)
    c.write_report(tmp_path / "compare.html")
    page = (tmp_path / "compare.html").read_text(encoding="utf-8")
    for summary in c.summaries:
        assert f"<td>{summary['total_payout']}</td>" in page
    assert "Per-member differences from Example" in page
