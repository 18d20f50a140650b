#!/usr/bin/env bash
# Kinchart's two commands, for a fresh Debian 12 machine (as root, or a user with sudo):
#   ./run.sh serve   install what is missing, then start the server on embedded defaults
#   ./run.sh test    the same plus test dependencies (PostgreSQL, chromium), then the whole suite
#   ./run.sh test-meili  the Meilisearch contract tests, against a Meilisearch started by
#                    docker compose (needs Docker)
set -euo pipefail
cd "$(dirname "$0")"
UV_VERSION=0.13.8

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_install() {
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    say "installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

find_uv() {
    if command -v uv >/dev/null 2>&1; then
        UV=$(command -v uv)
        # A pyenv shim runs uv only under the Python version it was installed for; the real
        # binary keeps working when PYENV_VERSION changes (see find_python313).
        case "$UV" in */shims/uv) UV=$(pyenv which uv 2>/dev/null || echo "$UV") ;; esac
        return
    fi
    if [ ! -x .tools/bin/uv ]; then
        say "installing uv $UV_VERSION into .tools/"
        python3 -m venv .tools
        .tools/bin/pip install -q "uv==$UV_VERSION"
    fi
    UV=$PWD/.tools/bin/uv
}

setup() {
    local extra=()
    # Node.js may come from elsewhere (NodeSource bundles npm, which conflicts with Debian's
    # npm package): only ask apt for it when the commands are missing.
    command -v node >/dev/null 2>&1 || extra+=(nodejs)
    command -v npm >/dev/null 2>&1 || extra+=(npm)
    apt_install tesseract-ocr tesseract-ocr-eng tesseract-ocr-osd ghostscript unpaper pngquant \
        poppler-utils python3 python3-venv ca-certificates libpango-1.0-0 libpangoft2-1.0-0 "${extra[@]}" "$@"
    find_uv
    say "installing Python packages from uv.lock"
    # Bytecode compiled at install: each OCR process otherwise spends ~1.2 s compiling sources.
    export UV_COMPILE_BYTECODE=1
    if [ "${KINCHART_DEV:-0}" = 1 ]; then "$UV" sync --frozen -q; else "$UV" sync --frozen --no-dev -q; fi
    # uv compiles the installed packages, not Kinchart's own sources; without this, each OCR
    # process compiles them again (~0.15 s of CPU) when Python may not write bytecode itself.
    .venv/bin/python -m compileall -q -j 0 server ocr sync
    say "installing pinned front-end packages"
    ./deploy/static.sh
}

# The Python 3.13 that the Paperless-ngx client libraries need (tests/clients); uv's own search
# first, then each 3.13 pyenv has (its shims answer only for the version pyenv selects), then
# one uv installs.
find_python313() {
    local found version
    found=$("$UV" python find 3.13 2>/dev/null) && { echo "$found"; return 0; }
    if command -v pyenv >/dev/null 2>&1; then
        for version in $(pyenv versions --bare 2>/dev/null | grep '^3\.13'); do
            found=$(PYENV_VERSION=$version "$UV" python find 3.13 2>/dev/null) \
                && { echo "$found"; return 0; }
        done
    fi
    "$UV" python install 3.13 >&2 && "$UV" python find 3.13
}

start_postgres() {
    local bindir port
    bindir=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
    PGTMP=$(mktemp -d /tmp/kinchart-pg.XXXXXX)
    chmod 755 "$PGTMP"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    local run=()
    if [ "$(id -u)" = 0 ]; then chown postgres "$PGTMP"; run=(runuser -u postgres --); fi
    say "starting a throwaway PostgreSQL cluster on port $port"
    "${run[@]}" "$bindir/initdb" -D "$PGTMP/data" -U kinchart --auth=trust -E UTF8 >/dev/null
    "${run[@]}" "$bindir/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/log" -w \
        -o "-p $port -k $PGTMP -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
    trap 'runuser_stop' EXIT
    export KINCHART_TEST_PG_ADMIN_URL="postgresql://kinchart@127.0.0.1:$port/postgres"
    PG_STOP=("${run[@]}" "$bindir/pg_ctl" -D "$PGTMP/data" -m immediate stop)
}

runuser_stop() {
    "${PG_STOP[@]}" >/dev/null 2>&1 || true
    rm -rf "$PGTMP"
    if [ -d test-artifacts/screenshots ]; then
        say "browser screenshots kept in $PWD/test-artifacts/screenshots:"
        ls -1 test-artifacts/screenshots >&2
    fi
}

case "${1:-}" in
serve)
    setup
    shift
    exec "$UV" run --frozen --no-dev kinchart serve "$@"
    ;;
test)
    export KINCHART_DEV=1
    setup postgresql chromium fonts-dejavu-core fonts-liberation docker-compose
    start_postgres
    shift
    say "Paperless-ngx client libraries for the compatibility tests (tests/clients/uv.lock)"
    if PY313=$(find_python313); then
        "$UV" sync --frozen -q --project tests/clients --python "$PY313"
    else
        say "no Python 3.13 found or installable: tests/server/web/test_paperless_clients.py will fail"
    fi
    say "lint: ruff, mypy and the layer contracts (import-linter)"
    "$UV" run --frozen ruff check .
    "$UV" run --frozen mypy
    "$UV" run --frozen lint-imports
    say "test suite on SQLite"
    KINCHART_TEST_DB=sqlite "$UV" run --frozen pytest "$@"
    say "test suite on PostgreSQL (database tests)"
    KINCHART_TEST_DB=postgres "$UV" run --frozen pytest -m "not nodb" "$@"
    ;;
test-meili)
    # The search contract tests against a real Meilisearch: the version docker-compose.yml
    # pins, started with Docker Compose (no Meilisearch installs from the registries the CI
    # machines reach, so ./run.sh test skips these cases and says so).
    export KINCHART_DEV=1
    setup fonts-dejavu-core
    shift
    command -v docker >/dev/null 2>&1 || { echo "test-meili needs Docker with its compose plugin" >&2; exit 2; }
    export MEILI_MASTER_KEY=${MEILI_MASTER_KEY:-kinchart-test-$(python3 -c 'import secrets; print(secrets.token_hex(16))')}
    export MEILI_TEST_PORT=${MEILI_TEST_PORT:-7701}
    compose=(docker compose -p kinchart-meili-test -f docker-compose.yml -f deploy/compose.meili-test.yml)
    say "starting Meilisearch with docker compose on 127.0.0.1:$MEILI_TEST_PORT"
    trap '"${compose[@]}" down -v >/dev/null 2>&1 || true' EXIT
    "${compose[@]}" up -d --wait meilisearch
    KINCHART_TEST_MEILI_URL="http://127.0.0.1:$MEILI_TEST_PORT" KINCHART_TEST_MEILI_KEY="$MEILI_MASTER_KEY" \
        KINCHART_TEST_DB=sqlite "$UV" run --frozen pytest tests/server/search -k "meili" -rs "$@"
    ;;
*)
    echo "usage: ./run.sh serve | ./run.sh test [pytest args] | ./run.sh test-meili [pytest args]" >&2
    exit 2
    ;;
esac
