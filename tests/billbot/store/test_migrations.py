"""Migrations: from an empty database to the newest revision, idempotent, and complete (no schema drift)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import Engine, inspect

import billbot.store
from billbot.store import migrate
from billbot.store.migrate import MIGRATIONS_DIR, current_revision, head_revision, schema_diff

TABLES = {"alembic_version", "balance_entry", "recorded_limit", "usage_bucket", "cost_bucket", "sync_state",
          "ticket", "ticket_event", "slack_delivery", "whatif_run", "watch_budget", "watch_alert",
          "watch_post", "watch_run", "watch_digest", "drill_run", "drill_action"}  # fmt: skip


def test_an_empty_database_is_migrated_to_the_newest_revision(bare_engine: Engine) -> None:
    assert current_revision(bare_engine) is None
    migrate(bare_engine)
    assert current_revision(bare_engine) == head_revision()
    assert set(inspect(bare_engine).get_table_names()) == TABLES


def columns(engine: Engine) -> dict[str, list[tuple[str, str, bool]]]:
    """Each table's columns as (name, type, nullable)."""
    inspector = inspect(engine)
    return {
        table: [
            (column["name"], str(column["type"]), column["nullable"])
            for column in inspector.get_columns(table)
        ]
        for table in TABLES
    }


def test_migrating_again_changes_nothing(engine: Engine) -> None:
    before = columns(engine)
    migrate(engine)
    migrate(engine)
    assert current_revision(engine) == head_revision()
    assert columns(engine) == before


def test_the_migrated_schema_matches_the_tables_metadata(engine: Engine) -> None:
    assert schema_diff(engine) == []


def test_an_unmigrated_database_differs_from_the_metadata(bare_engine: Engine) -> None:
    assert schema_diff(bare_engine) != []


def test_the_scripts_ship_inside_the_package() -> None:
    package = Path(billbot.store.__file__).parent
    assert package / "migrations" == MIGRATIONS_DIR
    for name in ("env.py", "script.py.mako"):
        assert (MIGRATIONS_DIR / name).is_file()
    assert sorted(path.name for path in (MIGRATIONS_DIR / "versions").glob("0*.py"))[0] == "0001_initial.py"


def test_migrate_needs_no_alembic_ini_nor_the_repository(store_url: str, tmp_path: Path) -> None:
    script = (
        "import os\n"
        "from billbot.store import make_engine, migrate\n"
        "from billbot.store.migrate import current_revision\n"
        "engine = make_engine(os.environ['STORE_URL'])\n"
        "migrate(engine)\n"
        "print(current_revision(engine))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env={**os.environ, "STORE_URL": store_url},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == head_revision()
