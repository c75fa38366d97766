"""What the bundle suites share: a sealed province (two cases, two checkpoints, a witness) and
the fixed bundles of ``tests/vectors/bundle/``."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path
from typing import Any


from domain import scenario
from ledger import transparency
from ledger.bundle import export
from tests.builders import LEDGER_ID, Province, province, signer_for


VECTORS = Path(__file__).resolve().parents[1] / "vectors" / "bundle"
YUEXI = "case:340828-2017"
LINQUAN = "case:341221-2019"
AUTHORITY = scenario.AUTHORITY
SETUP = 1 + len(scenario.ACTORS)
FIRST = SETUP + len(scenario.yuexi_case())  # 38, the first checkpoint
SIZE = FIRST + len(scenario.linquan_case())  # 47, the second, cosigned by a witness
FIG = FIRST + 2  # 临泉县's own FiguresReported (v2), the one that says "1.95"
WITNESS = "ah-cdi-witness"
OTHER_LEDGER = "0d6f0a0e-77a2-4d5e-9b1c-2a3b4c5d6e7f"
TRUSTED = signer_for(AUTHORITY).public_raw
FILES = ("authority.vkey", "checkpoints.jsonl", "events.jsonl")
MANIFEST = (None, None, None, "bundle.manifest")  # problems as the suites pin them
LINE_MALFORMED = (None, None, None, "bundle.line_malformed")
TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")


def add(p: Province, steps: list[scenario.Step]) -> None:
    p.app.append([p.entry(s.stream, s.type, s.actor, s.payload) for s in steps])


def sealed_province(url: str, *, ledger_id: str = LEDGER_ID) -> Province:
    """Both demo cases, checkpoints at 38 and 47, the second cosigned by a witness."""
    p = province(url, ledger_id=ledger_id, cases=False)
    add(p, scenario.yuexi_case())
    transparency.sign(p.app, p.signers[AUTHORITY])
    add(p, scenario.linquan_case())
    transparency.sign(p.app, p.signers[AUTHORITY])
    transparency.witness_cosign(p.app, signer_for(WITNESS), WITNESS)
    return p


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def vector_bundle(name: str, into: Path) -> Path:
    """A copy of ``tests/vectors/bundle/<name>/`` (so nothing ever writes into the vectors)."""
    return Path(shutil.copytree(VECTORS / name, into / name))


def exported_bundle(root: Path) -> Path:
    """:func:`sealed_province` exported to ``root/bundle`` (its database beside it)."""
    p = sealed_province(f"sqlite:///{root}/ledger.db")
    export(p.app, root / "bundle")
    p.app.close()
    return root / "bundle"


# -- editing a copy, as a tamperer would ------------------------------------------------------------
def copy_of(pristine: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(pristine, tmp_path / "bundle"))


def lines(d: Path, name: str = "events.jsonl") -> list[bytes]:
    return (d / name).read_bytes().splitlines(keepends=True)


def put(d: Path, new: list[bytes], name: str = "events.jsonl") -> None:
    (d / name).write_bytes(b"".join(new))


def relist(d: Path, name: str = "events.jsonl") -> None:
    """Make the manifest list the file's new SHA-256, as a careful tamperer would."""
    path = d / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["files"][name] = sha256(d / name)
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def edit_manifest(d: Path, **changes: Any) -> None:
    path = d / "manifest.json"
    path.write_text(json.dumps({**json.loads(path.read_text(encoding="utf-8")), **changes}), encoding="utf-8")
