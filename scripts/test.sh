#!/usr/bin/env bash
# The project's test command: lint, format check, types, import boundaries, the Dockerfile (hadolint), the
# CI workflows against GitHub's schema, tests. Used by the README, by .ci/run and by .github/workflows/ci.yml.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${VENV:-.venv}"
"$VENV/bin/ruff" check .
"$VENV/bin/ruff" format --check .
"$VENV/bin/mypy"
"$VENV/bin/lint-imports"
"$VENV/bin/hadolint" Dockerfile
"$VENV/bin/check-jsonschema" --builtin-schema vendor.github-workflows .github/workflows/*.yml
"$VENV/bin/pytest" -q "$@"
