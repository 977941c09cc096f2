"""The Helm chart without a `helm` binary (CI runs `helm lint` and `kubeconform`): Chart.yaml and
values.yaml parse, every `.Values` path a template uses exists, probes ask /healthz, pods run as a
non-root user, and credentials come only from an existing Secret."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

CHART = Path(__file__).resolve().parents[2] / "deploy" / "helm" / "billbot"
TEMPLATES = sorted((CHART / "templates").iterdir())
VALUES_PATH = re.compile(r"\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)")
SECRET_LIKE = re.compile(r"(xox[abp]-|sk-ant-|postgres(ql)?(\+\w+)?://\w+:[^@\s]+@)")


def values() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((CHART / "values.yaml").read_text())
    return loaded


def template(name: str) -> str:
    return (CHART / "templates" / name).read_text()


def test_chart_and_values_parse() -> None:
    chart = yaml.safe_load((CHART / "Chart.yaml").read_text())
    assert (chart["apiVersion"], chart["name"], chart["type"]) == ("v2", "billbot", "application")
    assert re.fullmatch(r"\d+\.\d+\.\d+", chart["version"]) and chart["appVersion"]
    assert isinstance(values(), dict)


def used_paths() -> set[tuple[str, ...]]:
    return {
        tuple(match.group(1).strip(".").split("."))
        for path in TEMPLATES
        for match in VALUES_PATH.finditer(path.read_text())
    }


def test_every_values_path_the_templates_use_exists_in_values_yaml() -> None:
    paths = used_paths()
    assert len(paths) > 25, "the scan found the templates' values"
    missing = []
    for path in sorted(paths):
        node: Any = values()
        for key in path:
            if not isinstance(node, dict) or key not in node:
                missing.append(".".join(path))
                break
            node = node[key]
    assert not missing, f"used by a template but not in values.yaml: {missing}"


def test_the_scan_would_catch_a_missing_value() -> None:
    assert ("image", "repository") in used_paths()
    assert "nosuchvalue" not in values()


def test_every_value_is_documented_by_a_comment() -> None:
    lines = (CHART / "values.yaml").read_text().splitlines()
    for number, line in enumerate(lines):
        if re.match(r"^[A-Za-z]\w*:", line):  # a top-level key: a comment says what it is for
            assert number and lines[number - 1].startswith("#"), f"undocumented: {line}"


def test_probes_ask_healthz_and_pods_run_as_a_non_root_user() -> None:
    deployment = template("deployment.yaml")
    assert deployment.count("path: /healthz") == 2
    assert "readinessProbe:" in deployment and "livenessProbe:" in deployment
    assert "replicas: {{ .Values.replicaCount }}" in deployment and ".Values.resources" in deployment
    security = values()["podSecurityContext"]
    assert security["runAsNonRoot"] is True and security["runAsUser"] != 0
    container = values()["securityContext"]
    assert container["allowPrivilegeEscalation"] is False and container["readOnlyRootFilesystem"] is True


def test_credentials_come_from_an_existing_secret_never_from_values() -> None:
    assert not any("kind: Secret" in path.read_text() for path in TEMPLATES)  # the chart makes none
    for name in ("deployment.yaml", "migration-job.yaml"):
        assert "secretRef:\n                name: {{ .Values.existingSecret }}" in template(name)
    text = (CHART / "values.yaml").read_text()
    assert not SECRET_LIKE.search(text)
    for key in values()["config"]:
        assert not re.search(r"TOKEN|SECRET|KEY|DATABASE_URL", key), f"{key} belongs in the Secret"


@pytest.mark.parametrize("name", ["ingress.yaml", "migration-job.yaml", "serviceaccount.yaml"])
def test_optional_parts_are_switched_by_values(name: str) -> None:
    first = template(name).splitlines()[0]
    assert first.startswith("{{- if .Values."), first


def test_the_migration_job_runs_before_the_pods_and_the_config_is_a_configmap() -> None:
    job = template("migration-job.yaml")
    assert '"helm.sh/hook": pre-install,pre-upgrade' in job and "migrate(make_engine(" in job
    assert "kind: ConfigMap" in template("configmap.yaml")
    assert "configMapRef:" in template("deployment.yaml")
