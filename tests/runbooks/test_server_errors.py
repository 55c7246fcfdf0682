"""A portal's 5xx reply explains a failed step: one from the step itself, or from the last."""

from __future__ import annotations

from playwright.sync_api import Page

from runbooks import DeliveryError, PortalError, StepFailed
from runbooks._registry import RUNBOOKS
from runbooks._replies import ServerErrors
from sandbox import Fault, GraviteeSandbox

STEP = RUNBOOKS["gravitee-cloud-token"].steps[2]
REPLY = "the portal answered 500 Internal Server Error to GET /management/v2/gateways"


def failed(words: str) -> StepFailed:
    return StepFailed(words, step=STEP.number, text=STEP.text)


def test_a_5xx_explains_its_own_step_and_the_next_then_is_forgotten(
    gravitee: GraviteeSandbox, page: Page
) -> None:
    errors = ServerErrors(gravitee.url)
    errors.watch(page)
    gravitee.add_fault(Fault("GET", r"^/management/v2/gateways$", 500))
    assert page.goto(f"{gravitee.url}/management/v2/gateways").status == 500  # type: ignore[union-attr]

    # In the step that got it: a refusal would send the person the wrong way, so the
    # portal's error replaces it; a page failure keeps its own words after it.
    refused = str(errors.explain(PortalError("sign-in refused: check the password"), STEP))
    assert REPLY in refused and "password" not in refused
    missing = str(errors.explain(failed("the rows did not appear"), STEP))
    assert REPLY in missing and "(what the step saw: the rows did not appear)" in missing
    delivery = DeliveryError("could not write the token")
    assert errors.explain(delivery, STEP) is delivery  # not the portal's doing

    # The next step: the reply may have been what its page waited on (the race between a
    # step's last click and the next step's start), so a page failure names it...
    errors.clear()
    assert REPLY in str(errors.explain(failed("the rows did not appear"), STEP))
    # ...but the last step survived it, so a refusal of this step is this step's own.
    unknown = PortalError("no gateway named eu-prd-gw")
    assert errors.explain(unknown, STEP) is unknown

    # Two steps on, it explains nothing.
    errors.clear()
    alone = failed("the rows did not appear")
    assert errors.explain(alone, STEP) is alone
