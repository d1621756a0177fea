#!/usr/bin/env bash
# Start (or reuse) a throw-away PostgreSQL for the storage tests and print its URL.
#
#   DATABASE_URL=$(bash .ci/start-postgres.sh) pytest tests/storage -q
#
# Idempotent: a second run reuses the cluster and the running server. Everything but the URL
# (the last and only line on stdout) goes to stderr.
#   PGDATA_DIR   data folder            (default /tmp/dmm-pg)
#   PGPORT       TCP port on 127.0.0.1  (default 54329)
#   PG_DB_NAME   database to create     (default dmm_test)
#   PG_OS_USER   system user that owns and runs the server (default postgres; created if missing)
# To stop it: runuser -u postgres -- pg_ctl -D /tmp/dmm-pg stop   (pg_ctl from the bin folder found below)
set -euo pipefail

PGDATA_DIR=${PGDATA_DIR:-/tmp/dmm-pg}
PGPORT=${PGPORT:-54329}
PG_DB_NAME=${PG_DB_NAME:-dmm_test}
PG_OS_USER=${PG_OS_USER:-postgres}

export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"   # useradd, runuser live in sbin

log() { echo "start-postgres: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# --- (a) find the server binaries, installing Debian's postgresql if there are none ----------
find_bindir() {
    local candidate dir
    candidate=$(command -v initdb 2>/dev/null || true)
    if [ -n "$candidate" ]; then
        dir=$(dirname "$(readlink -f "$candidate")")
        if [ -x "$dir/pg_ctl" ] && [ -x "$dir/postgres" ]; then
            echo "$dir"
            return 0
        fi
    fi
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && [ -x "$dir/postgres" ]; then
            echo "$dir"
            return 0
        fi
    done
    return 1
}

BINDIR=$(find_bindir || true)
if [ -z "$BINDIR" ]; then
    [ "$(id -u)" = 0 ] || die "no PostgreSQL server binaries found and not root: install the 'postgresql' package"
    log "no PostgreSQL server found; installing Debian's postgresql package"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update >&2
    apt-get install -y --no-install-recommends postgresql >&2
    BINDIR=$(find_bindir || true)
    [ -n "$BINDIR" ] || die "installed postgresql but still found no initdb/pg_ctl/postgres"
fi
log "using server binaries in $BINDIR"

# psql and pg_isready: prefer the ones beside the server, else the client wrappers on PATH.
tool() {
    if [ -x "$BINDIR/$1" ]; then echo "$BINDIR/$1"; else command -v "$1" || die "$1 not found"; fi
}
PSQL=$(tool psql)
PG_ISREADY=$(tool pg_isready)

# --- (b) a cluster owned by a non-root user ----------------------------------------------------
if [ "$(id -u)" = 0 ]; then
    if ! id -u "$PG_OS_USER" >/dev/null 2>&1; then
        log "creating system user $PG_OS_USER"
        useradd --system --no-create-home --shell /bin/bash "$PG_OS_USER"
    fi
    as_pg() { runuser -u "$PG_OS_USER" -- "$@"; }
    mkdir -p "$PGDATA_DIR"
    chown "$PG_OS_USER" "$PGDATA_DIR"
else
    as_pg() { "$@"; }   # not root: run the server as ourselves
    mkdir -p "$PGDATA_DIR"
fi
chmod 700 "$PGDATA_DIR"

if [ ! -s "$PGDATA_DIR/PG_VERSION" ]; then
    log "creating a cluster in $PGDATA_DIR"
    as_pg "$BINDIR/initdb" -D "$PGDATA_DIR" -U postgres --auth=trust --encoding=UTF8 --no-locale >&2
else
    log "reusing the cluster in $PGDATA_DIR"
fi

# --- (c) start it on 127.0.0.1 only, and wait until it accepts connections ---------------------
ready() { "$PG_ISREADY" -q -h 127.0.0.1 -p "$PGPORT" -U postgres >/dev/null 2>&1; }

if as_pg "$BINDIR/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1; then
    log "server already running"
else
    if ready; then
        die "port $PGPORT on 127.0.0.1 is taken by another server; set PGPORT to a free port"
    fi
    log "starting the server on 127.0.0.1:$PGPORT"
    as_pg "$BINDIR/pg_ctl" -D "$PGDATA_DIR" -l "$PGDATA_DIR/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGDATA_DIR" start >&2 \
        || { tail -n 30 "$PGDATA_DIR/server.log" >&2 || true; die "the server did not start"; }
fi

for _ in $(seq 1 60); do
    ready && break
    sleep 0.5
done
ready || { tail -n 30 "$PGDATA_DIR/server.log" >&2 || true; die "the server is not ready on 127.0.0.1:$PGPORT"; }

# --- (d) the test database ---------------------------------------------------------------------
psql_cmd() { "$PSQL" -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA "$@"; }
if [ "$(psql_cmd -c "SELECT 1 FROM pg_database WHERE datname = '$PG_DB_NAME'")" != "1" ]; then
    log "creating database $PG_DB_NAME"
    psql_cmd -c "CREATE DATABASE \"$PG_DB_NAME\"" >&2
else
    log "database $PG_DB_NAME exists"
fi

# --- (e) the URL, alone on stdout --------------------------------------------------------------
echo "postgresql+psycopg://postgres@127.0.0.1:$PGPORT/$PG_DB_NAME"
