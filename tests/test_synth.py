"""The synthetic corpus: fictional names, truth files, and the extractor scored on it."""
import json
import subprocess
import sys

import pytest

from conftest import ROOT

SCORER = ROOT.parent / "shared" / "tools" / "score_extraction.py"


def test_synth_writes_reports_with_truth_and_scores_high(tmp_path):
    out = tmp_path / "synth"
    run = subprocess.run([sys.executable, "-m", "perfboard", "synth", "--departments", "8", "--years", "3",
                          "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    reports = sorted(out.glob("*.txt"))
    assert len(reports) == 24 and len(list(out.glob("*.json"))) == 24
    truth = json.loads(reports[0].with_suffix(".json").read_text(encoding="utf-8"))
    assert truth["department"].startswith("示例") and truth["province"].startswith("示例")
    kinds = {json.loads(p.with_suffix(".json").read_text(encoding="utf-8"))["report_kind"] for p in reports}
    assert kinds == {"department_overall", "project"}
    if not SCORER.exists():
        pytest.skip("../shared not beside the repo")
    score = subprocess.run([sys.executable, str(SCORER), str(out), "--command",
                            f"{sys.executable} -m perfboard extract {{files}} --json"],
                           cwd=ROOT, capture_output=True, text=True, timeout=300)
    f1 = float(score.stdout.strip().splitlines()[-1].rsplit("f1=", 1)[1])
    assert f1 >= 0.95, score.stdout


def test_synth_refuses_the_bundled_reports_folder():
    run = subprocess.run([sys.executable, "-m", "perfboard", "synth", "--departments", "1", "--years", "1",
                          "--out", str(ROOT / "data" / "reports")], cwd=ROOT, capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 2 and "data/reports" in run.stderr
