"""Settings come from .env and the environment; the environment wins."""

from __future__ import annotations

from pathlib import Path

import pytest

from runbooks._config import load_settings
from runbooks._errors import ConfigError
from runbooks._secrets import MASK


def test_settings_merge_env_file_and_environment(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text(
        "RUNBOOK_GRAVITEE_URL=https://file.example\nRUNBOOK_GRAVITEE_EMAIL=a@b.c\nOTHER=x\n"
    )
    settings = load_settings(env, {"RUNBOOK_GRAVITEE_URL": "https://env.example"})
    portal = settings.portal("gravitee")
    assert portal.url == "https://env.example"
    assert portal.email == "a@b.c"
    assert portal.password is None
    assert "OTHER" not in settings.values


def test_password_is_a_secret(tmp_path: Path) -> None:
    settings = load_settings(None, {"RUNBOOK_GRAVITEE_PASSWORD": "hunter2-long"})
    portal = settings.portal("gravitee")
    assert portal.password is not None and portal.password.reveal() == "hunter2-long"
    assert "hunter2" not in repr(portal) and str(portal.password) == MASK


def test_missing_explicit_env_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "nope.env")


def test_data_dir_default_and_override(tmp_path: Path) -> None:
    assert load_settings(None, {"RUNBOOK_DATA_DIR": str(tmp_path)}).data_dir == tmp_path
    assert load_settings(None, {}).data_dir.name == "runbook"


@pytest.mark.parametrize("raw", ["nan", "inf", "-inf", "NaN"])
def test_a_timeout_that_is_not_finite_is_a_config_error(raw: str) -> None:
    settings = load_settings(environ={"RUNBOOK_TIMEOUT": raw})
    with pytest.raises(ConfigError, match="not a finite number of seconds"):
        settings.timeout_ms  # noqa: B018


def test_an_env_file_that_is_not_utf8_is_a_config_error(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_bytes(b"RUNBOOK_A=1\nRUNBOOK_B=\xff\n")
    with pytest.raises(ConfigError, match=r"is not UTF-8 text \(byte 0xff on line 2\)"):
        load_settings(env, environ={})


def test_a_portal_url_that_does_not_parse_is_a_config_error() -> None:
    settings = load_settings(environ={"RUNBOOK_GRAVITEE_URL": "http://[::1"})
    with pytest.raises(ConfigError, match="is not a valid URL"):
        settings.portal("gravitee")
    assert load_settings(environ={"RUNBOOK_GRAVITEE_URL": "sandbox"}).portal("gravitee").url


def test_recordings_naming_a_file_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("")
    with pytest.raises(ConfigError, match="is a file, not a folder"):
        load_settings(environ={"RUNBOOK_RECORDINGS": str(tmp_path / "f")}).recordings_dir  # noqa: B018
    ok = load_settings(environ={"RUNBOOK_RECORDINGS": str(tmp_path / "new")}).recordings_dir
    assert ok == tmp_path / "new" and not ok.exists()
