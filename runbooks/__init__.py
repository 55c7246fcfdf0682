"""runbook: credential rotations in vendor portals, by their documented steps.

The public surface: the pieces a runbook definition is made of and the error
tree. The engine, the CLI and the browser session are private modules.
"""

from runbooks._config import Settings, load_settings
from runbooks._engine import RunContext, Runner, RunOptions, RunResult, SkipStep
from runbooks._errors import (
    BrowserError,
    ConfigError,
    DeliveryError,
    PortalError,
    RunbookError,
    SinkError,
    StepFailed,
    TargetError,
    UsageError,
)
from runbooks._model import Param, Runbook, Step
from runbooks._secrets import Secret

__all__ = [
    "BrowserError",
    "ConfigError",
    "DeliveryError",
    "load_settings",
    "Param",
    "PortalError",
    "Runbook",
    "RunbookError",
    "RunContext",
    "Runner",
    "RunOptions",
    "RunResult",
    "Secret",
    "Settings",
    "SinkError",
    "SkipStep",
    "Step",
    "StepFailed",
    "TargetError",
    "UsageError",
]
