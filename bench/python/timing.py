"""The timing loop every NumPy/Python twin shares: `warmup` untimed runs of job, then `runs` timed ones;
prints the one JSON line bench/python.ts reads: {"times_ms": [...], **extra}."""
import json
import time


def report(job, runs, warmup, **extra):
    for _ in range(warmup):
        job()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        job()
        times.append((time.perf_counter() - start) * 1000)
    print(json.dumps({"times_ms": times, **extra}))
