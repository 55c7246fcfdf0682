"""The docs mode on a real sandbox run: a capture per step, no secret, the real one delivered."""

from __future__ import annotations

import io
import re
from pathlib import Path

from runbooks._config import load_settings
from runbooks._docs_mode import DocsMode
from runbooks._docsguide import write_guide
from runbooks._docsreview import approve, review
from runbooks._docsset import DocsSet
from runbooks._engine import Runner, RunOptions
from runbooks._output import Reporter, make_console
from runbooks._registry import get_runbook
from runbooks._secrets import Redactor
from runbooks._sinks import parse_sink
from sandbox import GraviteeSandbox
from tests.cli import in_thread

RUNBOOK = "gravitee-cloud-token"


def test_docs_run_captures_every_step_and_delivers_the_real_token(
    gravitee_env: GraviteeSandbox, tmp_path: Path
) -> None:
    out = tmp_path / "docs"
    docs = DocsSet(out)
    manifest = docs.candidate_manifest()
    mode = DocsMode(docs, manifest)
    redactor = Redactor()
    runner = Runner(load_settings(), Reporter(make_console(redactor, io.StringIO())), redactor)
    options = RunOptions(sink=parse_sink(f"file:{tmp_path}/token"), mode=mode)
    runbook = get_runbook(RUNBOOK)
    params = {"gateway": "eu-prod-gw", "order": "documented"}
    in_thread(lambda: runner.run(runbook, params, options))
    manifest.save(docs.candidates / "manifest.json")

    numbers = [step.number for step in runbook.steps]
    assert docs.candidate_keys() == {docs.key(RUNBOOK, n) for n in numbers}
    # Step 7's capture had the token on screen: stable_capture refuses while it is
    # visible, so the run got here with a placeholder in place; the sink has the real one.
    (gateway,) = [g for g in gravitee_env.state()["gateways"] if g["name"] == "eu-prod-gw"]
    (token,) = [t["value"] for t in gateway["tokens"]]
    assert (tmp_path / "token").read_text().strip() == token
    assert token.encode() not in docs.candidate(RUNBOOK, "7").read_bytes()
    assert mode.replaced["7"] >= 1, "the token was on screen, and replaced, at step 7"
    assert mode.replaced["1"] == 0
    assert manifest.chromium and manifest.fonts
    assert {e.source for e in manifest.images.values()} == {"sandbox"}

    assert {s.status for s in review(out).steps} == {"new"}
    assert len(approve(out)) == len(numbers)
    guide = write_guide(out, RUNBOOK, [(s.number, s.text) for s in runbook.steps]).read_text()
    assert re.findall(r"^## Step (\S+)$", guide, re.M) == numbers
    assert guide.count("![Step ") == len(numbers)
