# SPDX-License-Identifier: MIT
"""Run a plan on a ledger stored as Parquet, read with pyarrow or Polars (no CSV, no float).

    pip install . pyarrow polars      # from the repository root
    python examples/python/parquet_ledger.py                       # the demo data, pyarrow
    python examples/python/parquet_ledger.py --polars              # the same through Polars
    python examples/python/parquet_ledger.py --sales sales.parquet --network network.parquet \\
        --plan plan.json

Without --sales, the demo ledger (examples/data/demo/sales.csv) is first written as Parquet with
the money as decimal128(18, 2), as a warehouse export would hold it. downline reads the Arrow
columns in place through the Arrow PyCapsule interface: text and int64 columns are not copied,
decimal128 money stays exact.
"""
import argparse
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

import downline

try:
    import pyarrow as pa
    import pyarrow.csv
    import pyarrow.parquet as pq
except ImportError:
    print("this example needs pyarrow: pip install pyarrow")
    sys.exit(77)  # ctest: skipped

DEMO = Path(__file__).resolve().parent.parent / "data" / "demo"


def demo_parquet(directory: Path) -> tuple:
    """The demo network and ledger as Parquet files (ids as text, money as decimal128)."""
    text = pa.csv.ConvertOptions(column_types={"amount": pa.string(), "volume": pa.string(), "date": pa.date32()},
                                 strings_can_be_null=False)
    sales = pa.csv.read_csv(DEMO / "sales.csv", convert_options=text)
    for name in ("amount", "volume"):
        exact = pa.array([Decimal(v) for v in sales[name].to_pylist()], pa.decimal128(18, 2))
        sales = sales.set_column(sales.schema.get_field_index(name), name, exact)
    network = pa.csv.read_csv(DEMO / "network.csv", convert_options=pa.csv.ConvertOptions(
        column_types={"id": pa.string(), "sponsor_id": pa.string()}, strings_can_be_null=True))
    pq.write_table(sales, directory / "sales.parquet")
    pq.write_table(network, directory / "network.parquet")
    return directory / "network.parquet", directory / "sales.parquet"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--network", type=Path)
    parser.add_argument("--sales", type=Path)
    parser.add_argument("--plan", type=Path, default=DEMO / "plan.json")
    parser.add_argument("--polars", action="store_true", help="read the Parquet files with Polars")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        network_path, sales_path = args.network, args.sales
        if sales_path is None:
            network_path, sales_path = demo_parquet(Path(tmp))
        if args.polars:
            try:
                import polars as pl
            except ImportError:
                print("--polars needs polars: pip install polars")
                sys.exit(77)
            network_data, sales_data = pl.read_parquet(network_path), pl.read_parquet(sales_path)
        else:
            network_data, sales_data = pq.read_table(network_path), pq.read_table(sales_path)

        net = downline.Network.from_arrow(network_data)
        ledger = downline.Ledger.from_arrow(sales_data)
        res = downline.run(downline.Plan.from_json(args.plan), net, ledger)

    print(res.member_totals.sort_values("amount_minor", ascending=False).head(5).to_string(index=False))
    print(f"Payout ratio {res.summary['payout_ratio']} of {res.summary['total_amount']} sold; "
          f"payouts as Arrow: {res.to_arrow()['payouts'].schema.field('amount').type}")


if __name__ == "__main__":
    main()
