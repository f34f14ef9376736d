"""The publishing workflow (.github/workflows/publish.yml) parses, deploys only outside pull
requests, and every command it runs exists with the options it passes."""

from __future__ import annotations

import shlex
from typing import Any

import pytest
import yaml

from generator.__main__ import parser
from tests.conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "publish.yml"


@pytest.fixture(scope="module")
def workflow() -> dict[Any, Any]:
    loaded = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def _generator_commands(workflow: dict[Any, Any]) -> list[list[str]]:
    """Each ``python -m generator …`` of the run steps, as its arguments (up to a pipe)."""
    found = []
    for step in workflow["jobs"]["build"]["steps"]:
        for line in str(step.get("run", "")).splitlines():
            words = shlex.split(line.split("|")[0])
            if words[:3] == ["python", "-m", "generator"]:
                found.append(words[3:])
    return found


def test_it_runs_on_data_changes_on_main_release_tags_pull_requests_and_by_hand(
    workflow: dict[Any, Any],
) -> None:
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["push"]["branches"] == ["main"]
    assert triggers["push"]["paths"] == ["datapackages/**"]
    assert triggers["push"]["tags"] == ["uitgave-*"]
    assert "pull_request" in triggers and "workflow_dispatch" in triggers


def test_only_the_deploy_job_may_write_pages_and_never_for_a_pull_request(
    workflow: dict[Any, Any],
) -> None:
    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["defaults"]["run"]["shell"] == "bash"  # pipefail, for `| tee`
    assert workflow["concurrency"]["cancel-in-progress"] is False
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["if"] == "github.event_name != 'pull_request'"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert [s["uses"] for s in deploy["steps"]] == ["actions/deploy-pages@v4"]
    upload = next(s for s in build["steps"] if "upload-pages-artifact" in s.get("uses", ""))
    assert upload["if"] == "github.event_name != 'pull_request'"
    assert upload["with"]["path"] == "site"
    checkout = build["steps"][0]
    assert checkout["uses"] == "actions/checkout@v4" and checkout["with"]["fetch-depth"] == 0


def test_it_validates_builds_audits_checks_links_then_archives(workflow: dict[Any, Any]) -> None:
    commands = _generator_commands(workflow)
    assert [c[0] for c in commands] == ["validate", "build", "audit", "links", "archive"]
    for arguments in commands:
        parser().parse_args(arguments)  # exits (SystemExit) on an unknown command or option


def test_the_summary_goes_to_the_job_summary_even_when_a_step_failed(
    workflow: dict[Any, Any],
) -> None:
    summary = next(
        s for s in workflow["jobs"]["build"]["steps"] if "GITHUB_STEP_SUMMARY" in s.get("run", "")
    )
    assert summary["if"] == "always()"
    for log in ("build.log", "audit.log", "archive.log"):
        assert log in summary["run"]
