"""The Procfile names every process: `web` (billbot serve on $PORT), `clock` (the watch on its own) and
`release` (the schema migration, the same code as the Helm chart's migration Job), and the release
command really migrates a store."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

from billbot.store.migrate import head_revision

ROOT = Path(__file__).resolve().parents[2]


def processes() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line and not line.startswith("#"))


def release_code() -> str:
    command = processes()["release"]
    found = re.fullmatch(r'python3 -c "(.+)"', command)
    assert found, command
    return found.group(1)


def test_web_serves_on_port_the_clock_watches_and_release_migrates() -> None:
    assert processes()["web"] == "billbot serve --host 0.0.0.0 --port $PORT"
    assert processes()["clock"] == "billbot watch"
    assert set(processes()) == {"web", "clock", "release"}


def test_the_release_command_brings_a_new_store_to_the_newest_schema(tmp_path: Path) -> None:
    database = tmp_path / "billbot.db"
    env = {"DATABASE_URL": f"sqlite:///{database}", "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "-c", release_code()], check=True, env=env, timeout=120)
    with closing(sqlite3.connect(database)) as connection:
        (version,) = connection.execute("select version_num from alembic_version").fetchone()
    assert version == head_revision()


def test_the_helm_migration_job_runs_the_same_code() -> None:
    job = (ROOT / "deploy/helm/billbot/templates/migration-job.yaml").read_text()
    folded = job.split("- >-\n", 1)[1].split("\n          #", 1)[0]
    code = " ".join(line.strip() for line in folded.splitlines())
    assert code == release_code()
