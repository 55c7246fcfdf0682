"""The portal's own server errors, seen while a step runs.

A 5xx reply from the portal's origin explains a step's failure better than
anything the step can say afterwards (a sign-in "refused", a control that "did
not appear" after the full timeout): the step loop reports it with the step's
failure, as the portal's error, with its status and path.

The previous step's replies are kept too. A step's last click often starts the
requests that the next step waits on (opening a gateway loads its Cloud Tokens),
and whether their replies come in before or after the next step begins is a
matter of milliseconds; the failure must not depend on that race.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from runbooks._errors import ConfigError, DeliveryError, RunbookError, StepFailed

if TYPE_CHECKING:
    from playwright.sync_api import Page, Response

    from runbooks._model import Step

__all__ = ["ServerErrors"]


class ServerErrors:
    """Remembers the 5xx replies the portal's origin gave the page in this step and the last.

    Args:
        portal_url: The portal; replies from its host count (the replicas serve
            their sign-in on a second port of the same host).
    """

    def __init__(self, portal_url: str) -> None:
        self._host = urlsplit(portal_url).hostname
        self._seen: list[str] = []
        self._before: list[str] = []

    def watch(self, page: Page) -> None:
        """Listen to every reply the page gets."""
        page.on("response", self._reply)

    def _reply(self, response: Response) -> None:
        if response.status < 500:
            return
        parts = urlsplit(response.url)
        if parts.hostname != self._host:
            return  # another site's trouble is not the portal's
        reason = f" {response.status_text}" if response.status_text else ""
        self._seen.append(f"{response.status}{reason} to {response.request.method} {parts.path}")

    def clear(self) -> None:
        """A new step: the last step's replies become the previous step's."""
        self._before, self._seen = self._seen, []

    def explain(self, error: RunbookError, step: Step) -> RunbookError:
        """`error`, said as the portal's own when the portal answered 5xx in this step or the last.

        The portal's error comes first, with its status. What the step saw follows when it is
        about the page (a control that never came): this step's replies explain it, else the
        last step's. A refusal ("check the password") is explained only by this step's own, and
        left out, as it would send the person the wrong way; after a 5xx that the last step
        survived, a refusal is the step's own. A failed delivery or a bad setting is not the
        portal's doing and is kept as it is.
        """
        if isinstance(error, DeliveryError | ConfigError):
            return error
        page_failure = type(error) is StepFailed
        replies = (self._seen or self._before) if page_failure else self._seen
        if not replies:
            return error
        seen = f" (what the step saw: {error.args[0]})" if page_failure else ""
        return StepFailed(
            f"the portal answered {replies[0]}: the portal's own error, not a setting "
            f"to check; try again later{seen}",
            step=step.number,
            text=step.text,
        )
