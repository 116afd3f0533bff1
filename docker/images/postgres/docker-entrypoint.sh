#!/bin/bash
# Initialises an empty PGDATA once (user, password, database from POSTGRES_* as the official postgres image reads
# them; the password preferably from a Docker secret through POSTGRES_PASSWORD_FILE), then execs the command as user
# postgres. Connections from other containers need the password (scram-sha-256); the local socket trusts.
set -euo pipefail
case $1 in -*) set -- postgres "$@" ;; esac

if [[ $1 == postgres && $(id -u) == 0 ]]; then
    mkdir -p "$PGDATA" /var/run/postgresql
    chown postgres:postgres "$PGDATA" /var/run/postgresql
    chmod 0700 "$PGDATA"
    exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi

if [[ $1 == postgres && ! -s $PGDATA/PG_VERSION ]]; then
    if [[ -n ${POSTGRES_PASSWORD_FILE:-} ]]; then
        [[ -z ${POSTGRES_PASSWORD:-} ]] || { echo "set POSTGRES_PASSWORD or POSTGRES_PASSWORD_FILE, not both" >&2; exit 1; }
        POSTGRES_PASSWORD=$(<"$POSTGRES_PASSWORD_FILE")
    fi
    [[ -n ${POSTGRES_PASSWORD:-} ]] || { echo "POSTGRES_PASSWORD or POSTGRES_PASSWORD_FILE is required" >&2; exit 1; }
    user=${POSTGRES_USER:-postgres}
    db=${POSTGRES_DB:-$user}
    pwfile=$(mktemp)
    trap 'rm -f "$pwfile"' EXIT
    printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
    initdb --username="$user" --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256 \
        --encoding=UTF8 --locale=C.UTF-8 -D "$PGDATA" >/dev/null
    rm -f "$pwfile"
    trap - EXIT
    printf 'host all all all scram-sha-256\n' >>"$PGDATA/pg_hba.conf"
    printf "listen_addresses = '*'\n" >>"$PGDATA/postgresql.conf"
    if [[ $db != postgres ]]; then
        # single-user mode: no server listens while the database is created
        printf 'CREATE DATABASE "%s" OWNER "%s"\n' "${db//\"/\"\"}" "${user//\"/\"\"}" |
            postgres --single -D "$PGDATA" postgres >/dev/null
    fi
    echo "docker-entrypoint.sh: initialised $PGDATA (user $user, database $db)"
fi
exec "$@"
