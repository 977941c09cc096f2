"""Nothing shipped in `src/` points a reader at files outside the repository (a user's checkout has none)."""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
OUTSIDE = re.compile(r"(\.\./shared/|/work/|shared/(reference|seeds)/)")


def test_no_file_in_src_cites_a_path_outside_the_repository() -> None:
    offenders = [
        f"{path.relative_to(SRC)}:{number}"
        for path in sorted(SRC.rglob("*"))
        if path.is_file() and path.suffix in (".py", ".toml", ".md", ".json", ".yml")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if OUTSIDE.search(line)
    ]
    assert not offenders, f"cite the public source (or the seed document by name) instead: {offenders}"
