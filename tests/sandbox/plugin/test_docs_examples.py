"""The worked examples of docs/TESTING-WITH-THE-SANDBOX.md, run as a user's test file would be."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

DOC = Path(__file__).parents[3] / "docs" / "TESTING-WITH-THE-SANDBOX.md"
HEADER = "import asyncio\n\nimport anthropic\nimport httpx\nimport pytest\n\n\n"


def test_every_python_example_of_the_guide_passes(tmp_path: Path) -> None:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.DOTALL)
    tests = [block for block in blocks if re.search(r"def test_\w+\(", block)]  # not the marker's sketch
    assert len(tests) >= 6
    (tmp_path / "test_guide.py").write_text(HEADER + "\n\n".join(tests))
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    count = sum(len(re.findall(r"def test_\w+\(", block)) for block in tests)
    assert f"{count} passed" in result.stdout
