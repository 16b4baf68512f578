"""The HTML report (`--report` on run and compare) opened in a real browser (issue 13).

Headless Chromium (Debian package `chromium`; CI installs it) loads the page from disk, its
rendered DOM is read back (--dump-dom) and a screenshot taken (--screenshot). Checked: the
income-disclosure table of tests/data/report/disclosure equals the hand-computed
expected_disclosure.csv; every summary figure the page shows equals the --summary-json
value, for run and for each plan of compare; the page references nothing outside itself;
the screenshot is a PNG of the page.

Run with DOWNLINE_CLI=build/release/downline python3 -m pytest tests/cli/test_report.py
"""

import csv
import json
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from cli_binary import cli_argv, requires_cli

ROOT = Path(__file__).resolve().parent.parent.parent
CASE = ROOT / "tests" / "data" / "report" / "disclosure"
DEMO = ROOT / "examples" / "data" / "demo"
PLANS = ROOT / "examples" / "plans"

BROWSER = next((shutil.which(b) for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None)
pytestmark = [
    requires_cli,
    pytest.mark.skipif(BROWSER is None, reason="no headless Chromium (apt-get install chromium)"),
]

# The summary table's rows and where their figures sit in the summary JSON.
SUMMARY_ROWS = {
    "total payout": ("total_payout",), "payout ratio (payout / sales amount)": ("payout_ratio",),
    "cap factor": ("cap_factor",), "breakage": ("breakage",), "members": ("members",),
    "active members": ("active_members",), "earners": ("earners",),
    "share earning nothing": ("earnings", "zero_share"), "median earnings": ("earnings", "median"),
    "90th percentile": ("earnings", "p90"), "99th percentile": ("earnings", "p99"),
    "largest earnings": ("earnings", "max"),
}


def cli(*args):
    argv = cli_argv()
    r = subprocess.run(argv + [str(a) for a in args], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return r


def browser(page, tmp_path, *args):
    profile = tmp_path / "chromium-profile"
    argv = [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
            f"--user-data-dir={profile}", *args, page.as_uri()]
    return subprocess.run(argv, capture_output=True, text=True, timeout=120)


class Tables(HTMLParser):
    """The rendered tables by id: rows of cell texts."""

    def __init__(self):
        super().__init__()
        self.tables, self._current, self._cell = {}, None, None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._current = self.tables.setdefault(dict(attrs).get("id", ""), [])
        elif tag == "tr" and self._current is not None:
            self._current.append([])
        elif tag in ("td", "th") and self._current is not None:
            self._cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._current[-1].append(self._cell.strip())
            self._cell = None
        elif tag == "table":
            self._current = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data


def rendered_tables(page, tmp_path):
    r = browser(page, tmp_path, "--dump-dom")
    assert r.returncode == 0 and "</table>" in r.stdout, r.stderr
    parser = Tables()
    parser.feed(r.stdout)
    return parser.tables


def json_figure(summary, path):
    value = summary
    for key in path:
        value = value[key]
    return "—" if value is None else str(value)


def check_self_contained(page):
    text = page.read_text(encoding="utf-8")
    for outside in ("<script", "http:", "https:", "src=", "url(", "@import", "<link"):
        assert outside not in text, outside


def check_summary_table(tables, summaries):
    rows = {row[0]: row[1:] for row in tables["summary"][1:]}
    assert tables["summary"][0][1:] == [s["plan"] for s in summaries]
    for label, path in SUMMARY_ROWS.items():
        assert rows[label] == [json_figure(s, path) for s in summaries], label
    for i, s in enumerate(summaries):
        for bonus in s["bonuses"]:
            assert rows["bonus " + bonus["name"]][i] == bonus["total"]
    kinds = {row[0].split(" ")[0]: row[1:] for row in tables["kinds"][1:]}
    for kind in ("retail", "personal", "fee"):
        assert kinds[kind] == [s["kind_shares"][kind] for s in summaries]


def test_run_report_in_a_browser(tmp_path):
    page, summary = tmp_path / "report.html", tmp_path / "summary.json"
    cli("run", "--plan", CASE / "plan.json", "--network", CASE / "network.csv", "--sales", CASE / "sales.csv",
        "--out", tmp_path / "payouts.csv", "--summary-json", summary, "--report", page, "--quiet")
    check_self_contained(page)
    tables = rendered_tables(page, tmp_path)
    with open(CASE / "expected_disclosure.csv", newline="") as f:
        expected = list(csv.reader(f))[1:]
    shown = [row for row in tables["disclosure-1"][1:] if row[1] != "0"]
    assert shown == expected
    check_summary_table(tables, [json.loads(summary.read_text())])

    png = tmp_path / "report.png"
    r = browser(page, tmp_path, "--window-size=1200,1600", f"--screenshot={png}")
    assert r.returncode == 0, r.stderr
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000


def test_compare_report_in_a_browser(tmp_path):
    page, summary = tmp_path / "compare.html", tmp_path / "summary.json"
    plans = [DEMO / "plan.json", PLANS / "binary.json", PLANS / "hybrid_binary_unilevel_matching.json"]
    cli("compare", *[a for p in plans for a in ("--plan", p)], "--network", DEMO / "network.csv",
        "--sales", DEMO / "sales.csv", "--out", tmp_path / "compare.csv", "--summary-json", summary,
        "--report", page, "--quiet")
    check_self_contained(page)
    tables = rendered_tables(page, tmp_path)
    summaries = json.loads(summary.read_text())["plans"]
    check_summary_table(tables, summaries)
    for i, s in enumerate(summaries, start=1):
        rows = tables[f"disclosure-{i}"][1:]
        assert sum(int(r[1]) for r in rows) == s["members"]
    assert "Per-member differences from Example" in page.read_text(encoding="utf-8")
