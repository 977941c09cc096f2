"""The CI/CD workflow (schema-checked by check-jsonschema in scripts/test.sh): the README's test command
against PostgreSQL on pushes and pull requests, the Dockerfile linted, the chart checked, the image built,
and on a version tag the image published with a release."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]


def workflow() -> dict[Any, Any]:
    loaded: dict[Any, Any] = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text())
    return loaded


def steps(job: dict[str, Any]) -> str:
    return "\n".join(str(step.get("run", "")) + str(step.get("uses", "")) for step in job["steps"])


def test_it_runs_on_pushes_pull_requests_and_version_tags() -> None:
    triggers = workflow()[True]  # YAML 1.1 reads the key `on` as true
    assert "pull_request" in triggers and triggers["push"]["tags"] == ["v*"]


def test_the_readmes_test_command_runs_against_a_postgresql_service() -> None:
    test = workflow()["jobs"]["test"]
    assert "scripts/test.sh" in steps(test)
    assert (ROOT / "README.md").read_text().count("scripts/test.sh") >= 1
    assert test["services"]["postgres"]["image"].startswith("postgres:")
    assert test["env"]["BILLBOT_TEST_POSTGRES_URL"].startswith("postgresql+psycopg://")
    assert test["env"]["BILLBOT_TEST_BROWSER"] == "required" and "chromium-driver" in steps(test)


def test_the_dockerfile_is_linted_the_chart_checked_and_the_image_built() -> None:
    jobs = workflow()["jobs"]
    assert "hadolint" in steps(jobs["dockerfile"])
    assert "helm lint" in steps(jobs["helm"]) and "kubeconform" in steps(jobs["helm"])
    image = jobs["image"]
    assert "docker/build-push-action" in steps(image)
    assert set(image["needs"]) == {"test", "dockerfile", "helm"}


def test_a_version_tag_publishes_the_image_and_a_release() -> None:
    jobs = workflow()["jobs"]
    build = next(step for step in jobs["image"]["steps"] if "build-push-action" in step.get("uses", ""))
    assert build["with"]["push"] == "${{ startsWith(github.ref, 'refs/tags/v') }}"
    assert jobs["image"]["permissions"]["packages"] == "write"
    release = jobs["release"]
    assert release["if"] == "startsWith(github.ref, 'refs/tags/v')" and release["needs"] == ["image"]
    assert "action-gh-release" in steps(release) and release["permissions"]["contents"] == "write"
