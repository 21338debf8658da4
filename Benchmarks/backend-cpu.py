#!/usr/bin/env python3
"""CPU of a command and of the PostgreSQL backends it used, for push.sh (issue 18).

    Benchmarks/backend-cpu.py POSTMASTER_PID DATABASE COMMAND...

prints one line, `wall W s, client C s, server S s (B backends, busiest X s)`: the command's wall
time, its own user+system CPU (wait4's rusage, its children included), and the summed
user+system CPU of every backend the postmaster forked while it ran for DATABASE (its
process title names it: other sessions on a shared server are left out), with the parallel
workers those backends started (an index build's). A backend's CPU is
read from /proc/PID/stat every millisecond until it exits, so the last millisecond or so
of each (its exit) is not counted. On a machine shared with other work the wall time says
more about the neighbours than the CPU figures do.
"""
import os
import sys
import time

TICK = os.sysconf("SC_CLK_TCK")


def children(postmaster):
    try:
        with open(f"/proc/{postmaster}/task/{postmaster}/children") as f:
            return {int(pid) for pid in f.read().split()}
    except OSError:
        return set()


def cpu_seconds(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICK   # utime, stime
    except (OSError, IndexError, ValueError):
        return None


def serves(pid, database, backends):
    """A backend of DATABASE, or a parallel worker (an index build's) of one."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            title = f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return False
    if "autovacuum" in title:   # the server's own, not the command's
        return False
    if f" {database} " in title:
        return True
    return any(f"parallel worker for PID {backend}" in title for backend in backends)


def main():
    postmaster, database, command = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
    before = children(postmaster)
    start = time.monotonic()
    pid = os.spawnvp(os.P_NOWAIT, command[0], command)
    seen = {}
    status = None
    while True:
        for backend in children(postmaster) - before:
            if backend not in seen and not serves(backend, database, seen):
                continue
            used = cpu_seconds(backend)
            if used is not None:
                seen[backend] = used
        if status is None:
            waited, status_code, usage = os.wait4(pid, os.WNOHANG)
            if waited:
                status, wall = status_code, time.monotonic() - start
                client = usage.ru_utime + usage.ru_stime
                ended = time.monotonic()
        # After the command, a little longer for its backends to finish exiting.
        if status is not None and (not (children(postmaster) - before) or time.monotonic() - ended > 2):
            break
        time.sleep(0.001)
    busiest = max(seen.values(), default=0)
    print(f"wall {wall:.3f} s, client {client:.3f} s, server {sum(seen.values()):.3f} s ({len(seen)} backends, busiest {busiest:.3f} s)")
    sys.exit(os.waitstatus_to_exitcode(status))


main()
