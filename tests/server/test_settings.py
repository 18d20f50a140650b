from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from server.settings import (
    Settings,
    SettingsError,
    describe,
    env_name,
    load_settings,
    settings_table,
)

pytestmark = pytest.mark.nodb
README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_settings_table_matches_the_code() -> None:
    # `kinchart settings --markdown` prints the table; the README must carry it verbatim.
    assert settings_table() in README.read_text(encoding="utf-8"), (
        "README settings table is stale: paste `uv run kinchart settings --markdown` into it"
    )


def test_every_setting_is_documented() -> None:
    for f in fields(Settings):
        assert f.metadata.get("help"), f"{f.name} has no help text"
        assert env_name(f.name) in README.read_text(encoding="utf-8")


def test_defaults() -> None:
    s = load_settings(environ={}, env_file=None)
    assert s.data_dir == Path("./data")
    assert s.inbox_dir == Path("./inbox")
    assert s.effective_database_url == f"sqlite:///{Path('data') / 'kinchart.sqlite3'}"
    assert (s.host, s.port) == ("127.0.0.1", 8000)
    assert s.languages == ("eng",)
    assert s.effective_ocr_workers >= 1


def test_environment_wins_over_dotenv(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("KINCHART_PORT=9000\nKINCHART_OCR_LANGUAGES=eng+deu\n")
    s = load_settings(environ={"KINCHART_PORT": "9100"}, env_file=dotenv)
    assert s.port == 9100
    assert s.languages == ("eng", "deu")


@pytest.mark.parametrize(
    ("name", "value"),
    [("KINCHART_PORT", "eighty"), ("KINCHART_PORT", "70000"), ("KINCHART_WATCH_INBOX", "maybe")],
)
def test_bad_values_are_named(name: str, value: str) -> None:
    with pytest.raises(SettingsError) as info:
        load_settings(environ={name: value}, env_file=None)
    assert "KINCHART_PORT" in info.value.user_message or name in info.value.user_message


def test_secrets_are_masked() -> None:
    s = load_settings(
        environ={"KINCHART_DATABASE_URL": "postgresql://kc:hunter2@db:5432/kc"}, env_file=None
    )
    shown = describe(s)["KINCHART_DATABASE_URL"]
    assert "hunter2" not in shown and "kc:***@db:5432" in shown
