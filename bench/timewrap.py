"""The timing wrapper: the server's pre-receive hook during the benchmark.

    python3 -S timewrap.py LOG HOOK [ARGS...]

Runs HOOK with the hook's own standard input, output and environment (so it
sees git's quarantine), and appends one line to LOG:

    <wall time in ns> <peak RSS in KiB> <exit status> <CPU time in ns>

The clock starts just before the hook process is spawned and stops when it
has been reaped, so the time is what git waits for the hook, spawn included;
the wrapper's own start-up (Python) is outside it. The peak RSS comes from
wait4(2): the hook process itself (for evalgate, its shim `exec`s the binary
in the same process) and any children it waited for. The CPU time (user +
system, from the same wait4) covers the hook and its children and leaves out
time spent waiting for a core, so it is steadier on a busy machine. Exits
with the hook's status, so git accepts or rejects the push as the hook
decided.
"""

import os
import sys
import time

log, hook = sys.argv[1], sys.argv[2:]
start = time.perf_counter_ns()
pid = os.posix_spawn(hook[0], hook, os.environ)
_, status, usage = os.wait4(pid, 0)
elapsed = time.perf_counter_ns() - start
code = os.waitstatus_to_exitcode(status)
with open(log, "a") as f:
    cpu = round((usage.ru_utime + usage.ru_stime) * 1e9)
    f.write(f"{elapsed} {usage.ru_maxrss} {code} {cpu}\n")
sys.exit(code if code >= 0 else 128 - code)
