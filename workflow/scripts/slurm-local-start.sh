#!/usr/bin/env bash
# Start a single-node SLURM cluster on this machine, on 127.0.0.1, to try the cluster profile
# (workflow/profiles/slurm) or to test it (tests/workflow/test_slurm.py):
#
#   workflow/scripts/slurm-local-start.sh        # installs slurm-wlm + munge (apt-get) when missing and root
#   snakemake --profile workflow/profiles/slurm --configfile config/<study>.yaml
#   workflow/scripts/slurm-local-stop.sh
#
# Everything lives in the state directory (REGBENCH_SLURM_STATE, default /tmp/regbench-slurm): munge key and
# socket, slurm.conf, spool and state directories, logs, and the pid of each daemon this script started. One file
# outside it: /etc/slurm/slurm.conf, a symlink to the state's slurm.conf, made only where no SLURM configuration
# exists (the script refuses to run on a machine that has one). It is needed because SLURM's commands inside a job
# must find the configuration at the default path: snakemake-executor-plugin-slurm-jobstep (0.6) removes every
# SLURM_* variable, SLURM_CONF included, before its `srun` ("srun: fatal: Could not establish a configuration
# source" otherwise). No systemd unit is used. Safe to run twice: a cluster started by this script that still
# answers is left as it is; a half-dead one is stopped (by its recorded pids) and started again.
#
# Settings (environment): REGBENCH_SLURM_STATE, REGBENCH_SLURM_CTLD_PORT (16817), REGBENCH_SLURM_SLURMD_PORT
# (16818), REGBENCH_SLURM_TIMEOUT (seconds to wait for the node to be idle, 60). Ports off SLURM's defaults
# (6817/6818) so that a real SLURM on the same machine is not disturbed.
set -euo pipefail

STATE="${REGBENCH_SLURM_STATE:-/tmp/regbench-slurm}"
CTLD_PORT="${REGBENCH_SLURM_CTLD_PORT:-16817}"
SLURMD_PORT="${REGBENCH_SLURM_SLURMD_PORT:-16818}"
TIMEOUT="${REGBENCH_SLURM_TIMEOUT:-60}"
DAEMONS=(munged slurmctld slurmd)
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

say() { echo "slurm-local-start: $*" >&2; }
die() { say "ERROR: $*"; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# ---- 1. the Debian packages
need=()
command -v munged >/dev/null 2>&1 || [ -x /usr/sbin/munged ] || need+=(munge)
for exe in slurmctld slurmd sinfo; do
    command -v "$exe" >/dev/null 2>&1 || [ -x "/usr/sbin/$exe" ] || { need+=(slurm-wlm); break; }
done
if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        die "missing ${need[*]}: install them as root with 'apt-get install -y slurm-wlm munge' (this script does it when run as root on Debian)"
    fi
    say "installing ${need[*]} with apt-get"
    t0=$(now)
    # The packages' maintainer scripts would start system-wide munge/slurm daemons (invoke-rc.d): forbid that for
    # the install (policy-rc.d exit 101), so that the only daemons running are the ones started below.
    policy=/usr/sbin/policy-rc.d
    own_policy=0
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && own_policy=1
    fi
    rc=0
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        slurm-wlm munge >/dev/null; } || rc=$?
    [ "$own_policy" = 1 ] && rm -f "$policy"
    [ "$rc" = 0 ] || die "apt-get install slurm-wlm munge failed (exit $rc)"
    say "apt-get install took $(since "$t0") s"
fi
export PATH="/usr/sbin:/sbin:$PATH"

# ---- 2. already running? (idempotent)
alive() {  # alive NAME: the recorded pid exists and is that daemon
    local pidfile="$STATE/pids/$1.pid" pid
    [ -s "$pidfile" ] || return 1
    pid=$(cat "$pidfile")
    [ -d "/proc/$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$1" ]
}
if [ -f "$STATE/slurm.conf" ]; then
    n_alive=0
    for d in "${DAEMONS[@]}"; do alive "$d" && n_alive=$((n_alive + 1)); done
    if [ "$n_alive" = ${#DAEMONS[@]} ] && SLURM_CONF="$STATE/slurm.conf" sinfo -h >/dev/null 2>&1; then
        say "already running (state in $STATE); nothing to do"
        exit 0
    fi
    say "found a stopped or half-running cluster in $STATE: stopping it first"
    REGBENCH_SLURM_STATE="$STATE" "$HERE/slurm-local-stop.sh"
fi

t0=$(now)
mkdir -p "$STATE"/{munge,pids,log,ctld,spool}
chmod 700 "$STATE/munge"

# ---- 3. munge: a key of our own, a socket in the state directory
KEY="$STATE/munge/munge.key"
if [ ! -s "$KEY" ]; then
    if command -v mungekey >/dev/null 2>&1; then mungekey --create --keyfile="$KEY" --force >/dev/null
    else dd if=/dev/urandom of="$KEY" bs=1 count=1024 status=none; fi
fi
chmod 400 "$KEY"
SOCKET="$STATE/munge/munge.socket"

# ---- 4. slurm.conf: this machine's CPUs and memory, as slurmd itself detects them
HOST="$(hostname -s)"
hw="$(slurmd -C | head -1)"
field() { echo "$hw" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
CPUS=$(field CPUs); SOCKETS=$(field SocketsPerBoard); CORES=$(field CoresPerSocket)
THREADS=$(field ThreadsPerCore); MEM=$(field RealMemory)
[ -n "$CPUS" ] && [ -n "$MEM" ] || die "could not read CPUs and RealMemory from 'slurmd -C' (got: $hw)"
cat >"$STATE/slurm.conf" <<EOF
# Written by workflow/scripts/slurm-local-start.sh: a single-node cluster on 127.0.0.1 (state in $STATE).
ClusterName=regbench-local
SlurmctldHost=$HOST(127.0.0.1)
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
# daemons listen on 127.0.0.1 only (the addresses above and NodeAddr), not on every interface
CommunicationParameters=NoCtldInAddrAny,NoInAddrAny
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$SOCKET
CredType=cred/munge
StateSaveLocation=$STATE/ctld
SlurmdSpoolDir=$STATE/spool
SlurmctldPidFile=$STATE/log/slurmctld.pidfile
SlurmdPidFile=$STATE/log/slurmd.pidfile
SlurmctldLogFile=$STATE/log/slurmctld.log
SlurmdLogFile=$STATE/log/slurmd.log
# no cgroups (containers, no systemd): plain process tracking, no task binding
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SwitchType=switch/none
# no slurmdbd: no accounting, so sacct has nothing; the profile polls with squeue
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
# finished jobs stay visible to squeue for 300 s: snakemake-executor-plugin-slurm's squeue status polling needs
# >= 15 s (below that it falls back to sacct, which fails without accounting)
MinJobAge=300
ReturnToService=2
SlurmctldTimeout=30
SlurmdTimeout=60
InactiveLimit=0
KillWait=10
Waittime=0
NodeName=$HOST NodeAddr=127.0.0.1 NodeHostname=$HOST CPUs=$CPUS SocketsPerBoard=$SOCKETS CoresPerSocket=$CORES ThreadsPerCore=$THREADS RealMemory=$MEM State=UNKNOWN
PartitionName=local Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$STATE/slurm.conf"
ETC_CONF=/etc/slurm/slurm.conf
if [ -L "$ETC_CONF" ] && [ "$(readlink "$ETC_CONF")" = "$SLURM_CONF" ]; then
    :  # ours, from an earlier start
elif [ -e "$ETC_CONF" ] || [ -L "$ETC_CONF" ]; then
    die "$ETC_CONF already exists: this machine has a SLURM configuration of its own; use that cluster instead of a local one (nothing was started)"
else
    mkdir -p /etc/slurm
    ln -s "$SLURM_CONF" "$ETC_CONF"
    echo "$ETC_CONF" >"$STATE/etc-link"  # for the stop script: remove it
fi

# ---- 5. the daemons, in the foreground of their own sessions; $! is the daemon's own pid (recorded, checked)
start() {  # start NAME COMMAND...
    local name=$1; shift
    setsid "$@" </dev/null >"$STATE/log/$name.out" 2>&1 &
    local pid=$!
    echo "$pid" >"$STATE/pids/$name.pid"
    sleep 0.3
    alive "$name" || die "$name did not start (exit: $(wait "$pid" 2>/dev/null; echo $?)); its output:
$(tail -20 "$STATE/log/$name.out" 2>/dev/null)
$(tail -20 "$STATE/log/$name.log" 2>/dev/null)"
}
start munged munged --foreground --force --socket="$SOCKET" --key-file="$KEY" \
    --pid-file="$STATE/log/munged.pidfile" --log-file="$STATE/log/munged.log" --seed-file="$STATE/munge/munge.seed"
for _ in $(seq 50); do [ -S "$SOCKET" ] && break; sleep 0.1; done
[ -S "$SOCKET" ] || die "munged did not create its socket $SOCKET; see $STATE/log/munged.log"
start slurmctld slurmctld -D -i -f "$SLURM_CONF"
start slurmd slurmd -D -f "$SLURM_CONF" -N "$HOST"

# ---- 6. wait until the node is idle
deadline=$(( $(date +%s) + TIMEOUT ))
state=""
while :; do
    state="$(sinfo -h -N -n "$HOST" -o '%T' 2>/dev/null | head -1 || true)"
    [ "$state" = idle ] && break
    for d in "${DAEMONS[@]}"; do
        alive "$d" || die "$d exited while waiting for the node; see $STATE/log/$d.log and $STATE/log/$d.out"
    done
    if [ "$(date +%s)" -ge "$deadline" ]; then
        die "node $HOST not idle after ${TIMEOUT} s (sinfo says: '${state:-no answer}'); logs in $STATE/log:
$(tail -5 "$STATE/log/slurmctld.log" 2>/dev/null)
$(tail -5 "$STATE/log/slurmd.log" 2>/dev/null)"
    fi
    sleep 0.5
done
say "node $HOST idle ($CPUS CPUs, $MEM MB, partition 'local') after $(since "$t0") s; state in $STATE"
