#!/usr/bin/env bash
# make cluster-test: a real one-node SLURM cluster on this machine, a 4-job sweep through
# hydra/launcher=slurm (submitit), and a check that its sweep.parquet equals the same sweep run with
# Hydra's local launcher.
#
# As root: installs the Debian packages below where they are missing (apt-get, quietly); writes a munge
# key, slurm.conf and slurmdbd.conf into a private runtime directory (this host is controller and only
# compute node; CPUs and memory as `slurmd -C` reads them; no cgroup plugin, no systemd); starts munged,
# MariaDB (accounting store), slurmdbd, slurmctld and slurmd; waits until `sinfo` shows the node idle;
# runs the sweep; checks every job COMPLETED through `sacct`; stops every daemon and removes the runtime
# directory on any exit (trap). Sweeps, their logs and the daemons' logs stay in build/cluster-test/
# (git-ignored) for inspection; the key and the database password never leave the runtime directory.
#
# Exit status: 0 passed; 1 failed (a mismatch, a daemon that did not start, a job that failed); 77 skipped
# (not root, no apt-get, or the packages could not be installed) -- 0 instead with CLUSTER_TEST_SKIP_OK=1,
# which .ci/run sets.
# Settings (environment): PYTHON (default .venv/bin/python), CLUSTER_TEST_RUNTIME (/tmp/islandcare-cluster),
# CLUSTER_TEST_PORT (16817: slurmctld; +1 slurmd, +2 slurmdbd, +3 MariaDB on 127.0.0.1), and, to test the
# test, CLUSTER_TEST_SLURM_ARGS: extra overrides for the SLURM sweep only (words; e.g.
# "experiment.seed=1" must end in a mismatch, "hydra.launcher.setup=[false,exit]" in failed jobs).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PY=${PYTHON:-$ROOT/.venv/bin/python}
OUT=$ROOT/build/cluster-test
RT=${CLUSTER_TEST_RUNTIME:-/tmp/islandcare-cluster}
PORT=${CLUSTER_TEST_PORT:-16817}
PARTITION=islandcare
TOKEN="ISLANDCARE_CLUSTER_TEST=$RT"   # in the environment of every process this test starts (for cleanup)
DEBS=(slurm-wlm slurmdbd munge mariadb-server)
NEEDED=(munged munge unmunge slurmctld slurmd slurmdbd sbatch sinfo sacct sacctmgr scancel
        mariadbd mariadb-install-db mariadb)
SWEEP=(policy=baseline,plan2025 ++policy.boats.sijiao=1,2
       experiment.horizon_days=10 experiment.warmup_days=1 experiment.replications=1
       experiment.report=false experiment.progress=false)
JOBS=4
SLURM_LAUNCHER=(hydra/launcher=slurm hydra.launcher.partition=$PARTITION hydra.launcher.cpus_per_task=1
                hydra.launcher.mem_gb=1 hydra.launcher.timeout_min=10 hydra.launcher.array_parallelism=2)
read -r -a EXTRA <<< "${CLUSTER_TEST_SLURM_ARGS:-}"
SWEEP_TIMEOUT=900   # seconds for each sweep (the SLURM one takes about 25 s here)
T0=$SECONDS

log()  { printf '[cluster-test %3ds] %s\n' "$((SECONDS - T0))" "$*"; }
fail() { printf '[cluster-test %3ds] FAILED: %s\n' "$((SECONDS - T0))" "$*" >&2; exit 1; }
skip() {
    echo "cluster test SKIPPED: $*"
    if [ "${CLUSTER_TEST_SKIP_OK:-}" = 1 ]; then exit 0; fi
    exit 77
}
# wait_for SECONDS WHAT COMMAND...: poll COMMAND every half second until it succeeds
wait_for() {
    local limit=$1 what=$2; shift 2
    local end=$((SECONDS + limit))
    until "$@" >/dev/null 2>&1; do
        [ "$SECONDS" -lt "$end" ] || return 1
        sleep 0.5
    done
}
exec 3>&1 4>&2   # this script's output, for cleanup (which may run inside a redirected command)
# Every process this test starts carries the token, and none of the descriptors 3, 4 and the lock's (8):
# a daemon left behind by a killed run must not hold the lock (the next run stops it by the token), nor
# the caller's output pipe.
tok()     { env "$TOKEN" "$@" 3>&- 4>&- 8>&-; }
run_env() { tok SLURM_CONF="$RT/slurm.conf" "$@"; }   # a command inside this test's cluster

# ---- preconditions and packages --------------------------------------------------------------------
[ "$(uname -s)" = Linux ] || skip "SLURM needs Linux"
[ "$(id -u)" = 0 ] || skip "the daemons run as root here (run as root: sudo make cluster-test)"
[ -x "$PY" ] || fail "no $PY (run make install)"

missing() { local c; for c in "${NEEDED[@]}"; do command -v "$c" >/dev/null 2>&1 || echo "$c"; done; }
mkdir -p "$OUT"
if [ -n "$(missing)" ]; then
    command -v apt-get >/dev/null 2>&1 || skip "no apt-get to install ${DEBS[*]} (missing: $(missing | xargs))"
    log "installing Debian packages ${DEBS[*]} (log: $OUT/apt.log)"
    # Without systemd, a package's postinst would start its daemon with the system's defaults: forbid it
    # for the install (Debian's policy-rc.d), unless the machine already has a policy of its own.
    made_policy=""
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && made_policy=1
    fi
    ok=1
    { timeout 300 apt-get update -qq && DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq \
        --no-install-recommends "${DEBS[@]}"; } > "$OUT/apt.log" 2>&1 || ok=""
    [ -z "$made_policy" ] || rm -f /usr/sbin/policy-rc.d
    [ -n "$ok" ] || { tail -n 5 "$OUT/apt.log"; skip "could not install ${DEBS[*]} (see $OUT/apt.log)"; }
    [ -z "$(missing)" ] || skip "installed ${DEBS[*]}, still missing: $(missing | xargs)"
fi

# ---- one test at a time; stop what a killed earlier run left behind ---------------------------------
exec 8> "${RT%/}.lock"
if ! flock -n 8; then
    log "waiting for another cluster test to finish (lock ${RT%/}.lock)"
    flock -w 600 8 || fail "another cluster test still holds ${RT%/}.lock after 10 minutes"
fi

ours() {  # pids of processes started by this test (the token is in their environment), not this shell
    grep -lzxF "$TOKEN" /proc/[0-9]*/environ 2>/dev/null | sed -n 's|^/proc/\([0-9]*\)/environ$|\1|p' \
        | grep -vx "$$" || true
}
alive() {  # running (a zombie left to an init that does not reap counts as stopped)
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    [ "${stat%% *}" != Z ]
}
stop_all() {
    set +e
    if [ -S "$RT/run/munge.sock" ] && [ -f "$RT/run/slurmctld.pid" ]; then
        run_env timeout 15 scancel --quiet --partition="$PARTITION" >/dev/null 2>&1
    fi
    local name pid n
    for name in slurmd slurmctld slurmdbd mariadb munged; do
        pid=$(cat "$RT/run/$name.pid" 2>/dev/null) || continue
        kill -TERM "$pid" 2>/dev/null || continue
        for n in $(seq 60); do alive "$pid" || break; sleep 0.25; done
        kill -KILL "$pid" 2>/dev/null
    done
    pid=$(ours)
    if [ -n "$pid" ]; then
        # job steps (slurmstepd), leftover job processes, a daemon without a pid file
        kill -TERM $pid 2>/dev/null; sleep 1
        pid=$(ours); [ -z "$pid" ] || kill -KILL $pid 2>/dev/null
    fi
    set -e
}
stop_all
rm -rf "$RT"

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    exec 1>&3 2>&4
    stop_all
    if [ -d "$RT/log" ]; then
        rm -rf "$OUT/logs"; cp -r "$RT/log" "$OUT/logs"; cp "$RT/slurm.conf" "$OUT/logs/" 2>/dev/null
    fi
    rm -rf "$RT"
    [ -z "$(ours)" ] || echo "cluster-test: WARNING: processes still running: $(ours | xargs)" >&2
    if [ "$rc" = 0 ]; then log "daemons stopped, runtime directory removed"
    elif [ "$rc" != 77 ]; then echo "cluster-test: daemon logs in $OUT/logs" >&2; fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- configuration ------------------------------------------------------------------------------------
mkdir -p "$RT"/{run,log,state,spool,munge,db}
chmod 755 "$RT" "$RT/run"             # munged: the socket's directory must be reachable by all
chmod 700 "$RT/munge" "$RT/db"
NODE=$(hostname -s)
# slurmd -C: "NodeName=<host> CPUs=.. Boards=.. SocketsPerBoard=.. CoresPerSocket=.. ThreadsPerCore=.. RealMemory=.."
HW=$(slurmd -C | head -n 1 | sed 's/^NodeName=[^ ]* //')
case "$HW" in *CPUs=*RealMemory=*) ;; *) fail "slurmd -C did not describe this machine: $HW" ;; esac
CPUS=$(sed -n 's/.*CPUs=\([0-9]*\).*/\1/p' <<< "$HW")

if command -v mungekey >/dev/null 2>&1; then mungekey --create --keyfile="$RT/munge/munge.key"
else dd if=/dev/urandom of="$RT/munge/munge.key" bs=1024 count=1 status=none; fi
chmod 400 "$RT/munge/munge.key"
DBPASS=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')

cat > "$RT/slurm.conf" <<EOF
# Generated by scripts/cluster_test.sh: a one-node cluster for the test (see README, "Sweeps on a SLURM cluster").
ClusterName=islandcare-test
SlurmctldHost=$NODE(127.0.0.1)
SlurmctldPort=$PORT
SlurmdPort=$((PORT + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$RT/run/munge.sock
StateSaveLocation=$RT/state
SlurmdSpoolDir=$RT/spool
SlurmctldPidFile=$RT/run/slurmctld.pid
SlurmdPidFile=$RT/run/slurmd.pid
SlurmctldLogFile=$RT/log/slurmctld.log
SlurmdLogFile=$RT/log/slurmd.log
# No systemd and no cgroup plugin in a container: processes tracked through /proc, cores bound by affinity
ProctrackType=proctrack/linuxproc
TaskPlugin=task/affinity
JobAcctGatherType=jobacct_gather/linux
JobAcctGatherFrequency=5
AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=127.0.0.1
AccountingStoragePort=$((PORT + 2))
AccountingStoragePass=$RT/run/munge.sock
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
SlurmdTimeout=60
NodeName=$NODE NodeAddr=127.0.0.1 $HW State=UNKNOWN
PartitionName=$PARTITION Nodes=$NODE Default=YES MaxTime=30 State=UP
EOF
cat > "$RT/slurmdbd.conf" <<EOF
AuthType=auth/munge
AuthInfo=socket=$RT/run/munge.sock
DbdHost=localhost
DbdAddr=127.0.0.1
DbdPort=$((PORT + 2))
SlurmUser=root
PidFile=$RT/run/slurmdbd.pid
LogFile=$RT/log/slurmdbd.log
StorageType=accounting_storage/mysql
StorageHost=127.0.0.1
StoragePort=$((PORT + 3))
StorageUser=slurm
StoragePass=$DBPASS
StorageLoc=slurm_acct_db
EOF
chmod 600 "$RT/slurmdbd.conf"

# ---- daemons --------------------------------------------------------------------------------------------
log "starting munged, MariaDB, slurmdbd, slurmctld, slurmd (node $NODE: $HW; runtime $RT)"
MUNGE_OPTS=(--key-file="$RT/munge/munge.key" --socket="$RT/run/munge.sock" --pid-file="$RT/run/munged.pid"
            --log-file="$RT/log/munged.log" --seed-file="$RT/munge/munged.seed")
tok munged "${MUNGE_OPTS[@]}" || fail "munged did not start (see $RT/log/munged.log)"
munge -S "$RT/run/munge.sock" -n | unmunge -S "$RT/run/munge.sock" >/dev/null \
    || fail "munge credentials do not round-trip"

mariadb-install-db --no-defaults --datadir="$RT/db/data" --user=root --auth-root-authentication-method=socket \
    --skip-test-db > "$RT/log/mariadb-install.log" 2>&1 || fail "mariadb-install-db failed"
MYSQL=(mariadb --no-defaults --socket="$RT/run/mysql.sock" -u root)
tok setsid mariadbd --no-defaults --datadir="$RT/db/data" --socket="$RT/run/mysql.sock" --user=root \
    --bind-address=127.0.0.1 --port=$((PORT + 3)) --pid-file="$RT/run/mariadb.pid" --log-error="$RT/log/mariadb.log" \
    --skip-log-bin --innodb-buffer-pool-size=256M --innodb-lock-wait-timeout=900 </dev/null >/dev/null 2>&1 \
    3>&- 4>&- 8>&- &
wait_for 60 MariaDB "${MYSQL[@]}" -e 'select 1' || fail "MariaDB did not start (see $RT/log/mariadb.log)"
"${MYSQL[@]}" -e "CREATE USER 'slurm'@'127.0.0.1' IDENTIFIED BY '$DBPASS';
                  GRANT ALL ON slurm_acct_db.* TO 'slurm'@'127.0.0.1';"

tok SLURM_CONF="$RT/slurmdbd.conf" slurmdbd || fail "slurmdbd did not start"
wait_for 60 slurmdbd run_env sacctmgr -n list cluster || fail "slurmdbd does not answer (see $RT/log/slurmdbd.log)"
run_env slurmctld -f "$RT/slurm.conf" || fail "slurmctld did not start (see $RT/log/slurmctld.log)"
# jobs inherit slurmd's nice value (PropagatePrioProcess=0): gentle on a shared machine
run_env nice -n 10 slurmd -f "$RT/slurm.conf" -N "$NODE" || fail "slurmd did not start (see $RT/log/slurmd.log)"
node_idle() { [ "$(run_env sinfo -h -N -n "$NODE" -o %T)" = idle ]; }
wait_for 90 "node idle" node_idle \
    || fail "node $NODE not idle: $(run_env sinfo -h -N -o '%N %T %E' 2>&1) (see $RT/log/slurmd.log, slurmctld.log)"
cluster_known() { run_env sacctmgr -n -P list cluster format=cluster | grep -qx islandcare-test; }
wait_for 60 "cluster registered" cluster_known || fail "slurmctld did not register with slurmdbd"
log "cluster up: $(run_env sinfo -h -o 'partition %P, %D node(s) %T, %c CPUs, %m MB, time limit %l')"
# A job given one core sees one (what experiment.workers=0 counts), not the node's $CPUS
cores=$(cd "$ROOT" && run_env timeout 120 srun --partition="$PARTITION" --job-name=cores --cpus-per-task=1 --mem=200M \
        "$PY" -c 'from scenarios.experiment import available_cores; print(available_cores())' 2>&1) \
    || fail "srun failed: $cores"
[ "$cores" = 1 ] || fail "a job given 1 core counts $cores available (experiment.workers=0 would oversubscribe)"
log "srun --cpus-per-task=1: the job counts $cores core of the node's $CPUS (experiment.workers=0)"

# ---- the sweep through SLURM -----------------------------------------------------------------------------
rm -rf "$OUT/slurm" "$OUT/local"
cd "$ROOT"
log "SLURM sweep: python run.py -m ${SLURM_LAUNCHER[*]} ${SWEEP[*]} ${EXTRA[*]:+${EXTRA[*]} }hydra.sweep.dir=$OUT/slurm"
rc=0   # in the background, so that a signal to this script stops the sweep at once (trap, cleanup)
run_env timeout "$SWEEP_TIMEOUT" nice -n 10 "$PY" run.py -m "${SLURM_LAUNCHER[@]}" "${SWEEP[@]}" "${EXTRA[@]}" \
    hydra.sweep.dir="$OUT/slurm" > "$OUT/slurm.log" 2>&1 3>&- 4>&- 8>&- &
wait $! || rc=$?
if [ "$rc" != 0 ]; then
    tail -n 30 "$OUT/slurm.log" >&2
    run_env timeout 15 sacct -a -X -P -S 2000-01-01 -o JobID,State,ExitCode,Elapsed >&2 || true
    [ "$rc" != 124 ] || fail "the SLURM sweep did not finish in ${SWEEP_TIMEOUT}s (log: $OUT/slurm.log)"
    fail "the SLURM sweep failed with status $rc (log: $OUT/slurm.log; job logs: $OUT/slurm/.submitit/)"
fi
# Through SLURM's own records: one array job of $JOBS tasks, each COMPLETED with exit code 0. submitit
# returns once every job has written its result, which can be a moment before SLURM records the job's end.
acct() { run_env sacct -a -X -n -P -S 2000-01-01 --name=run \
             -o JobID,JobName,State,ExitCode,AllocCPUS,ReqMem,Elapsed,NodeList; }
all_completed() { [ "$(acct | awk -F'|' '$3 == "COMPLETED" && $4 == "0:0"' | wc -l)" = "$JOBS" ]; }
wait_for 60 "jobs recorded" all_completed || true
ACCT=$(acct)
{ echo "JobID|JobName|State|ExitCode|AllocCPUS|ReqMem|Elapsed|NodeList"; echo "$ACCT"; } \
    | awk -F'|' '{printf "  %-8s %-7s %-10s %-8s %-9s %-6s %-8s %s\n", $1, $2, $3, $4, $5, $6, $7, $8}'
done_jobs=$(awk -F'|' '$3 == "COMPLETED" && $4 == "0:0"' <<< "$ACCT" | wc -l)
[ "$done_jobs" = "$JOBS" ] && [ "$(wc -l <<< "$ACCT")" = "$JOBS" ] \
    || fail "SLURM's accounting shows $done_jobs of $JOBS jobs COMPLETED with exit code 0 (above)"
[ -d "$OUT/slurm/.submitit" ] || fail "no submitit folder in $OUT/slurm: the jobs did not go through submitit"
stop_all
log "SLURM sweep done; daemons stopped"

# ---- the same sweep with Hydra's local launcher, and the comparison -----------------------------------------
log "local sweep: python run.py -m ${SWEEP[*]} hydra.sweep.dir=$OUT/local"
rc=0
tok timeout "$SWEEP_TIMEOUT" nice -n 10 "$PY" run.py -m "${SWEEP[@]}" hydra.sweep.dir="$OUT/local" \
    > "$OUT/local.log" 2>&1 3>&- 4>&- 8>&- &
wait $! || rc=$?
[ "$rc" = 0 ] || { tail -n 30 "$OUT/local.log" >&2; fail "the local sweep failed with status $rc (log: $OUT/local.log)"; }
"$PY" scripts/compare_sweeps.py "$OUT/local" "$OUT/slurm" --jobs "$JOBS" \
    || fail "sweep.parquet through SLURM differs from the local launcher's (above)"
log "PASSED: the SLURM sweep equals the local one ($CPUS-CPU node, $JOBS jobs)"
