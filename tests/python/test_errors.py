# SPDX-License-Identifier: MIT
"""Errors raise downline.Error subclasses with the CLI's messages (SPEC §9, §10)."""
import subprocess
from decimal import Decimal

import numpy as np
import pytest

import downline

PLAN = {"name": "e", "bonuses": [{"name": "level", "type": "unilevel", "rates": ["10%"]}]}


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def files(tmp_path):
    """A small valid case: R <- A <- B."""
    return {
        "plan": write(tmp_path / "plan.json", '{"name": "e", "bonuses": [{"name": "level", "type": "unilevel", '
                                              '"rates": ["10%"]}]}'),
        "network": write(tmp_path / "network.csv", "id,sponsor_id\nR,\nA,R\nB,A\n"),
        "sales": write(tmp_path / "sales.csv", "member_id,amount\nB,100.00\nA,20.00\n"),
    }


def test_hierarchy():
    for cls in (downline.FileError, downline.InputError, downline.InputTypeError, downline.NetworkError,
                downline.PlanError, downline.NumberOverflowError, downline.UsageError):
        assert issubclass(cls, downline.Error)
    assert issubclass(downline.FileError, OSError)
    assert issubclass(downline.PlanError, ValueError)


def test_bad_json():
    with pytest.raises(downline.PlanError, match=r"^plan: invalid JSON"):
        downline.Plan.from_json('{ "name": ')


def test_plan_errors_name_the_json_path(tmp_path):
    with pytest.raises(downline.PlanError) as e:
        downline.Plan.from_json({"name": "x", "bonuses": [{"name": "b", "type": "nope"}]})
    assert str(e.value) == "plan: bonuses[0].type: unknown bonus type 'nope'"
    path = write(tmp_path / "p.json", '{"name": "x", "bonuses": [{"name": "b", "type": "unilevel", '
                                      '"rates": ["10%", "120%"]}]}')
    with pytest.raises(downline.PlanError, match=r"p\.json: bonuses\[0\]\.rates\[1\]"):
        downline.Plan.from_json(path)


def test_plan_dict_with_decimals_is_exact():
    plan = downline.Plan.from_json({"name": "d", "bonuses": [
        {"name": "level", "type": "unilevel", "rates": [Decimal("12.5"), "2.25%"]}]})
    assert plan.bonus_names == ["level"]


def test_missing_files(tmp_path):
    with pytest.raises(downline.FileError, match="nothere.json"):
        downline.Plan.from_json(tmp_path / "nothere.json")
    with pytest.raises(downline.FileError, match="nothere.csv"):
        downline.Network.from_csv(tmp_path / "nothere.csv")
    with pytest.raises(downline.FileError):
        downline.Ledger.from_csv(tmp_path / "nothere.csv")


def test_network_errors():
    with pytest.raises(downline.NetworkError) as e:
        downline.Network.from_arrays(["R", "A", "A"], ["", "R", "R"])
    assert str(e.value).startswith("network row 2: duplicate id")
    assert "'A'" in str(e.value)
    with pytest.raises(downline.NetworkError, match=r"network row 1: unknown sponsor_id 'Q'"):
        downline.Network.from_arrays(["R", "A"], [None, "Q"])
    with pytest.raises(downline.NetworkError, match="no members"):
        downline.Network.from_arrays([], [])
    with pytest.raises(downline.UsageError, match="sponsor_ids has 1 rows"):
        downline.Network.from_arrays(["R", "A"], [None])


def test_sales_errors(files):
    net = downline.Network.from_csv(files["network"])
    with pytest.raises(downline.InputError, match=r"sales row 1: sale for a member who is not in the network 'ZZ'"):
        downline.Ledger.from_arrays(["B", "ZZ"], np.array([100, 200], dtype=np.int64), network=net)
    # Without a network, the member ids are checked by the run.
    ledger = downline.Ledger.from_arrays(["B", "ZZ"], ["1.00", "2.00"])
    with pytest.raises(downline.InputError, match="'ZZ'"):
        downline.run(downline.Plan.from_json(PLAN), net, ledger)
    with pytest.raises(downline.InputError, match=r"sales row 0: amount is not a decimal number '1e3'"):
        downline.Ledger.from_arrays(["B"], ["1e3"])
    with pytest.raises(downline.InputError, match=r"sales row 0: unknown kind \(expected retail, personal or fee\) 'gift'"):
        downline.Ledger.from_arrays(["B"], ["1.00"], kinds=["gift"])
    with pytest.raises(downline.InputError, match=r"sales row 0: date is not a date YYYY-MM-DD '2026-02-30'"):
        downline.Ledger.from_arrays(["B"], ["1.00"], dates=["2026-02-30"])
    with pytest.raises(downline.NumberOverflowError, match=r"sales row 0: amount overflows"):
        downline.Ledger.from_arrays(["B"], np.array([2**62], dtype=np.int64))


def test_money_is_never_a_float():
    with pytest.raises(TypeError, match="never floats") as e:
        downline.Ledger.from_arrays(["B"], np.array([1.5]))
    assert isinstance(e.value, downline.InputTypeError) and isinstance(e.value, downline.Error)
    with pytest.raises(TypeError, match="float"):
        downline.Ledger.from_arrays(["B", "B"], np.array(["1.50", 2.5], dtype=object))
    with pytest.raises(TypeError, match="never floats"):
        downline.Ledger.from_arrays(["B"], ["1.00"], volumes=np.array([1.0]))


def test_run_errors(files):
    plan = downline.Plan.from_json(files["plan"])
    net = downline.Network.from_csv(files["network"])
    sales = downline.Ledger.from_csv(files["sales"])
    with pytest.raises(downline.UsageError, match=r"period must be YYYY-MM, YYYY-Www or YYYY-MM-DD\.\.YYYY-MM-DD, not '2026-13'"):
        downline.run(plan, net, sales, period="2026-13")
    with pytest.raises(downline.InputError, match=r"sales\.csv:2: a period \(2026-03\) is given but this sale line has no date"):
        downline.run(plan, net, sales, period="2026-03")
    state = downline.State.from_arrays(["NOBODY"], ["level"], ["1"], ["0"])
    with pytest.raises(downline.InputError, match=r"state row 0: state for a member who is not in the network 'NOBODY'"):
        downline.run(plan, net, sales, state=state)
    with pytest.raises(downline.UsageError, match="explain=True"):
        downline.run(plan, net, sales).lines
    with pytest.raises(TypeError):
        downline.run(plan, net, "sales.csv")


def test_failed_writes_leave_nothing(files, tmp_path):
    res = downline.run(downline.Plan.from_json(files["plan"]), downline.Network.from_csv(files["network"]),
                       downline.Ledger.from_csv(files["sales"]))
    target = tmp_path / "missing-dir" / "payouts.csv"
    with pytest.raises(downline.FileError):
        res.write_payouts(target)
    assert not target.exists()


# ---- the same messages as the CLI ------------------------------------------------------------

BAD_INPUTS = {
    "plan_unknown_type": ("plan", '{"name": "x", "bonuses": [{"name": "b", "type": "nope"}]}'),
    "plan_bad_rate": ("plan", '{"name": "x", "bonuses": [{"name": "b", "type": "unilevel", "rates": ["101%"]}]}'),
    "network_duplicate": ("network", "id,sponsor_id\nR,\nA,R\nA,R\n"),
    "network_unknown_sponsor": ("network", "id,sponsor_id\nR,\nA,Q\n"),
    "network_cycle": ("network", "id,sponsor_id\nX,Y\nY,X\n"),
    "sales_unknown_member": ("sales", "member_id,amount\nB,1.00\nZZ,2.00\n"),
    "sales_exponent": ("sales", "member_id,amount\nB,1e3\n"),
    "sales_too_many_decimals": ("sales", "member_id,amount\nB,1.005\n"),
    "sales_missing_column": ("sales", "member_id,total\nB,1.00\n"),
}


def python_message(files):
    try:
        res = downline.run(downline.Plan.from_json(files["plan"]), downline.Network.from_csv(files["network"]),
                           downline.Ledger.from_csv(files["sales"]))
    except downline.Error as e:
        return str(e)
    pytest.fail(f"no error, payouts {res.payouts}")


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_messages_match_the_cli(case, files, cli, tmp_path):
    which, text = BAD_INPUTS[case]
    write(files[which], text)
    message = python_message(files)
    proc = subprocess.run(cli + ["run", "--plan", str(files["plan"]), "--network", str(files["network"]),
                                 "--sales", str(files["sales"]), "--out", str(tmp_path / "out.csv"), "--quiet"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert proc.stderr.strip() == f"downline: error: {message}"
