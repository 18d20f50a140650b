"""The deployment files: the compose file validates, the image runs as a user with a health
check, the systemd unit is hardened."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.nodb


def _compose(*args: str) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("docker-compose")
    assert exe, "docker-compose (Debian's package) is installed by ./run.sh test"
    env = {**os.environ, "MEILI_MASTER_KEY": "test-master-key-0123456789"}
    return subprocess.run(
        [exe, "-f", str(ROOT / "docker-compose.yml"), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )


def test_the_compose_file_validates_and_postgres_and_workers_are_a_profile() -> None:
    config = _compose("--profile", "postgres", "config")
    assert config.returncode == 0, config.stderr
    services = yaml.safe_load(config.stdout)["services"]
    assert set(services) == {"kinchart", "meilisearch", "postgres", "worker"}
    assert "profiles" not in services["kinchart"] and "profiles" not in services["meilisearch"]
    assert services["postgres"]["profiles"] == services["worker"]["profiles"] == ["postgres"]
    assert services["worker"]["command"][-1] == "worker"
    assert "ports" not in services["worker"], "workers scale: they publish nothing"


def test_the_compose_stack_pins_meilisearch_checks_health_and_keeps_the_port_local() -> None:
    config = _compose("config")
    assert config.returncode == 0, config.stderr
    text = config.stdout
    assert re.search(r"image: getmeili/meilisearch:v\d+\.\d+\.\d+", text), "a pinned version"
    assert "healthcheck" in text
    assert re.search(r"127\.0\.0\.1:\d+:8000", text) or "host_ip: 127.0.0.1" in text
    assert "read_only: true" in text


def test_the_compose_file_needs_a_meilisearch_key() -> None:
    env = {k: v for k, v in os.environ.items() if k != "MEILI_MASTER_KEY"}
    exe = shutil.which("docker-compose")
    assert exe
    r = subprocess.run(
        [exe, "-f", str(ROOT / "docker-compose.yml"), "config"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    assert r.returncode != 0 and "MEILI_MASTER_KEY" in r.stderr


def _dockerfile() -> list[tuple[str, str]]:
    text = (ROOT / "deploy" / "Dockerfile").read_text().replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines()]
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line else "")
        for line in lines
        if line and not line.startswith("#")
    ]


def test_the_image_runs_as_a_user_that_is_not_root() -> None:
    users = [arg.strip() for op, arg in _dockerfile() if op == "USER"]
    assert users, "the Dockerfile sets a USER"
    assert users[-1] not in ("root", "0", "0:0")


def test_the_image_health_check_calls_healthz_with_a_program_the_image_has() -> None:
    checks = [arg for op, arg in _dockerfile() if op == "HEALTHCHECK"]
    assert len(checks) == 1
    command = re.search(r"CMD\s+(\[.*\])", checks[0])
    assert command, checks[0]
    argv = shlex.split(command.group(1).strip("[]").replace('", "', '" "'))
    assert argv[0] == "/app/.venv/bin/python"  # made by `uv sync` in the image
    assert "/healthz" in " ".join(argv)
    # The check itself runs: with no server it fails, quickly and with an error.
    local = [str(ROOT / ".venv" / "bin" / "python"), *argv[1:]]
    r = subprocess.run(
        local,
        env={**os.environ, "KINCHART_PORT": "9"},
        capture_output=True,
        timeout=30,
        check=False,
    )
    assert r.returncode != 0 and b"URLError" in r.stderr


def test_the_systemd_unit_keeps_files_private_and_hardens_the_service() -> None:
    unit = (ROOT / "deploy" / "kinchart.service").read_text()
    settings = dict(
        line.split("=", 1) for line in unit.splitlines() if "=" in line and line[0] not in "#;"
    )
    assert settings["UMask"] == "0077"
    assert settings["User"] != "root"
    for option in ("NoNewPrivileges", "PrivateTmp", "ProtectHome", "RestrictSUIDSGID"):
        assert settings[option] == "true", option
    assert settings["ProtectSystem"] == "strict"


def test_the_meilisearch_test_override_publishes_on_loopback_only() -> None:
    """`./run.sh test-meili` starts the stack's own Meilisearch with this override."""
    config = _compose("-f", str(ROOT / "deploy" / "compose.meili-test.yml"), "config")
    assert config.returncode == 0, config.stderr
    meili = yaml.safe_load(config.stdout)["services"]["meilisearch"]
    ports = meili["ports"]
    assert len(ports) == 1
    port = ports[0]
    text = port if isinstance(port, str) else f"{port.get('host_ip')}:{port.get('published')}"
    assert text.startswith("127.0.0.1:"), ports
    assert meili["environment"]["MEILI_ENV"] == "production"
    run_sh = (ROOT / "run.sh").read_text()
    assert "test-meili)" in run_sh and "deploy/compose.meili-test.yml" in run_sh
