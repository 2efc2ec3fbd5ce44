#!/usr/bin/env bash
# A one-node Slurm cluster on loopback, for tests and local use.
#
#   scripts/slurm-local.sh start STATE_DIR   # installs slurm-wlm + munge if missing, starts munged, slurmctld, slurmd
#   scripts/slurm-local.sh stop STATE_DIR    # stops them by the pids in STATE_DIR (never by name)
#   scripts/slurm-local.sh env STATE_DIR     # prints `export SLURM_CONF=…` for the shell
#
# Everything (config, munge key and socket, state, spool, logs, pid files) lives under STATE_DIR.
set -euo pipefail

command="${1:-}"
S="${2:-}"
[ -n "$command" ] && [ -n "$S" ] || { echo "usage: $0 start|stop|env STATE_DIR" >&2; exit 2; }
mkdir -p "$S"
S="$(cd "$S" && pwd)"
SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo

install_if_missing() {
    if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
        echo "slurm-local: installing slurm-wlm and munge" >&2
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null
    fi
}

write_config() {
    local cpus mem
    cpus=$(nproc)
    mem=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 * 8 / 10 ))
    cat > "$S/slurm.conf" <<CONF
ClusterName=trellis-local
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
SlurmctldPort=16817
SlurmdPort=16818
AuthType=auth/munge
AuthInfo=socket=$S/munge/munge.socket.2
StateSaveLocation=$S/state
SlurmdSpoolDir=$S/spool
SlurmctldPidFile=$S/slurmctld.pid
SlurmdPidFile=$S/slurmd.pid
SlurmctldLogFile=$S/log/slurmctld.log
SlurmdLogFile=$S/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=1000
ReturnToService=2
MinJobAge=600
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
}

wait_pid_exit() {
    local pid=$1
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
}

stop() {
    for f in slurmd.pid slurmctld.pid munge/munged.pid; do
        if [ -f "$S/$f" ]; then
            pid=$(cat "$S/$f")
            kill -TERM "$pid" 2>/dev/null && wait_pid_exit "$pid" || true
            rm -f "$S/$f"
        fi
    done
}

start() {
    install_if_missing
    stop
    mkdir -p "$S"/{munge,state,spool,log}
    [ -f "$S/munge/munge.key" ] || head -c 1024 /dev/urandom > "$S/munge/munge.key"
    chown -R munge:munge "$S/munge"
    chmod 755 "$S/munge"; chmod 600 "$S/munge/munge.key"
    write_config
    runuser -u munge -- munged --socket="$S/munge/munge.socket.2" --key-file="$S/munge/munge.key" \
        --pid-file="$S/munge/munged.pid" --log-file="$S/munge/munged.log" --seed-file="$S/munge/munged.seed"
    export SLURM_CONF="$S/slurm.conf"
    slurmctld -f "$SLURM_CONF"
    slurmd -f "$SLURM_CONF" -N localhost
    for _ in $(seq 1 100); do
        state=$(sinfo -h -o %T 2>/dev/null | head -1 || true)
        if [ "$state" = idle ] || [ "$state" = mixed ]; then echo "slurm-local: up ($S)" >&2; return 0; fi
        sleep 0.1
    done
    echo "slurm-local: the node did not become idle; logs in $S/log" >&2
    return 1
}

case "$command" in
    start) start ;;
    stop) stop ;;
    env) echo "export SLURM_CONF=$S/slurm.conf" ;;
    *) echo "usage: $0 start|stop|env STATE_DIR" >&2; exit 2 ;;
esac
