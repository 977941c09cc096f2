"""The README's configuration table is one table naming every variable billbot reads."""

from __future__ import annotations

from pathlib import Path

from billbot.settings import Settings

README = Path(__file__).resolve().parents[2] / "README.md"
HEADER = "| variable | meaning | default |"


def configuration_rows() -> list[str]:
    """The table's rows: the lines after its header up to the first line that is not a row."""
    lines = README.read_text(encoding="utf-8").splitlines()
    start = lines.index(HEADER) + 2
    rows = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        rows.append(line)
    return rows


def test_every_setting_is_a_row_of_the_one_configuration_table() -> None:
    table = "\n".join(configuration_rows())
    names = {str(field.validation_alias) for field in Settings.model_fields.values()}
    missing = sorted(name for name in names if f"`{name}`" not in table)
    assert not missing, f"not in the README's configuration table (or after a blank line): {missing}"
