"""`landsby evaluate` for real: trains the production pipeline, scores a held-out file and
writes a report that states the train time and the model size."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT
from tests.landsby import landsby_env
from tests.processes import APP_PYTHON

pytestmark = pytest.mark.integration

HELD_OUT = """version: "3.1"
nlu:
- intent: samvaer.hyppighet
  examples: |
    - hvor ofte får jeg treffe jenta mi
    - kor ofte ska eg få sjå ungane
- intent: smalltalk.takk
  examples: |
    - tusen takk for hjelpa
"""


def evaluate(var_dir: Path, test_file: Path) -> str:
    result = subprocess.run(
        [str(APP_PYTHON), "-m", "bot", "evaluate", "--test-file", str(test_file)],
        cwd=PROJECT_ROOT,
        env=landsby_env(var_dir),
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_evaluate_trains_scores_and_reports_train_time_and_size(tmp_path: Path) -> None:
    var_dir = tmp_path / "var"
    test_file = tmp_path / "held-out.yml"
    test_file.write_text(HELD_OUT, encoding="utf-8")

    first = evaluate(var_dir, test_file)
    line = re.search(
        r"^landsby +accuracy ([\d.]+) .* train (\d+) s +model ([\d.]+) MB$", first, re.M
    )
    assert line, first
    assert float(line[1]) == 1.0 and int(line[2]) > 0 and float(line[3]) > 0
    report_line = re.search(r"^report: (.+)$", first, re.M)
    assert report_line, first
    report = Path(report_line[1]).parent
    metrics = json.loads((report / "metrics.json").read_text())
    assert metrics[0]["system"] == "landsby" and metrics[0]["n"] == 3
    assert round(metrics[0]["build"]["megabytes"], 1) == float(line[3])
    assert "train time" in (report / "index.html").read_text()

    # Same data and code: the build is reused, with the train time it was measured at.
    second = evaluate(var_dir, test_file)
    assert f"train {line[2]} s" in second
