#!/usr/bin/env bash
# The project's test command: lint, format check, types, import boundaries, tests. Used by the README and by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${VENV:-.venv}"
"$VENV/bin/ruff" check .
"$VENV/bin/ruff" format --check .
"$VENV/bin/mypy"
"$VENV/bin/lint-imports"
"$VENV/bin/pytest" -q "$@"
