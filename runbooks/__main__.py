"""`python -m runbooks`: the same as the `runbook` command."""

from runbooks._cli import main

raise SystemExit(main())
