# SPDX-License-Identifier: MIT
"""downline.Layout: a network's placement trees, built once and given to many runs."""
import pytest

import downline
from conftest import GOLDEN_DIR, case_args

BINARY_CASE = GOLDEN_DIR / "20_binary_cycle_outer_right_min_rank"
MATRIX_CASE = GOLDEN_DIR / "21_matrix_spillover_with_unilevel"
TWO_PERIODS = GOLDEN_DIR.parent / "periods" / "binary_two_periods"


def _inputs(case_dir):
    return (downline.Plan.from_json(case_dir / "plan.json"), downline.Network.from_csv(case_dir / "network.csv"),
            downline.Ledger.from_csv(case_dir / "sales.csv"))


def _same(a, b):
    assert a.payouts.equals(b.payouts)
    assert a.ranks.equals(b.ranks)
    assert a.lines.equals(b.lines)
    assert a.summary == b.summary
    assert a.state == b.state


def _period(case_dir, args_name):
    words = (case_dir / args_name).read_text(encoding="utf-8").split()
    return words[words.index("--period") + 1]


def test_one_layout_for_several_periods_gives_the_results_without_one(binary_available):
    plan, net, sales = _inputs(TWO_PERIODS)
    layout = downline.Layout(net, plan)
    assert layout.trees == ["binary bfs"]
    first, second = _period(TWO_PERIODS, "args_1"), _period(TWO_PERIODS, "args_2")
    without = downline.run(plan, net, sales, period=first, explain=True)
    with_layout = downline.run(plan, net, sales, period=first, explain=True, layout=layout)
    _same(with_layout, without)
    later = downline.run(plan, net, sales, period=second, state=without.state, explain=True)
    later_with = downline.run(plan, net, sales, period=second, state=with_layout.state, explain=True, layout=layout)
    _same(later_with, later)
    assert not later.payouts.equals(without.payouts)  # the periods differ: the layout froze nothing


@pytest.mark.parametrize("case_dir", [BINARY_CASE, MATRIX_CASE], ids=lambda p: p.name)
def test_golden_case_with_a_layout(case_dir):
    plan, net, sales = _inputs(case_dir)
    kwargs = case_args(case_dir)
    _same(downline.run(plan, net, sales, explain=True, layout=downline.Layout(net, [plan]), **kwargs),
          downline.run(plan, net, sales, explain=True, **kwargs))


def test_a_layout_of_another_network_or_lacking_a_tree_is_refused():
    plan, net, sales = _inputs(MATRIX_CASE)
    twin = downline.Network.from_csv(MATRIX_CASE / "network.csv")
    with pytest.raises(downline.UsageError, match="built for another network of the same size"):
        downline.run(plan, net, sales, layout=downline.Layout(twin, plan))
    unilevel = downline.Plan.from_json({"name": "u", "bonuses": [{"name": "u", "type": "unilevel", "rates": ["5%"]}]})
    lacking = downline.Layout(net, unilevel)
    assert lacking.trees == []
    with pytest.raises(downline.UsageError, match=r"no matrix width \d+ placement tree, which bonus '[^']+' pays over"):
        downline.run(plan, net, sales, layout=lacking)
    with pytest.raises(TypeError, match="layout must be a downline.Layout"):
        downline.run(plan, net, sales, layout="layout")


def test_a_bad_placement_is_reported_when_the_layout_is_built(binary_available):
    net = downline.Network.from_arrays(["A", "B", "C"], ["", "A", "A"], placement_ids=["", "A", "A"],
                                       positions=["", "L", "L"])
    plan = downline.Plan.from_json({"name": "b", "bonuses": [{"name": "b", "type": "binary", "rate": "10%"}]})
    with pytest.raises(downline.NetworkError, match="taken twice"):
        downline.Layout(net, plan)


def test_compare_with_one_layout_for_all_plans(binary_available):
    outer_right, net, sales = _inputs(BINARY_CASE)
    bfs = downline.Plan.from_json({"name": "bfs", "bonuses": [{"name": "bin", "type": "binary", "rate": "10%"}]})
    plans = [outer_right, bfs]
    layout = downline.Layout(net, plans)
    assert layout.trees == ["binary outer_right", "binary bfs"]
    given = downline.compare(plans, net, sales, layout=layout)
    assert given.table.equals(downline.compare(plans, net, sales).table)
    assert given.summaries == downline.compare(plans, net, sales).summaries
    with pytest.raises(downline.UsageError, match="which bonus"):
        downline.compare(plans, net, sales, layout=downline.Layout(net, outer_right))


def test_a_compiled_network_keeps_its_trees(tmp_path):
    plan, net, sales = _inputs(MATRIX_CASE)
    compiled = tmp_path / "network.dlnet"
    net.compile(compiled, plan)
    loaded = downline.Network.from_file(compiled)
    layout = downline.Layout(loaded, plan)  # the saved tree, not placed again
    sales_loaded = downline.Ledger.from_csv(MATRIX_CASE / "sales.csv")
    _same(downline.run(plan, loaded, sales_loaded, explain=True, layout=layout),
          downline.run(plan, net, sales, explain=True))
    # A layout of the CSV network is not the compiled one's.
    with pytest.raises(downline.UsageError, match="another network"):
        downline.run(plan, loaded, sales_loaded, layout=downline.Layout(net, plan))
