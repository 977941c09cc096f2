"""The Dockerfile (no image can be built here; CI builds it, and `hadolint` runs in scripts/test.sh):
multi-stage, the README's install, a non-root user, a health check on /healthz, $PORT, no secret."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = (ROOT / "Dockerfile").read_text()
INSTRUCTIONS = [
    line.strip()
    for line in re.sub(r"\\\n\s*", " ", DOCKERFILE).splitlines()
    if line.strip() and not line.startswith("#")
]


def lines(instruction: str) -> list[str]:
    return [line for line in INSTRUCTIONS if line.split()[0] == instruction]


def test_two_stages_and_only_the_installed_environment_is_kept() -> None:
    stages = lines("FROM")
    assert len(stages) == 2 and stages[0].endswith(" AS build")
    assert all("slim" in stage or "${PYTHON_IMAGE}" in stage for stage in stages)
    assert "COPY --from=build /opt/billbot /opt/billbot" in INSTRUCTIONS
    final = INSTRUCTIONS[INSTRUCTIONS.index(stages[1]) :]
    assert not any(line.startswith("COPY src") for line in final)  # no sources in the final image


def test_the_steps_are_the_readmes_install() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "python3 -m venv .venv && .venv/bin/pip install -e ." in readme
    assert "RUN python3 -m venv /opt/billbot" in INSTRUCTIONS
    assert "RUN /opt/billbot/bin/pip install --no-cache-dir ." in INSTRUCTIONS


def test_it_runs_as_a_non_root_user_with_a_health_check_and_honours_port() -> None:
    (user,) = lines("USER")
    assert user.split()[1].split(":")[0] not in ("0", "root")
    (check,) = lines("HEALTHCHECK")
    assert "/healthz" in check and "os.environ.get('PORT'" in check
    (command,) = lines("CMD")
    assert command == 'CMD ["billbot", "serve", "--host", "0.0.0.0"]'  # no --port: $PORT is read
    assert any("PORT=3000" in line for line in lines("ENV"))


def test_no_secret_is_baked_in_and_the_context_leaves_them_out() -> None:
    for line in lines("ENV") + lines("ARG"):
        assert not re.search(r"TOKEN|SECRET|ADMIN_KEY|DATABASE_URL|PASSWORD", line), line
    ignored = (ROOT / ".dockerignore").read_text().splitlines()
    for entry in (".git", ".venv", ".env", ".env.*", "tests", "*.db"):
        assert entry in ignored
