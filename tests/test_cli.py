"""The command line, run as a user runs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args], capture_output=True, text=True, cwd=ROOT
    )


def test_help_lists_the_commands() -> None:
    result = run("--help")
    assert result.returncode == 0
    for command in ("build", "validate", "serve"):
        assert command in result.stdout


@pytest.mark.parametrize("command", ["build", "validate", "serve"])
def test_each_command_has_help(command: str) -> None:
    result = run(command, "--help")
    assert result.returncode == 0
    assert "usage:" in result.stdout


def test_build_help_names_data_and_out() -> None:
    result = run("build", "--help")
    assert "--data" in result.stdout and "--out" in result.stdout


def test_validate_prints_one_line_per_error_and_exits_1(tiny_data: Path) -> None:
    verzuim = tiny_data / "langdurig-relatief-verzuim" / "verzuim.csv"
    lines = verzuim.read_text().splitlines()
    cells = lines[2].split(",")
    cells[5] = "twaalf"
    lines[2] = ",".join(cells)
    verzuim.write_text("\n".join(lines) + "\n")
    kenmerken = tiny_data / "passend-onderwijs-swv" / "kenmerken.csv"
    kenmerken.write_text(kenmerken.read_text().replace("VO2002", "VO2099", 1))
    result = run("validate", "--data", str(tiny_data))
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("fout:")]
    assert len(errors) == 2
    assert "langdurig-relatief-verzuim/verzuim.csv, regel 3" in errors[0] + errors[1]
    assert "VO2099" in result.stderr
    assert "Traceback" not in result.stderr


def test_validate_on_good_data_exits_0(tiny_data: Path) -> None:
    result = run("validate", "--data", str(tiny_data))
    assert result.returncode == 0, result.stderr


def test_build_on_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    result = run("build", "--data", str(tmp_path / "nergens"), "--out", str(tmp_path / "site"))
    assert result.returncode == 1
    assert "bestaat niet" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists()
