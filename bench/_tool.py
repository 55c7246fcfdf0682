"""Run the CLI, then report this process's own peak resident memory.

`python -m bench._tool RSS_FILE ARGS...` is `runbook ARGS...`, plus: at exit the
peak RSS of this Python process alone (``RUSAGE_SELF``: not the Playwright
driver, not the browser) is written to RSS_FILE, in kB.
"""

from __future__ import annotations

import resource
import sys
from pathlib import Path


def main() -> int:
    """Run `runbook` with the arguments after the RSS file; write the peak RSS."""
    rss_file, args = Path(sys.argv[1]), sys.argv[2:]
    from runbooks._cli import main as runbook

    try:
        code = runbook(args)
    finally:
        rss_file.write_text(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))
    return code or 0


if __name__ == "__main__":
    sys.exit(main())
