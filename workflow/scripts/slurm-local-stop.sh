#!/usr/bin/env bash
# Stop the single-node SLURM cluster that workflow/scripts/slurm-local-start.sh started, and remove its state
# directory (REGBENCH_SLURM_STATE, default /tmp/regbench-slurm) and the /etc/slurm/slurm.conf symlink it made. Only the processes whose pids the start script
# recorded are signalled, and only if each pid still belongs to the daemon it was recorded for (a reused pid is
# left alone). Safe to run twice, or when nothing was started.
set -euo pipefail

STATE="${REGBENCH_SLURM_STATE:-/tmp/regbench-slurm}"
say() { echo "slurm-local-stop: $*" >&2; }

if [ ! -d "$STATE" ]; then
    say "nothing to stop ($STATE does not exist)"
    exit 0
fi
[ -f "$STATE/slurm.conf" ] || [ -d "$STATE/pids" ] || {
    say "ERROR: $STATE does not look like slurm-local-start.sh's state directory (no slurm.conf, no pids/): left alone"
    exit 1
}

is_daemon() {  # is_daemon PID NAME
    [ -d "/proc/$1" ] && [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ]
}

# slurmd first (it may still have job steps), then the controller, then munge (the others authenticate through it)
for name in slurmd slurmctld munged; do
    pidfile="$STATE/pids/$name.pid"
    [ -s "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    if ! is_daemon "$pid" "$name"; then
        say "$name (pid $pid) is not running"
        rm -f "$pidfile"
        continue
    fi
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 100); do is_daemon "$pid" "$name" || break; sleep 0.1; done
    if is_daemon "$pid" "$name"; then
        say "$name (pid $pid) still running 10 s after SIGTERM: SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
        for _ in $(seq 50); do is_daemon "$pid" "$name" || break; sleep 0.1; done
    fi
    is_daemon "$pid" "$name" && { say "ERROR: could not stop $name (pid $pid)"; exit 1; }
    say "stopped $name (pid $pid)"
    rm -f "$pidfile"
done
# the /etc/slurm/slurm.conf symlink the start script made (only if it still points into this state directory)
if [ -s "$STATE/etc-link" ]; then
    link=$(cat "$STATE/etc-link")
    if [ -L "$link" ] && [ "$(readlink "$link")" = "$STATE/slurm.conf" ]; then
        rm -f "$link"
        say "removed $link"
    fi
fi
rm -rf "$STATE"
say "removed $STATE"
