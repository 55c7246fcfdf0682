"""Secret values: masked when printed, scrubbed from everything the tool writes.

A value read from a portal that grants access (a Cloud token, a password) is
wrapped in `Secret` the moment it is read. `str()` and `repr()` never show it;
only `reveal()` does, and only sinks call that. Every secret is also
registered with a `Redactor`, which the console, the journal and the logs pass
their text through, so that a value that slipped out by another path (an
error message quoting a page, say) is still masked.
"""

from __future__ import annotations

import json
import re
import threading
from urllib.parse import quote, quote_plus

__all__ = ["MASK", "Redactor", "Secret", "encode_forms"]

MASK = "********"


class Secret:
    """A secret value that prints masked.

    Args:
        value: The secret itself.
        label: What it is, for messages ("Cloud token").
    """

    __slots__ = ("_value", "label")

    def __init__(self, value: str, label: str) -> None:
        if not value:
            raise ValueError(f"{label} is empty")
        self._value = value
        self.label = label

    def reveal(self) -> str:
        """Return the value itself. Only sinks and verifications call this."""
        return self._value

    def __str__(self) -> str:
        return MASK

    def __repr__(self) -> str:
        return f"Secret({self.label!r}, {MASK!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __reduce__(self) -> str:
        # Pickling would be a way to write the value to disk; nothing needs it.
        raise TypeError("a Secret cannot be pickled")


#: What each percent-encoding leaves as it is, besides letters and digits.
_SAFE = (
    "",  # everything escaped
    "-_.!~*'()",  # JavaScript's encodeURIComponent
    "-_.!~*'();,/?:@&=+$#",  # encodeURI
    "-_.~",  # RFC 3986 unreserved (Python's quote)
)


def _lower_hex(text: str) -> str:
    return re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), text)


def _form(value: str) -> str:
    """HTML form encoding (WHATWG application/x-www-form-urlencoded): `*-._` kept, space +."""
    return quote(value, safe="*-._ ").replace("~", "%7E").replace(" ", "+")


def encode_forms(value: str) -> set[str]:
    """`value` as it may appear in a URL, a form post, a JSON string or JSON inside JSON."""
    encoded = {quote(value, safe=safe) for safe in _SAFE} | {_form(value), quote_plus(value)}
    encoded |= {_lower_hex(form) for form in encoded}
    forms = {value, *encoded}
    for form in list(forms):
        for escaped in (json.dumps(form)[1:-1], json.dumps(form, ensure_ascii=False)[1:-1]):
            twice = {json.dumps(escaped, ensure_ascii=ascii)[1:-1] for ascii in (True, False)}
            forms |= {escaped, escaped.replace("/", "\\/"), *twice}
    return {form for form in forms if form}


class Redactor:
    """Replaces every registered secret value in a text with the mask."""

    def __init__(self) -> None:
        self._values: set[str] = set()
        self._lock = threading.Lock()

    def register(self, secret: Secret | str) -> None:
        """Remember a value to scrub from now on, in every form it travels in.

        Besides the value itself: each way a browser or a server percent-encodes
        it (`encode_forms`) and JSON-escapes it.
        """
        value = secret.reveal() if isinstance(secret, Secret) else secret
        # Very short values would mask ordinary words; the portals' secrets are long.
        if len(value) < 6:
            return
        forms = encode_forms(value)
        with self._lock:
            self._values.update(forms)

    def scrub(self, text: str) -> str:
        """Return `text` with every registered value masked."""
        with self._lock:
            values = sorted(self._values, key=len, reverse=True)
        for value in values:
            if value in text:
                text = text.replace(value, MASK)
        return text

    def scrub_bytes(self, data: bytes) -> bytes:
        """Return `data` with every registered value (UTF-8) masked."""
        with self._lock:
            values = sorted(self._values, key=len, reverse=True)
        for value in values:
            encoded = value.encode()
            if encoded in data:
                data = data.replace(encoded, MASK.encode())
        return data

    def values(self) -> list[str]:
        """Every registered value (for a docs capture to replace in the page, never to print)."""
        with self._lock:
            return sorted(self._values, key=len, reverse=True)

    def __contains__(self, text: str) -> bool:
        with self._lock:
            return any(value in text for value in self._values)
