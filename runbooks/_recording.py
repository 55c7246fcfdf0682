"""Recordings: `recordings/<run-id>/` with the journal, screenshots and trace.

Tracing is paused while a secret is on screen: each stretch between pauses is
recorded as a chunk, and the chunks are merged into one `trace.zip` at the
end (the trace viewer reads every `*.trace` entry of a zip, which is also how
Playwright Test merges traces). What happened while the secret was visible,
the network reply that carried it included, is never in the trace.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from runbooks._errors import RunbookError
from runbooks._files import PRIVATE_MODE, make_private_dir
from runbooks._secrets import Redactor

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Locator, Page

__all__ = ["RECORD_MODES", "RecordMode", "Recorder", "new_run_folder", "slugify"]

RecordMode = Literal["on", "off", "retain-on-failure"]
RECORD_MODES: tuple[RecordMode, ...] = ("on", "off", "retain-on-failure")
_TRACE_ENTRY = re.compile(r"(^|/)[^/]*\.(trace|network|stacks)$")
_EVENTS = re.compile(r"(^|/)[^/]*\.(trace|network)$")
_SCRATCH = ".partial-"
#: Headers that carry a session or a credential: never kept in a trace.
_PRIVATE_HEADERS = frozenset({"cookie", "set-cookie", "authorization", "proxy-authorization"})


def slugify(text: str, limit: int = 40) -> str:
    """A file-name-safe, lower-case slug of `text`."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:limit].rstrip("-") or "step"


class Recorder:
    """Screenshots and trace of one run, in its recordings folder.

    Args:
        folder: `recordings/<run-id>/`, created with mode 0700.
        mode: Whether to keep the trace: on, off, or retain-on-failure.
        redactor: Scrubs the run's secrets from the trace as a last line of
            defence (the browser's network log is written when Playwright
            decides, which can fall outside a pause).
    """

    def __init__(self, folder: Path, mode: RecordMode, redactor: Redactor) -> None:
        self.folder = make_private_dir(folder)
        _sweep_scratch(self.folder.parent)
        # Unscrubbed chunks live only here (0700), named by this process, until
        # the merge; a killed run's are removed by the next run that starts.
        self._scratch = self.folder / f"{_SCRATCH}{os.getpid()}"
        self.mode = mode
        self._redactor = redactor
        self._context: BrowserContext | None = None
        self._chunks: list[Path] = []
        self._recording = False

    @property
    def trace_path(self) -> Path:
        """Where the merged trace goes."""
        return self.folder / "trace.zip"

    def start(self, context: BrowserContext) -> None:
        """Start tracing `context` (unless the mode is off)."""
        if self.mode == "off":
            return
        self._context = context
        # DOM snapshots, not a screencast: the trace viewer shows each action's page from the
        # snapshots, the run keeps a screenshot per step, and the screencast was the largest
        # cost recording added to a rotation (bench/README.md: 18% of its CPU).
        context.tracing.start(screenshots=False, snapshots=True, sources=False)
        self._recording = True

    def pause(self) -> None:
        """Stop recording until `resume()`: a secret is about to be on screen."""
        if self._context is None or not self._recording:
            return
        make_private_dir(self._scratch)
        chunk = self._scratch / f".trace-chunk-{len(self._chunks)}.zip"
        self._context.tracing.stop_chunk(path=str(chunk))
        self._chunks.append(chunk)
        self._recording = False

    def resume(self) -> None:
        """Record again: the secret is off the screen."""
        if self._context is None or self._recording:
            return
        self._context.tracing.start_chunk()
        self._recording = True

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Not recording inside the block; as before after it."""
        was_recording = self._recording
        self.pause()
        try:
            yield
        finally:
            if was_recording:
                self.resume()

    def screenshot(self, page: Page, name: str, mask: Sequence[Locator] = ()) -> Path | None:
        """Save a screenshot with every `mask` element painted over; None if impossible."""
        from playwright.sync_api import Error as PlaywrightError

        path = self.folder / "screenshots" / f"{name}.png"
        make_private_dir(path.parent)
        try:
            page.screenshot(path=str(path), mask=list(mask), mask_color="#FF00FF", timeout=10_000)
        except PlaywrightError:
            return None  # a closed page must not hide the step's own outcome
        os.chmod(path, PRIVATE_MODE)
        return path

    def finish(self, *, failed: bool) -> Path | None:
        """Stop tracing; keep `trace.zip` if the mode says so. Returns its path."""
        from playwright.sync_api import Error as PlaywrightError

        if self._context is None:
            return None
        with contextlib.suppress(PlaywrightError):  # the browser may be gone already
            self.pause()
            self._context.tracing.stop()
        self._context = None
        keep = self.mode == "on" or (self.mode == "retain-on-failure" and failed)
        chunks = [c for c in self._chunks if c.exists()]
        try:
            if keep and chunks:
                _merge_traces(chunks, self.trace_path, self._redactor.scrub_bytes)
                os.chmod(self.trace_path, PRIVATE_MODE)
                return self.trace_path
            return None
        finally:
            for chunk in chunks:
                chunk.unlink(missing_ok=True)
            with contextlib.suppress(OSError):
                self._scratch.rmdir()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's, and running
    return True


def _sweep_scratch(recordings: Path) -> None:
    """Remove the unscrubbed chunks of runs whose process is gone (killed mid-run)."""
    for scratch in recordings.glob(f"*/{_SCRATCH}*"):
        pid = scratch.name.removeprefix(_SCRATCH)
        if pid.isdigit() and int(pid) != os.getpid() and _alive(int(pid)):
            continue
        shutil.rmtree(scratch, ignore_errors=True)


def _merge_traces(chunks: Sequence[Path], target: Path, scrub: Callable[[bytes], bytes]) -> None:
    """Merge chunk zips into one trace zip: prefix each chunk's trace files, scrub all."""
    seen: set[str] = set()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for index, chunk in enumerate(chunks):
            with zipfile.ZipFile(chunk) as part:
                for entry in part.namelist():
                    name = entry
                    if _TRACE_ENTRY.search(entry):
                        head, _, tail = entry.rpartition("/")
                        name = f"{head}/{index}-{tail}" if head else f"{index}-{tail}"
                    if name in seen:
                        continue  # resources are content-addressed: same name, same bytes
                    seen.add(name)
                    data = part.read(entry)
                    if _EVENTS.search(entry):
                        data = _without_credentials(data)
                    out.writestr(name, scrub(data))


def _without_credentials(data: bytes) -> bytes:
    """A trace's JSON lines with every cookie and authorization header dropped."""
    lines = []
    for line in data.split(b"\n"):
        try:
            event = json.loads(line)
        except ValueError:
            lines.append(line)  # not an event: scrubbed like the rest
            continue
        lines.append(json.dumps(_drop_credentials(event), separators=(",", ":")).encode())
    return b"\n".join(lines)


def _drop_credentials(value: Any) -> Any:
    if isinstance(value, list):
        return [_drop_credentials(item) for item in value if not _private_header(item)]
    if isinstance(value, dict):
        return {
            key: [] if key == "cookies" else _drop_credentials(item) for key, item in value.items()
        }
    return value


def _private_header(item: Any) -> bool:
    return (
        isinstance(item, dict)
        and isinstance(item.get("name"), str)
        and "value" in item
        and item["name"].lower() in _PRIVATE_HEADERS
    )


def new_run_folder(parent: Path, run_id: str) -> Path:
    """The run's recordings folder, which must not exist yet (mode 0700)."""
    make_private_dir(parent)
    folder = parent / run_id
    try:
        folder.mkdir(mode=0o700)
    except FileExistsError:
        raise RunbookError(f"recordings folder {folder} exists already; run again") from None
    return folder
