# shellcheck shell=bash disable=SC2034  # globals here are used by the scripts that source this file
# Shared functions for scripts/cluster and scripts/ensure-services. Sourced, never run.
#
# Every process the cluster starts gets a directory <state>/<member>/ holding its PID file,
# its log (server.log) and its configuration. Ownership is decided by the PID file *and* the
# process's start time recorded next to it (a PID can be reused by an unrelated process, never
# with the same start time), so nothing the cluster did not start is ever signalled.

# --- output -----------------------------------------------------------------------------------

PROG=${PROG:-$(basename "$0")}

log()  { printf '%s\n' "$*"; }
warn() { printf '%s: warning: %s\n' "$PROG" "$*" >&2; }
die()  { printf '%s: error: %s\n' "$PROG" "$*" >&2; exit 1; }

is_uint() { [[ $1 =~ ^[0-9]+$ ]]; }

# --- configuration ----------------------------------------------------------------------------

# PostgreSQL is a shared service (scripts/ensure-services), not a cluster member.
PG_HOST=127.0.0.1
PG_PORT=5432

# Variables passed from the caller's environment to replicas when set (besides ADVWELL_*).
# DB_SCHEMA and JAVA_OPTS are read by scripts/replica.
PASSTHROUGH_VARS=(LEADER_LEASE_MS SHUTDOWN_GRACE_MS REDIS_MIN_REPLICA_ACKS LOG_LEVEL
                  DB_MAX_CONNECTIONS_OVERRIDE DB_CONNECTION_RESERVE DB_SCHEMA JAVA_OPTS
                  LEADER_TICK_ENABLED MEMBERSHIP_HEARTBEAT_MS LEDGER_RETENTION_DAYS
                  QUEUE_CONSUMERS_ENABLED HTTP_THREADS QUEUE_LOCK_MS QUEUE_STALL_CHECK_MS QUEUE_JOB_TIMEOUT_MS
                  QUEUE_MAX_PAYLOAD_BYTES QUEUE_FETCH_STALE_MS QUEUE_PREFETCH_MAX QUEUE_EXECUTOR_THREADS REDIS_WAIT_TIMEOUT_MS
                  QUEUE_PROBE_CONCURRENCY QUEUE_WEBHOOKS_CONCURRENCY WEBHOOK_SIGNING_SECRET_PREVIOUS
                  WEBHOOK_TIMEOUT_MS WEBHOOK_ALLOWED_DESTINATIONS)
# WEBHOOK_SIGNING_SECRET is not passed through: like the admin key it goes to a file in CLUSTER_DIR
# (WEBHOOK_SECRET_FILE), generated when absent, and replicas get WEBHOOK_SIGNING_SECRET_FILE.

# load_config: reads the environment into globals and validates it. Everything is overridable so
# that a test cluster can run next to a developer's cluster (other state dir, other ports).
load_config() {
    REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
    CLUSTER_DIR=${CLUSTER_DIR:-$REPO_ROOT/.cluster}
    [[ $CLUSTER_DIR == /* ]] || CLUSTER_DIR=$PWD/$CLUSTER_DIR
    CLUSTER_DIR=${CLUSTER_DIR%/}

    HTTP_BASE_PORT=${HTTP_BASE_PORT:-8080}
    REDIS_MASTER_PORT=${REDIS_MASTER_PORT:-6380}
    REDIS_REPLICA_PORT=${REDIS_REPLICA_PORT:-6381}
    SENTINEL_PORTS=${SENTINEL_PORTS:-26380,26381,26382}
    REDIS_MASTER_NAME=${REDIS_MASTER_NAME:-mymaster}
    SENTINEL_DOWN_AFTER_MS=${SENTINEL_DOWN_AFTER_MS:-1000}
    READY_TIMEOUT=${READY_TIMEOUT:-180}
    STOP_TIMEOUT=${STOP_TIMEOUT:-30}
    REPLICA_HEAP=${REPLICA_HEAP:-512m}
    DB_NAME=${DB_NAME:-advwell}
    DB_USER=${DB_USER:-advwell}
    DB_PASSWORD=${DB_PASSWORD:-advwell}
    DB_POOL_MAX=${DB_POOL_MAX:-15}

    WAR=$REPO_ROOT/micro-war/target/advwell.war
    MICRO_JAR=$REPO_ROOT/micro-war/target/payara-micro.jar
    ADMIN_KEY_FILE=$CLUSTER_DIR/admin-api-key
    WEBHOOK_SECRET_FILE=$CLUSTER_DIR/webhook-signing-secret

    IFS=', ' read -r -a SENTINEL_PORT_LIST <<<"$SENTINEL_PORTS"
    ((${#SENTINEL_PORT_LIST[@]} > 0)) || die "SENTINEL_PORTS is empty"
    SENTINEL_QUORUM=$((${#SENTINEL_PORT_LIST[@]} / 2 + 1))

    if ! is_uint "$SENTINEL_DOWN_AFTER_MS" || ((SENTINEL_DOWN_AFTER_MS < 100)); then
        die "SENTINEL_DOWN_AFTER_MS must be a number of milliseconds, at least 100"
    fi

    local p
    for p in "$HTTP_BASE_PORT" "$REDIS_MASTER_PORT" "$REDIS_REPLICA_PORT" "${SENTINEL_PORT_LIST[@]}"; do
        if ! is_uint "$p" || ((p < 1 || p > 65535)); then die "invalid port '$p'"; fi
    done
    local all="$REDIS_MASTER_PORT $REDIS_REPLICA_PORT ${SENTINEL_PORT_LIST[*]}"
    [[ $(tr ' ' '\n' <<<"$all" | sort | uniq -d) == "" ]] || die "Redis and Sentinel ports must be distinct: $all"
    for p in READY_TIMEOUT STOP_TIMEOUT DB_POOL_MAX; do
        is_uint "${!p}" || die "$p must be a non-negative integer, got '${!p}'"
    done
    [[ $REDIS_MASTER_NAME =~ ^[A-Za-z0-9._-]+$ ]] || die "invalid REDIS_MASTER_NAME '$REDIS_MASTER_NAME'"
}

# --- members ----------------------------------------------------------------------------------
# Members: redis-master, redis-replica, sentinel-K (K = 1..number of SENTINEL_PORTS), replica-I.

sentinel_members() {
    local k
    for ((k = 1; k <= ${#SENTINEL_PORT_LIST[@]}; k++)); do printf 'sentinel-%d\n' "$k"; done
}

# member_kind <member>: prints redis | sentinel | replica, fails for an unknown name.
member_kind() {
    case $1 in
        redis-master | redis-replica) echo redis ;;
        sentinel-[1-9]*)
            local k=${1#sentinel-}
            is_uint "$k" && ((k <= ${#SENTINEL_PORT_LIST[@]})) || return 1
            echo sentinel ;;
        replica-[1-9]*)
            local i=${1#replica-}
            is_uint "$i" && ((HTTP_BASE_PORT + i < 65536)) || return 1
            echo replica ;;
        *) return 1 ;;
    esac
}

member_port() {
    case $1 in
        redis-master) echo "$REDIS_MASTER_PORT" ;;
        redis-replica) echo "$REDIS_REPLICA_PORT" ;;
        sentinel-*) echo "${SENTINEL_PORT_LIST[${1#sentinel-} - 1]}" ;;
        replica-*) echo $((HTTP_BASE_PORT + ${1#replica-})) ;;
    esac
}

member_dir()     { echo "$CLUSTER_DIR/$1"; }
member_pidfile() { echo "$CLUSTER_DIR/$1/pid"; }
member_log()     { echo "$CLUSTER_DIR/$1/server.log"; }
member_conf() {
    case $1 in
        redis-*) echo "$CLUSTER_DIR/$1/redis.conf" ;;
        sentinel-*) echo "$CLUSTER_DIR/$1/sentinel.conf" ;;
    esac
}

# member_marker <member>: a string that only the command line of this member's process holds.
# Redis rewrites its process title; the template set in its config keeps the config path in it.
member_marker() {
    case $1 in
        replica-*) echo "--rootdir $CLUSTER_DIR/$1/root" ;;
        *) member_conf "$1" ;;
    esac
}

# member_pid <member>: prints the PID recorded in the PID file (the process may be gone).
member_pid() {
    local f
    f=$(member_pidfile "$1")
    [[ -f $f ]] || return 1
    local pid
    pid=$(<"$f")
    is_uint "$pid" || return 1
    echo "$pid"
}

pid_cmdline() { tr '\0' ' ' 2>/dev/null <"/proc/$1/cmdline"; }

# pid_stat_field <pid> <n>: field n of /proc/<pid>/stat counted after the command name (1 = state,
# 20 = start time in clock ticks since boot). The name is in parentheses and may hold spaces.
pid_stat_field() {
    local stat
    { stat=$(<"/proc/$1/stat"); } 2>/dev/null || return 1
    stat=${stat##*) }
    local fields
    read -r -a fields <<<"$stat"
    [[ -n ${fields[$2 - 1]:-} ]] || return 1
    echo "${fields[$2 - 1]}"
}

# pid_alive <pid>: the process exists and is not a zombie.
pid_alive() {
    local state
    state=$(pid_stat_field "$1" 1) || return 1
    [[ $state != [ZX] ]]
}

member_startfile() { echo "$CLUSTER_DIR/$1/pid.start"; }

# member_running <member>: the PID file names a live process started when we started it.
# The start time does not change when a launcher (env, scripts/replica) execs the server, so a
# member is running from its spawn on, also in the window before and during those execs where
# its command line is not yet the server's (or is empty while the kernel swaps the image).
# A PID file without a start time (written by an older version of this script) falls back to
# looking for the member's marker in the command line.
member_running() {
    local pid start
    pid=$(member_pid "$1") || return 1
    pid_alive "$pid" || return 1
    if { start=$(<"$(member_startfile "$1")"); } 2>/dev/null && [[ -n $start ]]; then
        [[ $(pid_stat_field "$pid" 20) == "$start" ]]
    else
        [[ " $(pid_cmdline "$pid") " == *" $(member_marker "$1") "* ]]
    fi
}

# replica_indexes: indexes of replicas that have a PID file (started and not stopped by us), sorted.
replica_indexes() {
    local f m
    for f in "$CLUSTER_DIR"/replica-*/pid; do
        [[ -f $f ]] || continue
        m=${f%/pid}
        m=${m##*/}
        is_uint "${m#replica-}" && echo "${m#replica-}"
    done | sort -n
}

# --- processes --------------------------------------------------------------------------------

# close_inherited_fds: in a subshell about to exec a long-lived process, close every fd above 2
# so the process holds neither our lock file nor a caller's pipe (which would make the caller
# wait for EOF forever).
close_inherited_fds() {
    local fd
    for fd in /proc/"$BASHPID"/fd/*; do
        fd=${fd##*/}
        if is_uint "$fd" && ((fd > 2)); then eval "exec $fd>&-" 2>/dev/null || true; fi
    done
}

# spawn <member> <cwd> <command...>: starts the command detached (own session, stdin /dev/null,
# output appended to the member's log) and writes the member's PID file. setsid does not fork
# here (a background subshell is never a process-group leader), so $! is the final PID.
spawn() {
    local m=$1 cwd=$2
    shift 2
    local logf
    logf=$(member_log "$m")
    printf '=== %s: %s starting ===\n' "$(date '+%F %T')" "$m" >>"$logf"
    (
        close_inherited_fds
        cd "$cwd" || exit 1
        exec setsid nohup "$@"
    ) </dev/null >>"$logf" 2>&1 &
    local pid=$!
    # The start time first, then the PID file: whoever sees the PID file can judge it.
    pid_stat_field "$pid" 20 >"$(member_startfile "$m")" || : >"$(member_startfile "$m")"
    echo "$pid" >"$(member_pidfile "$m")"
}

# port_open <port>: something accepts TCP connections on 127.0.0.1:<port>.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# wait_until <seconds> <command...>: polls the command every 0.2 s until it succeeds.
wait_until() {
    local deadline=$((SECONDS + $1))
    shift
    until "$@"; do
        ((SECONDS < deadline)) || return 1
        sleep 0.2
    done
}

# stop_members <timeout> <member...>: SIGTERM to each member we own, wait up to <timeout> s for
# all of them, then SIGKILL the rest. PID files are removed; a PID now used by a process that
# is not ours is left alone.
stop_members() {
    local timeout=$1
    shift
    local m pid pending=()
    for m in "$@"; do
        pid=$(member_pid "$m") || { rm -f "$(member_pidfile "$m")" "$(member_startfile "$m")"; continue; }
        if member_running "$m"; then
            log "stopping $m (pid $pid)"
            kill -TERM "$pid" 2>/dev/null || true
            pending+=("$m")
        elif [[ -e /proc/$pid ]] && [[ -n $(pid_cmdline "$pid") ]]; then
            warn "pid $pid of $m now belongs to another process ($(pid_cmdline "$pid" | cut -c1-80)); not touching it"
        fi
    done
    local deadline=$((SECONDS + timeout)) still
    while ((${#pending[@]} > 0)); do
        still=()
        for m in "${pending[@]}"; do member_running "$m" && still+=("$m"); done
        pending=("${still[@]}")
        ((${#pending[@]} > 0)) || break
        if ((SECONDS >= deadline)); then
            for m in "${pending[@]}"; do
                pid=$(member_pid "$m") || continue
                warn "$m (pid $pid) did not exit within ${timeout}s; sending SIGKILL"
                kill -KILL "$pid" 2>/dev/null || true
            done
            for m in "${pending[@]}"; do wait_until 10 not member_running "$m" || warn "$m still alive after SIGKILL"; done
            break
        fi
        sleep 0.2
    done
    for m in "$@"; do rm -f "$(member_pidfile "$m")" "$(member_startfile "$m")"; done
}

not() { ! "$@"; }

# --- Redis and Sentinel -----------------------------------------------------------------------

# rcli <port> <args...>: redis-cli against 127.0.0.1 with a timeout (a stopped server would hang it).
rcli() {
    local port=$1
    shift
    timeout 3 redis-cli -h 127.0.0.1 -p "$port" "$@" 2>/dev/null
}

redis_ping() { [[ $(rcli "$1" ping) == PONG ]]; }

# redis_info_field <port> <field>: one field of INFO replication (role, master_port, ...).
redis_info_field() {
    rcli "$1" info replication | tr -d '\r' | awk -F: -v k="$2" '$1 == k { print $2 }'
}

# sentinel_answers: one "ip port" line per Sentinel that names a master.
sentinel_answers() {
    local p out
    for p in "${SENTINEL_PORT_LIST[@]}"; do
        out=$(rcli "$p" sentinel get-master-addr-by-name "$REDIS_MASTER_NAME" | tr '\n' ' ')
        out=${out% }
        if [[ $out =~ ^[^\ ]+\ [0-9]+$ ]]; then echo "$out"; fi
    done
}

# sentinel_master_addr: "ip port" of the master most Sentinels name (they can differ for a
# moment during a failover).
sentinel_master_addr() {
    sentinel_answers | sort | uniq -c | sort -rn | awk 'NR == 1 { print $2, $3 }' | grep .
}

# sentinel_consensus: "ip port" if at least a quorum of Sentinels answer and all name the same master.
sentinel_consensus() {
    local answers
    answers=$(sentinel_answers)
    (($(grep -c . <<<"$answers") >= SENTINEL_QUORUM)) || return 1
    [[ $(sort -u <<<"$answers" | wc -l) == 1 ]] || return 1
    head -n 1 <<<"$answers"
}

# redis_member_at <port>: which of our Redis members listens on that port.
redis_member_at() {
    case $1 in
        "$REDIS_MASTER_PORT") echo redis-master ;;
        "$REDIS_REPLICA_PORT") echo redis-replica ;;
        *) return 1 ;;
    esac
}

# --- replicas ---------------------------------------------------------------------------------

# http_status <port> <path>: HTTP status code, 000 when nothing answers.
http_status() {
    curl -s -o /dev/null -w '%{http_code}' --max-time 3 "http://127.0.0.1:$1$2" 2>/dev/null || true
}

# replica_env_value <member> <VAR>: a variable from the replica's recorded environment.
replica_env_value() {
    local f
    f=$(member_dir "$1")/env
    [[ -f $f ]] || return 1
    sed -n "s/^$2=//p" "$f" | head -n 1
}

# mask_secrets: on stdin KEY=VALUE lines; values of variables named *PASSWORD, *SECRET, *TOKEN or
# *KEY, or one of those with _PREVIOUS (a secret being rotated out), are masked (ADMIN_API_KEY_FILE
# is a path and stays visible).
mask_secrets() {
    sed -E 's/^([A-Za-z0-9_]*(PASSWORD|PASSWD|SECRET|TOKEN|KEY)(_PREVIOUS)?)=.*/\1=********/'
}
