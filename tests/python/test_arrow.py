# SPDX-License-Identifier: MIT
"""Arrow in and out (issue 13): the golden cases given as pyarrow tables and Polars DataFrames
pay what the CSV files pay; money as decimal128, int64 minor units or text, never float; a
float column is refused with a TypeError; res.to_arrow() gives decimal128 money equal to the
payouts. pyarrow and polars are optional: the tests skip without them (CI installs them)."""
import datetime
from decimal import Decimal

import numpy as np
import pytest

import downline
from conftest import GOLDEN_DIR, golden_cases
from test_golden import expected_payouts, payout_rows, read_csv, run_case

pa = pytest.importorskip("pyarrow")


def _scale(texts):
    return max((len(t.split(".")[1]) if "." in t else 0) for t in texts) if texts else 0


def decimal_column(texts):
    """Exact decimal text as a decimal128 column of the text's own scale."""
    scale = _scale(texts)
    return pa.array([Decimal(t) for t in texts], pa.decimal128(18, scale))


def case_tables(case_dir):
    """network and sales as pyarrow tables: ids and kinds as text, money and volume decimal128."""
    rows = read_csv(case_dir / "network.csv")
    network = pa.table({k: pa.array([r[k] for r in rows], pa.string()) for k in rows[0]})
    lines = read_csv(case_dir / "sales.csv")
    columns = {}
    for k in lines[0] if lines else ["member_id", "amount"]:
        values = [r[k] for r in lines]
        if k == "volume":
            values = [v if v != "" else r["amount"] for v, r in zip(values, lines)]
        columns[k] = decimal_column(values) if k in ("amount", "volume") else pa.array(values, pa.string())
    return network, pa.table(columns)


@pytest.mark.parametrize("name", golden_cases())
def test_golden_cases_from_pyarrow(name):
    network, sales = case_tables(GOLDEN_DIR / name)
    _, res = run_case(name, network=downline.Network.from_arrow(network), ledger=downline.Ledger.from_arrow(sales))
    assert payout_rows(res) == expected_payouts(GOLDEN_DIR / name)


@pytest.mark.parametrize("name", golden_cases())
def test_golden_cases_from_polars(name):
    pl = pytest.importorskip("polars")
    network, sales = case_tables(GOLDEN_DIR / name)
    _, res = run_case(name, network=downline.Network.from_arrow(pl.from_arrow(network)),
                      ledger=downline.Ledger.from_arrow(pl.from_arrow(sales)))
    assert payout_rows(res) == expected_payouts(GOLDEN_DIR / name)


def test_int64_minor_units_dates_and_chunks():
    net = downline.Network.from_arrow(pa.table({
        "id": ["A", "B", "C"], "sponsor_id": [None, "A", "B"],
        "joined": pa.array([datetime.date(2026, 1, 1), None, datetime.date(2026, 2, 1)], pa.date32())}))
    batches = [pa.record_batch({"member_id": ["B", "C"], "amount": pa.array([12345, 500], pa.int64()),
                                "date": pa.array([datetime.date(2026, 3, 2), datetime.date(2026, 3, 9)], pa.date32())}),
               pa.record_batch({"member_id": ["C"], "amount": pa.array([-250], pa.int64()),
                                "date": pa.array([datetime.date(2026, 4, 1)], pa.date32())})]
    ledger = downline.Ledger.from_arrow(pa.Table.from_batches(batches))
    plan = downline.Plan.from_json({"name": "p", "bonuses": [{"name": "u", "type": "unilevel", "rates": ["10%"]}]})
    res = downline.run(plan, net, ledger, period="2026-03")
    assert payout_rows(res) == [("A", "u", "12.34"), ("B", "u", "0.50")]  # 12.345 half-even; April out
    assert payout_rows(downline.run(plan, net, ledger)) == [("A", "u", "12.34"), ("B", "u", "0.25")]


def test_float_money_is_refused():
    net = downline.Network.from_arrow(pa.table({"id": ["A", "B"], "sponsor_id": ["", "A"]}))
    with pytest.raises(TypeError, match="column 'amount' is floating point"):
        downline.Ledger.from_arrow(pa.table({"member_id": ["B"], "amount": [12.5]}), network=net)
    with pytest.raises(downline.InputTypeError, match="column 'volume' is floating point"):
        downline.Ledger.from_arrow(pa.table({"member_id": ["B"], "amount": ["12.50"], "volume": [1.0]}))
    with pytest.raises(TypeError, match="must export Arrow data"):
        downline.Network.from_arrow({"id": ["A"]})
    with pytest.raises(downline.InputError, match="no column 'sponsor_id'"):
        downline.Network.from_arrow(pa.table({"id": ["A"]}))
    with pytest.raises(downline.InputError, match="column 'amount' row 1: a value is missing"):
        downline.Ledger.from_arrow(pa.table({"member_id": ["B", "B"], "amount": pa.array([1, None], pa.int64())}))


def test_to_arrow_decimal128():
    name = "10_payout_cap"
    _, res = run_case(name)
    tables = res.to_arrow()
    payouts = tables["payouts"]
    assert payouts.schema.field("amount").type == pa.decimal128(19, res.money_decimals)
    assert list(zip(payouts["member_id"].to_pylist(), payouts["bonus"].to_pylist(),
                    [str(a) for a in payouts["amount"].to_pylist()])) == expected_payouts(GOLDEN_DIR / name)
    assert tables["ranks"]["pv"].to_pylist() == list(res.ranks["pv"])
    lines = tables["lines"]
    assert lines["amount"].to_pylist() == list(res.lines["amount"])
    assert pa.types.is_decimal(lines["base"].type) and pa.types.is_decimal(lines["rate"].type)
    # Negative amounts survive the 128-bit sign extension.
    neg = downline.run(downline.Plan.from_json({"name": "n", "bonuses": [{"name": "u", "type": "unilevel", "rates": ["10%"]}]}),
                       downline.Network.from_arrays(["A", "B"], ["", "A"]),
                       downline.Ledger.from_arrays(["B"], ["-123.40"]))
    assert neg.to_arrow()["payouts"]["amount"].to_pylist() == [Decimal("-12.34")]


def test_int64_and_text_columns_are_read_in_place():
    table = pa.table({"member_id": ["A", "B"], "amount": pa.array([100, 250], pa.int64())})
    columns = downline._core.arrow_columns(table, "sales")
    amounts = columns["amount"]
    assert amounts.__array_interface__["data"][0] == table.column("amount").chunk(0).buffers()[1].address
    assert isinstance(columns["member_id"], downline._core.ArrowStrings)
    assert [columns["member_id"][i] for i in range(len(columns["member_id"]))] == ["A", "B"]
    del table  # the Arrow batch stays alive as long as the column does
    assert amounts.tolist() == [100, 250]
