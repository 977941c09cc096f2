"""docs/DEPLOY.md covers every way to run billbot serve, the page, and says what was not exercised."""

from __future__ import annotations

from pathlib import Path

DOC = (Path(__file__).resolve().parents[2] / "docs" / "DEPLOY.md").read_text()


def test_it_covers_the_procfile_docker_and_helm() -> None:
    for heading in (
        "Deploy with the Procfile",
        "## 4. Docker",
        "## 5. Kubernetes (Helm)",
        "## 6. The web page",
    ):
        assert heading in DOC
    assert "docker run" in DOC and "-e SLACK_SIGNING_SECRET=" in DOC
    assert (
        "helm install billbot deploy/helm/billbot" in DOC and "kubectl create secret generic billbot" in DOC
    )
    assert "release:" in DOC and "web: billbot serve --host 0.0.0.0 --port $PORT" in DOC


def test_it_says_what_was_and_was_not_exercised() -> None:
    section = DOC.split("## 9. What was and was not exercised", 1)[1]
    assert "Not exercised here" in section and "kubeconform" in section and "hadolint" in section
