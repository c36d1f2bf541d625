#!/usr/bin/env python3
"""CPU seconds per process of a fleet benchmark (docs/performance.md, "Why convergence is still ≈2.5x the limit").

    bench/cpu-by-process.py sample LOG             # every second: utime+stime of kube-apiserver, etcd, the operator,
                                                   # the bench (until interrupted); run beside bench/fleet.sh
    bench/cpu-by-process.py sum LOG FROM TO        # CPU seconds per process between two times (HH:MM:SS, today)

The bench's JVM is the Maven process running FleetBench (its command line names ssa-limit too, as does the limit client).
"""
import collections
import datetime
import os
import sys
import time

KINDS = (("kube-apiserver", "kube-apiserver"), ("etcd --name", "etcd"), ("quarkus-run", "operator"),
         ("ssa-limit", "bench and ssa-limit"))


def sample(log):
    names = {}
    with open(log, "w") as out:
        while True:
            now = time.time()
            for pid in filter(str.isdigit, os.listdir("/proc")):
                try:
                    if pid not in names:
                        cmdline = open(f"/proc/{pid}/cmdline", "rb").read().replace(b"\0", b" ").decode(errors="replace")
                        names[pid] = next((name for key, name in KINDS if key in cmdline), None)
                    if names[pid] is None:
                        continue
                    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
                    out.write(f"{now} {pid} {fields[11]} {fields[12]} {names[pid].replace(' ', '_')}\n")
                except OSError:
                    pass  # the process ended
            out.flush()
            time.sleep(1)


def total(log, start, end):
    today = datetime.date.today().isoformat()
    t0, t1 = (datetime.datetime.fromisoformat(f"{today}T{t}").timestamp() for t in (start, end))
    first, last = {}, {}
    for line in open(log):
        at, pid, user, system, name = line.split()
        if t0 <= float(at) <= t1:
            seconds = (int(user) + int(system)) / os.sysconf("SC_CLK_TCK")
            first.setdefault((pid, name), seconds)
            last[(pid, name)] = seconds
    by_name = collections.Counter()
    for key, seconds in last.items():
        by_name[key[1]] += seconds - first[key]
    for name, seconds in by_name.most_common():
        print(f"{name.replace('_', ' '):22} {seconds:6.1f} CPU-s  {seconds / (t1 - t0):.2f} cores")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "sample":
        sample(sys.argv[2])
    elif len(sys.argv) == 5 and sys.argv[1] == "sum":
        total(*sys.argv[2:])
    else:
        sys.exit(__doc__)
