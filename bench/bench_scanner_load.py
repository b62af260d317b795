"""200 exhibitor phones against gunicorn on PostgreSQL, with re-sends, a killed worker or a database cut (R10).

    python bench/bench_scanner_load.py [--phones 200] [--scans 12000] [--batch 10] [--resend 0.15] [--twice 0.05]
                                       [--pause 0] [--workers 2] [--threads 4] [--kill-worker] [--restart-db [--cut-seconds 2]]
    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/mediane_bench_jobs3 (the default; emptied first)

Each phone is a thread with its own keep-alive connection and device token (tests/leads/load.py, shared with the
tests that kill and cut things). It sends its share of the scans in batches, one after the other; a batch is
sent again after its answer with probability --resend, and twice at the same moment on two connections with
probability --twice. Like scanner.js, a phone keeps a batch that got no answer, a 429, 502, 503 or 504 and sends
it again after Retry-After. --kill-worker sends kill -9 to a gunicorn worker a third of the way through;
--restart-db drops every connection between the app and PostgreSQL for --cut-seconds at the same point (a TCP
proxy between them: the machine's PostgreSQL is shared, so it is not restarted). Prints p50/p95 latency of the
answered batches, HTTP statuses (5xx by status), scans sent against scans stored, and duplicates.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchlib import fresh_app  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from app.events.models import EventStatus  # noqa: E402
from app.events.services import EventInput, create_event  # noqa: E402
from app.extensions import db  # noqa: E402
from tests.leads.load import Gunicorn, Tally, TcpProxy, populate, run_phones, stored_client_ids  # noqa: E402

DEFAULT_DATABASE = "postgresql://postgres@127.0.0.1:5432/mediane_bench_jobs3"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=200)
    parser.add_argument("--scans", type=int, default=12000)
    parser.add_argument("--batch", type=int, default=10)
    parser.add_argument("--resend", type=float, default=0.15, help="share of batches sent again after their answer")
    parser.add_argument("--twice", type=float, default=0.05, help="share of batches sent twice at the same moment")
    parser.add_argument("--pause", type=float, default=0.0,
                        help="seconds a phone waits between its batches, on average (0: as fast as answered)")
    parser.add_argument("--people", type=int, default=3000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--kill-worker", action="store_true", help="kill -9 a gunicorn worker a third of the way")
    parser.add_argument("--restart-db", action="store_true", help="cut the database a third of the way")
    parser.add_argument("--cut-seconds", type=float, default=2.0)
    args = parser.parse_args()

    os.environ.setdefault("BENCH_DATABASE_URL", DEFAULT_DATABASE)
    app = fresh_app()
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    with app.app_context():
        event = create_event(EventInput(name="Bench", slug="bench", city="Nevers", country="FR", venue="",
                                        timezone="Europe/Paris", starts_on=date(2027, 6, 2),
                                        ends_on=date(2027, 6, 4), status=EventStatus.OPEN),
                             actor_id=None)
        db.session.commit()
        tokens, codes = populate(event, args.phones, args.people)
    proxy = None
    if args.restart_db:
        proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
        url = url.set(host="127.0.0.1", port=proxy.port)
    log_dir = Path(tempfile.mkdtemp(prefix="bench-scanner-"))
    server = Gunicorn(url.render_as_string(hide_password=False), log_dir, workers=args.workers, threads=args.threads,
                      env={"DATABASE_RETRY_AFTER_SECONDS": "5"})
    tally, events = Tally(), []
    total_batches = args.scans // args.batch
    load = threading.Thread(target=run_phones, args=(server.port, tokens, codes), daemon=True,
                            kwargs={"num_scans": args.scans, "batch_size": args.batch, "resend_share": args.resend,
                                    "twice_share": args.twice, "pause": args.pause, "tally": tally})
    started = time.perf_counter()
    try:
        load.start()
        if args.kill_worker or args.restart_db:
            while tally.num_acknowledged < total_batches // 3 and load.is_alive():
                time.sleep(0.01)
            at = time.perf_counter() - started
            if args.kill_worker:
                events.append(f"kill -9 worker {server.kill_worker()} at {at:.1f} s")
            if proxy:
                proxy.cut()
                time.sleep(args.cut_seconds)
                proxy.restore()
                events.append(f"database cut for {args.cut_seconds:g} s at {at:.1f} s "
                              f"({proxy.num_dropped} connections dropped)")
        load.join(3600)
        wall = time.perf_counter() - started
    finally:
        server.stop()
        if proxy:
            proxy.close()
    with app.app_context():
        stored = stored_client_ids()
        dialect = db.engine.dialect.name
    sent = len(tally.results)
    statuses = dict(sorted(tally.statuses.items()))
    errors_5xx = {status: n for status, n in statuses.items() if status >= 500}
    doubles = tally.stored_more_than_once()
    print(f"database: {dialect}; gunicorn {args.workers} workers x {args.threads} threads; "
          f"machine: {os.cpu_count()} cores, shared")
    print(f"load: {args.phones} phones, {tally.num_scans} scans in {tally.num_batches} batches of {args.batch} "
          f"({args.resend:.0%} re-sent after the answer, {args.twice:.0%} sent twice at once, pause {args.pause:g} s) "
          f"in {wall:.1f} s: {sum(tally.statuses.values()) / wall:.1f} requests/s, {tally.num_scans / wall:.0f} scans/s")
    for line in events:
        print(f"  {line}")
    print(f"latency of answered batches: p50 {tally.percentile(0.5):.0f} ms, p95 {tally.percentile(0.95):.0f} ms, "
          f"max {max(tally.latencies_ms, default=0):.0f} ms")
    print(f"HTTP statuses: {statuses} (0 = no answer: connection reset); 5xx by status: {errors_5xx or 'none'}")
    print(f"re-sends answered: {dict(tally.resend_results)}")
    print(f"scans sent: {tally.num_scans} ({sent} answered); stored: {sum(stored.values())} rows for {len(stored)} "
          f"client ids; stored twice: {sum(1 for n in stored.values() if n > 1)}; "
          f"answered 'stored' twice: {len(doubles)}; lost: {len(set(tally.results) - set(stored))}")
    ok = (sent == tally.num_scans and set(stored) == set(tally.results) and set(stored.values()) <= {1}
          and not doubles and 500 not in statuses)
    print("every scan stored exactly once, no 500: " + ("yes" if ok else "NO"))


if __name__ == "__main__":
    main()
