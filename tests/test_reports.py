"""Check reports: JUnit XML, JSON against its schema, HTML, GitHub summary, exit codes."""

from __future__ import annotations

import base64
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from PIL import Image

from runbooks._drift import Drift, StepResult
from runbooks._report_html import html_report
from runbooks._reports import (
    EXIT_DRIFT,
    EXIT_OK,
    EXIT_UNCHECKED,
    SUMMARY_SCHEMA,
    dumps,
    exit_code,
    github_summary,
    json_summary,
    junit_xml,
    one_line,
    write_github_summary,
)
from runbooks._secrets import Redactor

TOKEN = "gravitee-cloud-token"
GUIDE = "https://documentation.gravitee.io/gravitee-cloud/hybrid-gateway#cloud-tokens"
HOSTILE = '<script>alert("x")</script> & "quotes"'


@pytest.fixture
def shot(tmp_path: Path) -> Path:
    path = tmp_path / "step-4.png"
    Image.new("RGB", (800, 450), (40, 90, 200)).save(path)
    return path


@pytest.fixture
def results(shot: Path, tmp_path: Path) -> list[StepResult]:
    return [
        StepResult(TOKEN, "sandbox", "1", "Sign in.", GUIDE, duration=1.25),
        StepResult(TOKEN, "sandbox", "2", "Open the gateway.", GUIDE, duration=0.5, retries=1),
        StepResult(
            TOKEN,
            "sandbox",
            "3",
            "Open Cloud Tokens.",
            GUIDE,
            kind=Drift.FALLBACK_ONLY,
            expected="the Cloud Tokens table by its name",
            found="found by its heading",
        ),
        StepResult(
            TOKEN,
            "sandbox",
            "4",
            "Click the bin icon " + HOSTILE,
            GUIDE,
            kind=Drift.STRUCTURE_CHANGED,
            expected="the documented structure",
            found=HOSTILE,
            diff='-  - button "Revoke token"\n+  - button "Delete"\n',
            screenshot=shot,
            trace=tmp_path / "trace.zip",
            duration=2.0,
        ),
        StepResult(
            "cloudeka-token",
            "https://portal.example",
            "1",
            "Sign in.",
            kind=Drift.PORTAL_UNREACHABLE,
            found="ERR_CONNECTION_REFUSED",
        ),
    ]


def test_exit_codes_map_the_worst_result(results: list[StepResult]) -> None:
    assert exit_code([]) == EXIT_OK
    assert exit_code(results[:3]) == EXIT_OK, "warnings and flaky passes are green"
    assert exit_code(results[4:]) == EXIT_UNCHECKED
    assert exit_code(results) == EXIT_DRIFT, "drift wins over could-not-check"
    assert len({EXIT_OK, EXIT_DRIFT, 2, EXIT_UNCHECKED}) == 4


def test_json_summary_matches_its_schema(results: list[StepResult]) -> None:
    summary = json_summary(results, started="2026-12-01T02:00:00Z", duration=12.5)
    jsonschema.Draft202012Validator.check_schema(SUMMARY_SCHEMA)
    jsonschema.validate(json.loads(dumps(summary)), SUMMARY_SCHEMA)
    assert summary["result"] == "failed" and summary["exit_code"] == 1
    assert summary["counts"] == {"passed": 1, "flaky": 1, "warning": 1, "unchecked": 1, "failed": 1}
    first, second = summary["checks"]
    assert (first["runbook"], first["portal"], second["result"]) == (TOKEN, "sandbox", "unchecked")
    assert first["steps"][3]["kind"] == "STRUCTURE_CHANGED"
    broken = json.loads(dumps(summary))
    broken["checks"][0]["steps"][0]["status"] = "fine"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, SUMMARY_SCHEMA)


def test_junit_has_a_case_per_step_with_drift_and_attachment(
    results: list[StepResult], shot: Path
) -> None:
    root = ET.fromstring(junit_xml(results))
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [
        f"{TOKEN} @ sandbox",
        "cloudeka-token @ https://portal.example",
    ]
    assert (suites[0].get("tests"), suites[0].get("failures"), suites[0].get("errors")) == (
        "4",
        "1",
        "0",
    )
    assert suites[1].get("errors") == "1"
    cases = suites[0].findall("testcase")
    assert cases[0].get("classname") == "gravitee-cloud-token.sandbox"
    (remote,) = suites[1].findall("testcase")
    assert remote.get("classname") == "cloudeka-token.https_portal_example"
    assert cases[0].find("failure") is None and cases[0].get("time") == "1.250"
    failure = cases[3].find("failure")
    assert failure is not None and failure.get("type") == "STRUCTURE_CHANGED"
    assert "step 4" in (failure.get("message") or "")
    assert '+  - button "Delete"' in (failure.text or "")
    out = cases[3].findtext("system-out") or ""
    assert f"[[ATTACHMENT|{shot}]]" in out.splitlines()
    assert "warning: step 3" in (cases[2].findtext("system-out") or "")
    assert "retried 1" in (cases[1].findtext("system-out") or "")


def test_html_is_self_contained_escaped_and_coloured(results: list[StepResult]) -> None:
    page = html_report(results)
    assert HOSTILE not in page and "<script>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;quotes&quot;" in page
    assert 'header style="background:#cf222e"' in page
    assert "drift or failure" in page
    assert not re.search(r'(src|href)="(?!data:|https://documentation)', page), "nothing external"
    (data,) = re.findall(r'<img src="data:image/png;base64,([^"]+)"', page)
    thumb = Image.open(io.BytesIO(base64.b64decode(data)))
    assert thumb.size == (320, 180)
    assert "playwright show-trace" in page and "expected: the documented structure" in page
    assert 'header style="background:#1a7f37"' in html_report(results[:1])
    assert 'header style="background:#57606a"' in html_report(results[4:])


def test_github_summary_is_written_only_when_asked(
    results: list[StepResult], tmp_path: Path
) -> None:
    assert write_github_summary(results, {}) is None
    target = tmp_path / "summary.md"
    target.write_text("earlier step\n")
    assert write_github_summary(results, {"GITHUB_STEP_SUMMARY": str(target)}) == target
    text = target.read_text()
    assert text.startswith("earlier step\n## ❌ runbook check: failed")
    assert f"| {TOKEN} | sandbox | failed | 4: Click the bin icon" in text
    assert "&lt;script&gt;" in text and "<script>" not in text
    assert (
        "| cloudeka-token | https://portal.example | unchecked | 1: Sign in. | portal unreachable"
        in github_summary(results)
    )


def test_every_output_is_free_of_the_runs_secrets(
    results: list[StepResult], tmp_path: Path
) -> None:
    token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzZWNyZXQifQ.c2lnbmF0dXJl"
    password = "sandbox-pass-1234"
    leaky = [
        *results,
        StepResult(
            TOKEN,
            "sandbox",
            "6",
            "Copy the token.",
            kind=Drift.STRUCTURE_CHANGED,
            found=f"textbox shows {token}",
            diff=f'+ - textbox "Cloud Token": {token}\n',
            notes=[f"typed {password}"],
        ),
    ]
    redactor = Redactor()
    redactor.register(token)
    redactor.register(password)
    clean = [r.scrubbed(redactor.scrub) for r in leaky]
    target = tmp_path / "summary.md"
    write_github_summary(clean, {"GITHUB_STEP_SUMMARY": str(target)})
    outputs = {
        "junit": junit_xml(clean),
        "json": dumps(json_summary(clean)),
        "html": html_report(clean),
        "github": target.read_text(),
    }
    for name, text in outputs.items():
        assert token not in text and password not in text, name
    assert "textbox shows" in outputs["json"], "the rest of the finding is kept"
    assert all("typed " in text for name, text in outputs.items() if name != "github")
    assert leaky[-1].found.endswith(token), "the original results are not changed"


def test_one_line_for_cron(results: list[StepResult]) -> None:
    assert one_line(results[:3], 12.34) == (
        "runbook check: warning: 1 check(s), 3 step(s), 1 flaky, 1 warning(s) in 12.3 s"
    )
    assert one_line(results[:1], 1) == "runbook check: passed: 1 check(s), 1 step(s) in 1.0 s"
