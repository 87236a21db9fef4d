"""``sunshine validate``: output formats and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from datadir import MINIMAL, DataDir

from generator import cli


def test_valid_data_with_a_warning_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["validate", str(MINIMAL)]) == 0
    out = capsys.readouterr().out
    assert "reported_totals.csv:3:value:" in out
    assert out.splitlines()[-1] == "0 errors, 1 warning in 1 file"


def test_strict_fails_on_warnings(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["validate", str(MINIMAL), "--strict"]) == 1


def test_errors_exit_1_with_json(data_dir: DataDir, capsys: pytest.CaptureFixture[str]) -> None:
    data_dir.add_package(overlay="bad/ragged-rows")
    assert cli.main(["validate", str(data_dir.root), "--format", "json"]) == 1
    document = json.loads(capsys.readouterr().out)
    assert document["ok"] is False and document["errors"] == 2
    assert {(p["code"], p["row"]) for p in document["problems"]} == {
        ("missing-cell", 3),
        ("extra-cell", 6),
    }


def test_json_ok_follows_strict(capsys: pytest.CaptureFixture[str]) -> None:
    cli.main(["validate", str(MINIMAL), "--format", "json"])
    assert json.loads(capsys.readouterr().out)["ok"] is True
    cli.main(["validate", str(MINIMAL), "--format", "json", "--strict"])
    assert json.loads(capsys.readouterr().out)["ok"] is False


def test_data_dir_defaults_to_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    DataDir(tmp_path / "data").add_package()
    monkeypatch.chdir(tmp_path)
    assert cli.main(["validate"]) == 0
    assert "minimal/reported_totals.csv:3:value:" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv", [["validate", "--format", "xml"], ["frobnicate"], [], ["validate", "a", "b"]]
)
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(argv) == 2


def test_missing_data_folder_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["validate", str(tmp_path / "nowhere")]) == 2
    assert "nowhere" in capsys.readouterr().err


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["validate", "--help"]) == 0
    assert "--strict" in capsys.readouterr().out


def test_bad_json_descriptor_is_a_problem_not_a_traceback(
    data_dir: DataDir, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir.add_package(overlay="bad/invalid-json")
    assert cli.main(["validate", str(data_dir.root)]) == 1
    captured = capsys.readouterr()
    assert "[invalid-json]" in captured.out and "Traceback" not in captured.err


def test_unexpected_exception_becomes_one_internal_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def explode(data_dir: Path) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(cli, "validate_data", explode)
    assert cli.main(["validate", str(MINIMAL), "--format", "json"]) == 1
    [problem] = json.loads(capsys.readouterr().out)["problems"]
    assert problem["code"] == "internal-error" and "boom" in problem["message"]


def test_every_command_is_registered_in_one_table() -> None:
    parser = cli.build_parser()
    required = {"synth": ["out"], "export": ["out"]}  # commands with a required folder
    for name in cli.COMMANDS:
        args = parser.parse_args([name, *required.get(name, [])])
        assert args.run is cli.COMMANDS[name].run
