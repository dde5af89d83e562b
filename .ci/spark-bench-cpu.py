#!/usr/bin/env python3
"""CPU accounting for one run of `.ci/spark-cluster-check bench` (Linux /proc only).

Usage: spark-bench-cpu.py WORKDIR OUT.json
Samples, once a second until SIGTERM, every `java` process whose command line or working folder
names WORKDIR (the bench's single-JVM loops, spark-submit drivers, the Master, the Workers and their
executors): the CPU time of each thread (utime + stime). On SIGTERM it writes OUT.json with the CPU
seconds each role and each kind of thread used *during the sampling window* (processes alive at the
start count from their value then), the number of threads per process, and the machine's busy cores
over the window (all processes, ours and everybody else's), so that a figure taken on a shared
machine says how contended it was. A process that exits between two samples loses at most its last
second of CPU.
"""
import json
import os
import signal
import sys
import time

WORK, OUT = sys.argv[1], sys.argv[2]
HZ = os.sysconf("SC_CLK_TCK")
ME = os.getpid()


def machine():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    idle = v[3] + (v[4] if len(v) > 4 else 0)
    return sum(v[:8]) - idle, sum(v[:8])


def role(cmd):
    if "CoarseGrainedExecutorBackend" in cmd:
        return "executor"
    if "deploy.master.Master" in cmd or "deploy.worker.Worker" in cmd:
        return "daemons"
    if "SparkSubmit" in cmd:
        return "driver"
    return "single"


def kind(comm, r):
    if comm.startswith(("GC Thread", "G1 ")):
        return "gc"
    if comm.startswith(("C1 CompilerThre", "C2 CompilerThre")):
        return "jit"
    if (r == "single" and comm in ("java", "main")) or comm.startswith("Executor task"):
        # the thread that calls libtorch (the single loop's main thread keeps the launcher's name
        # "java"; in a Spark JVM that thread is the driver's or executor's main), and libtorch's
        # intra-op workers, which inherit the name of the thread that started them
        return "compute"
    if comm in ("java", "main"):
        return "main"
    return "other"


def ours():
    for p in os.listdir("/proc"):
        if not p.isdigit() or int(p) == ME:
            continue
        try:
            with open(f"/proc/{p}/comm") as f:
                if f.read().strip() != "java":
                    continue
            with open(f"/proc/{p}/cmdline", "rb") as f:
                cmd = f.read().decode("utf-8", "replace")
            cwd = os.readlink(f"/proc/{p}/cwd")
        except OSError:
            continue
        if WORK in cmd or cwd.startswith(WORK + "/"):
            yield int(p), cmd


def threads(pid):
    out = {}
    try:
        for t in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{t}/stat") as f:
                    s = f.read()
            except OSError:
                continue
            comm = s[s.index("(") + 1 : s.rindex(")")]
            f = s[s.rindex(")") + 2 :].split()
            out[int(t)] = (comm, (int(f[11]) + int(f[12])) / HZ, int(f[12]) / HZ)
    except OSError:
        pass
    return out


first = {}  # (pid, tid) -> (cpu, system cpu) at first sight, for processes alive at the start
last = {}  # (pid, tid) -> (role, kind, cpu, comm, system cpu)
nthreads = {}  # pid -> (role, max threads seen)
stop = False


def sample(initial):
    for pid, cmd in ours():
        r = role(cmd)
        ts = threads(pid)
        nthreads[pid] = (r, max(len(ts), nthreads.get(pid, (r, 0))[1]))
        for tid, (comm, cpu, sys_cpu) in ts.items():
            if initial:
                first[(pid, tid)] = (cpu, sys_cpu)
            last[(pid, tid)] = (r, kind(comm, r), cpu, comm, sys_cpu)


def on_term(*_):
    global stop
    stop = True


signal.signal(signal.SIGTERM, on_term)
busy0, total0 = machine()
t0 = time.time()
sample(True)
while not stop:
    time.sleep(1)
    sample(False)
sample(False)
busy1, total1 = machine()
wall = time.time() - t0
by_role, by_kind, by_name, sys_by_kind = {}, {}, {}, {}
for key, (r, k, cpu, comm, sys_cpu) in last.items():
    d = cpu - first.get(key, (0.0, 0.0))[0]
    by_role[r] = by_role.get(r, 0.0) + d
    if r != "daemons":
        sys_by_kind[k] = sys_by_kind.get(k, 0.0) + sys_cpu - first.get(key, (0.0, 0.0))[1]
    if r != "daemons":
        by_kind[k] = by_kind.get(k, 0.0) + d
        name = f"{r}/{comm.rstrip('0123456789#-')}"
        by_name[name] = by_name.get(name, 0.0) + d
ncpu = os.cpu_count() or 1
machine_busy = (busy1 - busy0) / max(1, total1 - total0) * ncpu
ours_cores = sum(by_role.values()) / wall if wall > 0 else 0.0
result = {
    "wall_s": round(wall, 2),
    "cpu_s": {k: round(v, 2) for k, v in sorted(by_role.items())},
    "cpu_s_by_thread_kind": {k: round(v, 2) for k, v in sorted(by_kind.items())},
    "system_cpu_s_by_thread_kind": {k: round(v, 2) for k, v in sorted(sys_by_kind.items())},
    "top_threads": [
        f"{n} {c:.1f}" for n, c in sorted(by_name.items(), key=lambda e: -e[1])[:8]
    ],
    "threads_per_process": sorted(
        [f"{r}:{n}" for r, n in nthreads.values() if r != "daemons"]
    ),
    "machine_busy_cores": round(machine_busy, 2),
    "others_busy_cores": round(max(0.0, machine_busy - ours_cores), 2),
}
tmp = OUT + ".tmp"
with open(tmp, "w") as f:
    json.dump(result, f)
os.replace(tmp, OUT)
