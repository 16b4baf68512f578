"""`downline compile-network`: a compiled network gives byte-identical outputs to its CSV, and
a damaged or foreign file is a clear error, never a crash.

For every golden case (tests/data/golden/*), the network is compiled with and without the
case's plan (with it, the placement trees are saved too), and `run` on the .dlnet must write
payouts, ranks, lines, state and summary byte for byte as `run` on network.csv. Then the file
is truncated at many lengths, has single bytes flipped all over, gets a newer format version and
the other byte order in its header, and foreign files stand in for it: each run must exit 1
with a message naming the file.

    DOWNLINE_CLI=build/release/downline python3 -m pytest tests/cli/test_compiled_network.py
"""

import shlex
import struct
import subprocess
from pathlib import Path

import pytest

from cli_binary import CLI, requires_cli

GOLDEN_DIR = Path(__file__).parent.parent / "data" / "golden"
pytestmark = requires_cli
CASES = sorted(p.name for p in GOLDEN_DIR.iterdir() if p.is_dir()) if GOLDEN_DIR.is_dir() else []
OUTPUTS = ["out", "ranks", "lines", "summary-json", "state-out"]


def cli(*args, check=True):
    proc = subprocess.run(CLI + [str(a) for a in args], capture_output=True, text=True, timeout=120)
    assert proc.returncode >= 0, f"crashed with signal {-proc.returncode}: {proc.stderr}"
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def run_case(case, network, out_dir):
    out_dir.mkdir()
    args_file = case / "args"
    extra = shlex.split(args_file.read_text()) if args_file.exists() else []
    outputs = []
    for name in OUTPUTS:
        outputs += [f"--{name}", out_dir / name]
    cli("run", "--plan", case / "plan.json", "--network", network, "--sales", case / "sales.csv", "--quiet",
        *outputs, *extra)
    return {name: (out_dir / name).read_bytes() for name in OUTPUTS}


@pytest.mark.parametrize("with_plan", [True, False], ids=["with-plan", "network-only"])
@pytest.mark.parametrize("name", CASES)
def test_compiled_network_gives_the_same_bytes(name, with_plan, tmp_path):
    case = GOLDEN_DIR / name
    compiled = tmp_path / "network.dlnet"
    plan = ["--plan", case / "plan.json"] if with_plan else []
    cli("compile-network", "--network", case / "network.csv", *plan, "--out", compiled, "--quiet")
    assert compiled.read_bytes()[:8] == b"DLNET\x1a\r\n"
    from_csv = run_case(case, case / "network.csv", tmp_path / "csv")
    from_compiled = run_case(case, compiled, tmp_path / "compiled")
    for output in OUTPUTS:
        assert from_compiled[output] == from_csv[output], f"{output} differs"


def test_compiling_a_compiled_network_again_gives_the_same_file(tmp_path):
    # From a .dlnet, the saved trees are reused (the layout read with it) and written again.
    case = GOLDEN_DIR / "21_matrix_spillover_with_unilevel"
    once, twice = tmp_path / "once.dlnet", tmp_path / "twice.dlnet"
    cli("compile-network", "--network", case / "network.csv", "--plan", case / "plan.json", "--out", once, "--quiet")
    cli("compile-network", "--network", once, "--plan", case / "plan.json", "--out", twice, "--quiet")
    assert twice.read_bytes() == once.read_bytes()


def test_compare_on_a_compiled_network_builds_only_the_missing_trees(tmp_path):
    # Saved with the matrix plan's tree; the second plan needs a 4-wide matrix, built at run time.
    case = GOLDEN_DIR / "21_matrix_spillover_with_unilevel"
    compiled = tmp_path / "network.dlnet"
    cli("compile-network", "--network", case / "network.csv", "--plan", case / "plan.json", "--out", compiled, "--quiet")
    wider = tmp_path / "wider.json"
    wider.write_text(case.joinpath("plan.json").read_text().replace('"width": 3', '"width": 4')
                     .replace('"name": "golden 21', '"name": "wider 21'))
    assert '"width": 4' in wider.read_text()

    def compare(network, out):
        cli("compare", "--plan", case / "plan.json", "--plan", wider, "--network", network, "--sales",
            case / "sales.csv", "--out", out, "--summary-json", str(out) + ".json", "--quiet")
        return out.read_bytes(), Path(str(out) + ".json").read_bytes()

    assert compare(compiled, tmp_path / "compiled.csv") == compare(case / "network.csv", tmp_path / "csv.csv")


@pytest.fixture(scope="module")
def binary_case(tmp_path_factory):
    """A compiled network with a placement tree, and what a run on it needs."""
    case = GOLDEN_DIR / "20_binary_rate_cap_refund"
    compiled = tmp_path_factory.mktemp("compiled") / "network.dlnet"
    cli("compile-network", "--network", case / "network.csv", "--plan", case / "plan.json", "--out", compiled)
    return case, compiled.read_bytes()


def run_damaged(case, data, tmp_path):
    damaged = tmp_path / "damaged.dlnet"
    damaged.write_bytes(data)
    proc = cli("run", "--plan", case / "plan.json", "--network", damaged, "--sales", case / "sales.csv",
               "--out", tmp_path / "payouts.csv", "--quiet", check=False)
    assert proc.returncode == 1, proc.stderr
    assert str(damaged) in proc.stderr
    assert not (tmp_path / "payouts.csv").exists()
    return proc.stderr


def test_truncated_file_is_named_truncated(binary_case, tmp_path):
    case, data = binary_case
    cuts = sorted(set(range(8, 200)) | set(range(200, len(data), max(1, len(data) // 97))))
    for cut in cuts:
        message = run_damaged(case, data[:cut], tmp_path)
        assert "truncated compiled network" in message, (cut, message)


def test_flipped_bytes_are_found(binary_case, tmp_path):
    case, data = binary_case
    for offset in range(64, len(data), max(1, len(data) // 301)):
        damaged = bytearray(data)
        damaged[offset] ^= 0x5A
        message = run_damaged(case, bytes(damaged), tmp_path)
        assert "corrupted compiled network: checksum mismatch" in message, (offset, message)


def test_header_version_and_byte_order(binary_case, tmp_path):
    case, data = binary_case
    newer = data[:12] + struct.pack("<I", 2) + data[16:]
    assert "format version 2, this downline reads version 1" in run_damaged(case, newer, tmp_path)
    swapped = data[:8] + struct.pack(">I", 0x01020304) + data[12:]
    assert "other byte order" in run_damaged(case, swapped, tmp_path)
    longer = data + b"\0" * 64
    assert "corrupted compiled network" in run_damaged(case, longer, tmp_path)


def test_foreign_files_are_not_networks(binary_case, tmp_path):
    case, _ = binary_case
    for foreign in [b"", b"\x7fELF\x02\x01\x01" + bytes(range(256)) * 4, b"PK\x03\x04" + b"\0" * 100]:
        run_damaged(case, foreign, tmp_path)


# --------------------------------------------------------------------------------------
# A file with a valid checksum but wrong contents (written by a faulty tool, or crafted):
# the structure checks must catch what the engine relies on.
# --------------------------------------------------------------------------------------

MASK = (1 << 64) - 1


def checksum(data):
    """The file's checksum (src/network_file.cpp), for re-sealing a file after an edit."""
    k = 0x9E3779B97F4A7C15

    def mix(h, w):
        h = ((h ^ w) * 0xBF58476D1CE4E5B9) & MASK
        return h ^ (h >> 29)

    lanes = [k, k ^ 1, k ^ 2, k ^ 3]
    n, i = len(data), 0
    while i + 32 <= n:
        for lane in range(4):
            lanes[lane] = mix(lanes[lane], int.from_bytes(data[i + 8 * lane:i + 8 * lane + 8], "little"))
        i += 32
    lane = 0
    while i < n:
        lanes[lane] = mix(lanes[lane], int.from_bytes(data[i:i + 8], "little"))
        lane, i = lane + 1, i + 8
    h = n
    for x in lanes:
        h = mix((h * k) & MASK, x)
    return h


def sealed(data):
    return data[:24] + struct.pack("<Q", checksum(data[64:])) + data[32:]


def sections(data):
    count = struct.unpack_from("<I", data, 32)[0]
    return {kind: (size, offset, n) for kind, size, offset, n in
            (struct.unpack_from("<IIQQ", data, 64 + 24 * i) for i in range(count))}


def test_checksum_matches_the_writer(binary_case):
    _, data = binary_case
    assert sealed(data) == data


@pytest.mark.parametrize("kind,index,value,words", [
    (8, 1, 0xFFFFFFF0, "numbering"),          # a parent outside the network
    (9, 0, 0, "numbering"),                   # a subtree that ends before it starts
    (6, 2, 0x7FFFFFFF, "numbering"),          # a row outside the file
    (4, 1, 1 << 40, "id"),                    # an id's bytes outside the arena (8-byte offsets)
    (65, 1, 0xFFFFFFF0, "placement tree node"),  # a tree node's member outside the network
])
def test_wrong_contents_are_found(binary_case, tmp_path, kind, index, value, words):
    case, data = binary_case
    size, offset, _ = sections(data)[kind]
    damaged = bytearray(data)
    damaged[offset + size * index:offset + size * index + (8 if size == 8 else 4)] = \
        value.to_bytes(8 if size == 8 else 4, "little")
    message = run_damaged(case, sealed(bytes(damaged)), tmp_path)
    assert "corrupted compiled network" in message and words in message, message


def test_random_words_never_crash(binary_case, tmp_path):
    """Random 4-byte words written over every section, re-sealed: exit 0 or 1, never a signal."""
    import random
    case, data = binary_case
    rng = random.Random(14)
    for kind, (size, offset, n) in sorted(sections(data).items()):
        for _ in range(12):
            if size * n < 4:
                continue
            damaged = bytearray(data)
            at = offset + rng.randrange(0, size * n - 3)
            damaged[at:at + 4] = rng.choice([0, 1, 0xFFFFFFFF, 0x80000000, rng.getrandbits(32)]).to_bytes(4, "little")
            path = tmp_path / "random.dlnet"
            path.write_bytes(sealed(bytes(damaged)))
            proc = cli("run", "--plan", case / "plan.json", "--network", path, "--sales", case / "sales.csv",
                       "--out", tmp_path / "payouts.csv", "--quiet", check=False)
            assert proc.returncode in (0, 1), (kind, at, proc.returncode, proc.stderr)
