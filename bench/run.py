"""Cognate's benchmarks: a real `cognate serve` (and Node's oidc-provider as the peer) under a loopback load.

    .venv/bin/python bench/run.py [--workloads 1,2,3,4,5,6,7] [--duration 10] [--concurrency 16] [--repeat 3]
                                  [--database sqlite|postgresql] [--peer/--no-peer] [--baseline/--no-baseline]
                                  [--growth-sizes 1000,100000]

Prints, per workload, operations per second, p50/p99 latency, operations per server CPU-second (utime+stime of
the server's processes from /proc, sampled before and after; with --database postgresql the local PostgreSQL
processes' CPU is added, since the database does part of the work, after waiting for autovacuum to finish what the
previous workload left) and peak RSS (VmHWM, reset before each workload),
then the Cognate/peer ratios (and, for workload 1, Cognate/baseline: bench/baseline_app.py, bare uvicorn and one
RSA signature per request, the ceiling of any Python server here); writes the same as JSON under bench/results/.
Never part of the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path
from typing import Any

import _procs as procs
from _growth import GrowthTarget, run_growth
from _http import Connection, HttpError, drive
from _setup import Fixture, prepare
from _workloads import (
    PEER_SECRET,
    Workload,
    baseline_operation,
    cognate_workloads,
    hosted_ui_sign_in,
    initiate_auth_once,
    peer_workloads,
)
from _workloads import probe as probe_workload

from cognate.settings import load_settings

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PEER_DIR = ROOT / "bench" / "peer"
COGNATE = str(ROOT / ".venv" / "bin" / "cognate")
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
STARTS = 3
# All load comes from one loopback address: the limits stay on (their counters cost what they cost in production)
# but so high that they never refuse.
NEVER_LIMITED = "100000000/minute"
MAX_OPS_PER_SECOND = 20_000  # the operation budget of one workload is duration x this
COMPARED = {"1", "4a", "4b"}  # the workloads with a peer figure: measured `--repeat` times, median reported


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--workloads", default="1,2,3,4,5,6,7", help="comma-separated: 1..7")
    p.add_argument("--duration", type=float, default=10.0, help="seconds of measured load per workload")
    p.add_argument("--concurrency", type=int, default=16, help="concurrent keep-alive connections")
    p.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    p.add_argument("--repeat", type=int, default=3,
                   help="measured runs of workloads 1, 4a, 4b per server (the median is reported): the peer's "
                        "figure varies by up to a fifth between single runs here")
    p.add_argument("--peer", action=argparse.BooleanOptionalAction, default=True,
                   help="also run workloads 1, 4, 6 against Node's oidc-provider (needs node + npm)")
    p.add_argument("--baseline", action=argparse.BooleanOptionalAction, default=True,
                   help="also run workload 1 against bench/baseline_app.py (bare uvicorn + one RSA signature)")
    p.add_argument("--growth-sizes", default="1000,100000,1000000", help="pool sizes for workload 7")
    p.add_argument("--py-spy", metavar="DIR", type=Path, default=None,
                   help="record a py-spy profile (collapsed stacks) of the server during each Cognate workload; "
                        "the numbers of such a run are disturbed by the sampling")
    args = p.parse_args(argv)
    args.workloads = {w.strip() for w in args.workloads.split(",") if w.strip()}
    args.growth_sizes = [int(s) for s in args.growth_sizes.split(",") if s.strip()]
    if not 1 <= args.concurrency <= 256 or not 0.5 <= args.duration <= 600 or not 1 <= args.repeat <= 9:
        p.error("--concurrency must be 1..256, --duration 0.5..600 and --repeat 1..9")
    return args


# --------------------------------------------------------------------------------------------- measuring


async def measure(server: procs.Server, workload: Workload, args: argparse.Namespace) -> dict[str, Any]:
    """Warm up, then measured closed-loop runs (`--repeat` of them for the workloads compared with the peer) with
    CPU and peak-memory accounting around each; the run with the median operations per CPU-second is reported."""
    if server.name == "cognate" and args.database == "postgresql":
        await procs.settle_postgres(PG_ADMIN)
    warm = min(2.0, args.duration / 4)
    await drive("127.0.0.1", server.port, workload.operation, concurrency=args.concurrency, duration=warm,
                max_operations=int(warm * MAX_OPS_PER_SECOND))
    repeat = args.repeat if workload.key in COMPARED else 1
    rows = [await _measured_run(server, workload, args) for _ in range(repeat)]
    row = sorted(rows, key=lambda r: r["per_cpu_second"] or 0.0)[len(rows) // 2]
    if repeat > 1:
        row["per_cpu_second_all"] = [r["per_cpu_second"] for r in rows]
    print(f"  {server.name:8} {workload.key:3} {row['per_second']:>9} /s  p50 {row['p50_ms']:>8} ms  "
          f"p99 {row['p99_ms']:>8} ms  {row['per_cpu_second']} per CPU-s  peak {row['peak_rss_mb']} MB"
          + (f"  (runs: {row['per_cpu_second_all']})" if repeat > 1 else "")
          + (f"  errors {row['errors']}: {row.get('first_error')}" if row["errors"] else ""), flush=True)
    return row


async def _measured_run(server: procs.Server, workload: Workload, args: argparse.Namespace) -> dict[str, Any]:
    procs.reset_peak(server.pid)
    spy = _start_py_spy(server, workload, args)
    with_db = server.name == "cognate" and args.database == "postgresql"
    db0 = procs.postgres_cpu_seconds() if with_db else 0.0
    cpu0 = procs.cpu_seconds(server.pid)
    result = await drive("127.0.0.1", server.port, workload.operation, concurrency=args.concurrency,
                         duration=args.duration, max_operations=int(args.duration * MAX_OPS_PER_SECOND))
    cpu = procs.cpu_seconds(server.pid) - cpu0
    db_cpu = procs.postgres_cpu_seconds() - db0 if with_db else 0.0
    cpu += db_cpu
    if spy is not None:
        spy.wait(args.duration + 30)
    row = {"workload": workload.key, "name": workload.name, "server": server.name, "unit": workload.per_op,
           "operations": result.operations, "errors": result.errors, "seconds": round(result.seconds, 2),
           "per_second": round(result.per_second, 1), "p50_ms": round(result.percentile(50), 2),
           "p99_ms": round(result.percentile(99), 2), "server_cpu_s": round(cpu, 2),
           "of_which_postgresql_cpu_s": round(db_cpu, 2),
           "per_cpu_second": round(result.operations / cpu, 1) if cpu > 0 else None,
           "cpu_utilisation": round(cpu / result.seconds, 2) if result.seconds else None,
           "peak_rss_mb": round(procs.peak_rss_mb(server.pid), 1)}
    if result.first_error:
        row["first_error"] = result.first_error
    return row


def _start_py_spy(server: procs.Server, workload: Workload, args: argparse.Namespace
                  ) -> subprocess.Popen[bytes] | None:
    if args.py_spy is None or server.name != "cognate":
        return None
    args.py_spy.mkdir(parents=True, exist_ok=True)
    spy = shutil.which("py-spy") or str(ROOT / ".venv" / "bin" / "py-spy")
    out = args.py_spy / f"w{workload.key}.txt"
    return subprocess.Popen([spy, "record", "--pid", str(server.pid), "--duration", str(int(args.duration)),
                             "--format", "raw", "--nonblocking", "--rate", "200", "-o", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


async def startup(name: str, start: Callable[[], procs.Server], path: str) -> dict[str, Any]:
    """Workload 6: spawn to first 200 on discovery, then the resident memory after 2 idle seconds (median of 3)."""
    times, rss = [], []
    for _ in range(STARTS):
        server = start()
        try:
            times.append(await procs.wait_for_200(server, path))
            await asyncio.sleep(2)
            rss.append(procs.rss_mb(server.pid))
        finally:
            server.stop()
    row = {"workload": "6", "name": "start-up: spawn to first 200 on discovery; idle RSS", "server": name,
           "start_ms": round(statistics.median(times) * 1000), "start_ms_all": [round(t * 1000) for t in times],
           "idle_rss_mb": round(statistics.median(rss), 1)}
    print(f"  {name:8} 6   start {row['start_ms']} ms {row['start_ms_all']}  idle RSS {row['idle_rss_mb']} MB",
          flush=True)
    return row


# --------------------------------------------------------------------------------------------- Cognate


class CognateRun:
    def __init__(self, args: argparse.Namespace, work: Path, database_url: str | None) -> None:
        self.args, self.work, self.database_url = args, work, database_url
        self.data_dir = work / "data"
        self.admin = ("AKCGBENCH" + secrets.token_hex(6).upper(), secrets.token_urlsafe(30))

    def env(self, port: int) -> dict[str, str]:
        # PYTHONDONTWRITEBYTECODE (set on some CI machines) would make every start compile Cognate's ~150 modules
        # from source (~150 ms); an installed package runs from its bytecode cache, so the server gets one.
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("COGNATE_") and k != "PYTHONDONTWRITEBYTECODE"}
        env.update(COGNATE_DATA_DIR=str(self.data_dir), COGNATE_HOST="127.0.0.1", COGNATE_PORT=str(port),
                   COGNATE_ADMIN_ACCESS_KEY_ID=self.admin[0], COGNATE_ADMIN_SECRET_ACCESS_KEY=self.admin[1],
                   COGNATE_RATE_LIMIT_PER_IP=NEVER_LIMITED, COGNATE_RATE_LIMIT_PER_CLIENT=NEVER_LIMITED,
                   COGNATE_RATE_LIMIT_FAILURES_PER_IP=NEVER_LIMITED)
        if self.database_url:
            env["COGNATE_DATABASE_URL"] = self.database_url
        return env

    def start(self) -> procs.Server:
        port = procs.free_port()
        return procs.spawn("cognate", [COGNATE, "serve"], env=self.env(port), port=port, log=self.work / "serve.log")

    def cli(self) -> list[str]:
        argv = [COGNATE, "--data-dir", str(self.data_dir)]
        return argv + (["--database-url", self.database_url] if self.database_url else [])

    async def fixture(self) -> Fixture:
        settings = load_settings(data_dir=self.data_dir, database_url=self.database_url)
        return await prepare(settings)


async def refresh_tokens(port: int, fx: Fixture, hosted_ui: bool, count: int = 8) -> list[str]:
    conn = Connection("127.0.0.1", port)
    tokens: list[str] = []
    try:
        for i in range(count):
            if hosted_ui:
                found = (await hosted_ui_sign_in(conn, fx, f"user{i}")).get("refresh_token")
            else:
                response = await initiate_auth_once(conn, fx.web_client_id, f"user{i}", fx.password)
                found = json.loads(response.body)["AuthenticationResult"].get("RefreshToken")
            if isinstance(found, str):
                tokens.append(found)
    finally:
        await conn.close()
    return tokens


async def run_cognate(args: argparse.Namespace, run: CognateRun, report: dict[str, Any]) -> None:
    fx = await run.fixture()
    server = run.start()
    try:
        await procs.wait_for_200(server, "/health")
        conn = Connection("127.0.0.1", server.port)
        skipped = {key: await probe_workload(conn, key, fx) for key in ("1", "2", "3", "5")}
        await conn.close()
        tokens: list[str] = []
        if "3" in args.workloads and skipped["3"] is None:
            tokens = await refresh_tokens(server.port, fx, hosted_ui=True)
        elif "3" in args.workloads and skipped["5"] is None:
            tokens = await refresh_tokens(server.port, fx, hosted_ui=False)
            skipped["3"] = None
        if "3" in args.workloads and not tokens:
            skipped["3"] = skipped["3"] or "skipped: no refresh token could be obtained"
        for workload in cognate_workloads(fx, tokens).values():
            if workload.key.rstrip("ab") not in args.workloads:
                continue
            why = skipped.get(workload.key)
            if why:
                print(f"  cognate  {workload.key:3} {why}", flush=True)
                report["skipped"][workload.key] = why
                continue
            report["rows"].append(await measure(server, workload, args))
        if "7" in args.workloads:
            target = GrowthTarget(run.cli(), server.port, fx.growth_pool_id, fx.growth_client_id, fx.password,
                                  run.admin, initiate_auth=skipped["5"] is None,
                                  postgres_dsn=run.database_url.replace("+asyncpg", "") if run.database_url else None)
            report["growth"] = await run_growth(target, args.growth_sizes)
    finally:
        server.stop()
    if "6" in args.workloads:
        report["rows"].append(await startup("cognate", run.start, f"/{fx.pool_id}/.well-known/openid-configuration"))


# --------------------------------------------------------------------------------------------- the peer


def install_peer(scratch: Path) -> str:
    for name in ("package.json", "server.mjs"):
        shutil.copy(PEER_DIR / name, scratch / name)
    version = json.loads((PEER_DIR / "package.json").read_text())["dependencies"]["oidc-provider"]
    subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--loglevel=error", f"oidc-provider@{version}"],
                   cwd=scratch, check=True, timeout=600, stdout=subprocess.DEVNULL)
    return str(version)


async def run_peer(args: argparse.Namespace, report: dict[str, Any]) -> None:
    if not shutil.which("node") or not shutil.which("npm"):
        report["skipped"]["peer"] = "skipped: node/npm not installed"
        return
    with tempfile.TemporaryDirectory(prefix="cognate-bench-peer-") as tmp:
        scratch = Path(tmp)
        report["peer"] = {"name": "oidc-provider", "version": install_peer(scratch),
                          "node": subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()}

        def start() -> procs.Server:
            port = procs.free_port()
            env = {**os.environ, "PORT": str(port), "CLIENT_SECRET": PEER_SECRET, "NODE_ENV": "production"}
            return procs.spawn("peer", ["node", "server.mjs"], env=env, port=port, log=scratch / "peer.log",
                               cwd=scratch)

        server = start()
        try:
            await procs.wait_for_200(server, "/.well-known/openid-configuration")
            for workload in peer_workloads().values():
                if workload.key.rstrip("ab") in args.workloads:
                    report["rows"].append(await measure(server, workload, args))
        finally:
            server.stop()
        if "6" in args.workloads:
            report["rows"].append(await startup("peer", start, "/.well-known/openid-configuration"))


# --------------------------------------------------------------------------------------------- the baseline


async def run_baseline(args: argparse.Namespace, report: dict[str, Any], work: Path) -> None:
    """Workload 1 against the Python ceiling (bench/baseline_app.py) under the uvicorn options `cognate serve`
    uses; the same request as Cognate's, answered without any of Cognate's work but the signature."""
    port = procs.free_port()
    argv = [sys.executable, "-m", "uvicorn", "baseline_app:app", "--app-dir", str(ROOT / "bench"), "--host",
            "127.0.0.1", "--port", str(port), "--loop", "uvloop", "--http", "httptools", "--no-access-log",
            "--log-level", "warning", "--no-server-header"]
    server = procs.spawn("baseline", argv, env=dict(os.environ), port=port, log=work / "baseline.log")
    try:
        await procs.wait_for_200(server, "/")
        token = Workload("1", "client_credentials token (RS256 JWT)", baseline_operation())
        report["rows"].append(await measure(server, token, args))
    finally:
        server.stop()


# --------------------------------------------------------------------------------------------- report


def ratios(rows: list[dict[str, Any]], other: str = "peer") -> list[dict[str, Any]]:
    """Cognate/other per workload: per server CPU-second and per second; start-up and idle RSS as other/Cognate
    would read "higher is better", so they are given plainly as Cognate/other (lower is better)."""
    by = {(r["server"], r["workload"]): r for r in rows}
    out = []
    for (server, key), mine in by.items():
        peer = by.get((other, key))
        if server != "cognate" or peer is None:
            continue
        if key == "6":
            out.append({"workload": key, "start_ms": round(mine["start_ms"] / peer["start_ms"], 2),
                        "idle_rss_mb": round(mine["idle_rss_mb"] / peer["idle_rss_mb"], 2)})
        elif mine.get("per_cpu_second") and peer.get("per_cpu_second"):
            out.append({"workload": key, "per_cpu_second": round(mine["per_cpu_second"] / peer["per_cpu_second"], 2),
                        "per_second": round(mine["per_second"] / peer["per_second"], 2)})
    return sorted(out, key=lambda r: r["workload"])


def print_report(report: dict[str, Any]) -> None:
    print("\n| server | workload | per second | p50 ms | p99 ms | per server CPU-s | peak RSS MB | errors |")
    print("|---|---|---|---|---|---|---|---|")
    for r in report["rows"]:
        if r["workload"] == "6":
            print(f"| {r['server']} | 6 start-up | start {r['start_ms']} ms | | | | idle {r['idle_rss_mb']} | |")
        else:
            print(f"| {r['server']} | {r['workload']} {r['name']} | {r['per_second']} | {r['p50_ms']} | "
                  f"{r['p99_ms']} | {r['per_cpu_second']} | {r['peak_rss_mb']} | {r['errors']} |")
    for key, why in sorted(report["skipped"].items()):
        print(f"| cognate | {key} | {why} | | | | | |")
    if report["ratios"]:
        print("\nCognate/peer: " + "; ".join(
            f"{r['workload']}: " + ", ".join(f"{k} {v}x" for k, v in r.items() if k != "workload")
            for r in report["ratios"]))
    for r in report.get("baseline_ratios", []):
        print(f"Cognate/baseline (bare uvicorn + one RSA-2048 signature): {r['workload']}: per_cpu_second "
              f"{r['per_cpu_second']}x")
    for g in report.get("growth", []):
        print(f"growth {g['users']:>9,}: seed {g['seed_seconds']} s; sign-in {g['sign_in']}; "
              f"ListUsers prefix {g['list_prefix']}; exact {g['list_exact']}")


@contextlib.asynccontextmanager
async def database(kind: str, work: Path) -> AsyncIterator[str | None]:
    if kind == "sqlite":
        yield None
        return
    name = "cognate_bench_" + secrets.token_hex(4)
    await procs.create_pg_database(PG_ADMIN, name)
    try:
        yield f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
    finally:
        await procs.drop_pg_database(PG_ADMIN, name)


async def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    args = parse_args(argv)
    report: dict[str, Any] = {
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "database": args.database,
        "duration": args.duration, "concurrency": args.concurrency, "cpus": os.cpu_count(),
        "load_generator": "raw asyncio streams, HTTP/1.1 keep-alive (bench/_http.py)", "python": sys.version.split()[0],
        "rate_limits": f"per IP, per client and failures per IP {NEVER_LIMITED} (counted, never refusing)",
        "command": " ".join(["bench/run.py", *(argv if argv is not None else sys.argv[1:])]),
        "rows": [], "skipped": {}}
    with tempfile.TemporaryDirectory(prefix="cognate-bench-") as tmp:
        work = Path(tmp)
        async with database(args.database, work) as url:
            await run_cognate(args, CognateRun(args, work, url), report)
        if args.baseline and "1" in args.workloads:
            await run_baseline(args, report, work)
    if args.peer and args.workloads & {"1", "4", "6"}:
        await run_peer(args, report)
    report["ratios"] = ratios(report["rows"])
    report["baseline_ratios"] = ratios(report["rows"], "baseline")
    print_report(report)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{dt.datetime.now().strftime('%Y%m%d-%H%M%S')}-{args.database}.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwritten {out.relative_to(ROOT)}")
    return report


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except (HttpError, RuntimeError, subprocess.CalledProcessError) as exc:
        sys.exit(f"bench: {exc}")
