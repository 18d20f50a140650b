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


async def test_the_data_folder_and_what_is_written_in_it_are_private(tmp_path: Path) -> None:
    """Issue 11, finding 8: the database, originals and derived files were 0644."""
    import os
    import stat

    from server.runtime import running
    from tests.fixtures.make_docs import digital_pdf

    old = os.umask(0o022)
    try:
        settings = load_settings(environ={}, env_file=None, data_dir=tmp_path / "data")
        async with running(settings) as services:
            pdf = digital_pdf(tmp_path / "a.pdf", [["A page"]])
            taken = await services.intake.take(pdf, source="cli")
            assert taken.document_id is not None
        data = settings.data_dir
        assert stat.S_IMODE(data.stat().st_mode) == 0o700
        files = [p for p in data.rglob("*") if p.is_file()]
        assert any(p.name.startswith("kinchart.sqlite3") for p in files)
        assert any("originals" in p.parts for p in files)
        loose = [p for p in files if stat.S_IMODE(p.stat().st_mode) & 0o077]
        assert not loose, loose
    finally:
        os.umask(old)
