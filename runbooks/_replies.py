"""The portal's own server errors, seen while a step runs.

A 5xx reply from the portal's origin explains a step's failure better than
anything the step can say afterwards (a sign-in "refused", a control that "did
not appear" after the full timeout): the step loop reports it instead, as the
portal's error, with its status and path.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from playwright.sync_api import Page, Response

__all__ = ["ServerErrors"]


class ServerErrors:
    """Remembers the 5xx replies the portal's origin gave the page since the step began.

    Args:
        portal_url: The portal; replies from its host count (the replicas serve
            their sign-in on a second port of the same host).
    """

    def __init__(self, portal_url: str) -> None:
        self._host = urlsplit(portal_url).hostname
        self._seen: list[str] = []

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
        """A new step: forget the previous one's."""
        self._seen.clear()

    def first(self) -> str | None:
        """The first server error of the step, in words (`500 Internal Server Error to GET /x`)."""
        return self._seen[0] if self._seen else None
