"""Load-test lead scanning over loopback against a real server: 150 devices at 50 scans/s, then a 3,000-scan batch.

    python bench/bench_leads.py [--devices 150] [--rate 50] [--seconds 30] [--batch 3000]
                                [--server gunicorn|werkzeug] [--workers 2] [--threads 16]

Uses a fresh SQLite file, or the database in BENCH_DATABASE_URL (it is emptied first). The server runs in
its own process(es) on 127.0.0.1; the devices are client threads, each with its own keep-alive connection and
bearer token. One scan in ten is sent again with the same client id (a retry after a lost answer): it must
come back as a duplicate, and the database must hold each client id once. Prints p50/p95/max latency,
errors and duplicates, and the time of the batch upload and of its replay.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import date, datetime, timezone
from pathlib import Path

from benchlib import fresh_app
from sqlalchemy import func, select

from app.badging.models import BadgeToken
from app.events.models import CategoryCode, EventStatus
from app.events.services import EventInput, create_event
from app.extensions import db
from app.leads.models import Device, Lead, Scan, new_device_token, secret_hash
from app.people.models import Organisation, OrganisationKind, Person
from app.registrations.models import Registration, RegistrationStatus

ROOT = Path(__file__).resolve().parents[1]


def populate(app, num_devices: int, num_people: int) -> tuple[list[str], list[str]]:
    """An edition with `num_devices` startups (one device each) and `num_people` badge holders: (tokens, codes)."""
    with app.app_context():
        event = create_event(EventInput(name="Bench", slug="bench", city="Nevers", country="FR", venue="",
                                        timezone="Europe/Paris", starts_on=date(2027, 6, 2), ends_on=date(2027, 6, 4),
                                        status=EventStatus.OPEN), actor_id=None)
        startup = event.category(CategoryCode.STARTUP.value)
        visitor = event.category(CategoryCode.VISITEUR.value)
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        stands = []
        for n in range(num_devices):
            organisation = Organisation(name=f"Startup {n}", kind=OrganisationKind.STARTUP)
            person = Person(email=f"founder{n}@bench.org", first_name="Fondatrice", last_name=f"N{n}")
            stands.append(Registration(event=event, person=person, category=startup, organisation=organisation,
                                       status=RegistrationStatus.CONFIRMED, confirmed_at=now, days=["2027-06-02"]))
        db.session.add_all(stands)
        people = []
        for n in range(num_people):
            person = Person(email=f"visitor{n}@bench.org", first_name=f"Prénom{n}", last_name=f"Nom{n}",
                            phone="+33 1 00 00 00 00")
            people.append(Registration(event=event, person=person, category=visitor, status=RegistrationStatus.CONFIRMED,
                                       confirmed_at=now, consent_share_contact=n % 2 == 0, days=["2027-06-02"]))
        db.session.add_all(people)
        db.session.flush()
        badges = [BadgeToken(registration_id=r.id) for r in people]
        db.session.add_all(badges)
        tokens = [new_device_token() for _ in stands]
        db.session.add_all([Device(event_id=event.id, stand_id=stand.id, name=f"Device {n}", token_hash=secret_hash(t))
                            for n, (stand, t) in enumerate(zip(stands, tokens, strict=True))])
        db.session.commit()
        return tokens, [b.token for b in badges]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(url: str, kind: str, workers: int, threads: int,
                 extra_env: dict[str, str] | None = None) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "MEDIANE_CONFIG": "development",
           "MEDIANE_INSTANCE": tempfile.mkdtemp(), "LEADS_DEVICE_REQUESTS_PER_MINUTE": "100000", **(extra_env or {})}
    if kind == "gunicorn":
        command = [sys.executable, "-m", "gunicorn", "-w", str(workers), "-k", "gthread", "--threads", str(threads),
                   "--keep-alive", "30", "-b", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"]
    else:
        command = [sys.executable, "-c", "from werkzeug.serving import run_simple; from wsgi import app; "
                   f"run_simple('127.0.0.1', {port}, app, threaded=True)"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/scan/sw.js")
            if connection.getresponse().status == 200:
                return server, port
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start: " + server.stderr.read().decode()[-2000:])


def post_scans(connection: http.client.HTTPConnection, token: str, scans: list[dict]) -> tuple[int, dict, float]:
    body = json.dumps({"scans": scans})
    started = time.perf_counter()
    connection.request("POST", "/api/leads/v1/scans", body=body,
                       headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    response = connection.getresponse()
    data = response.read()
    elapsed = (time.perf_counter() - started) * 1000
    return response.status, (json.loads(data) if data else {}), elapsed


def iso_now() -> str:
    return datetime.now(timezone.utc).isoformat()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))] if ordered else 0.0


def steady_load(port: int, tokens: list[str], codes: list[str], rate: float, seconds: float, rng: random.Random):
    """Open loop: scan k is due at k/rate seconds, from device k mod N. Each device is a thread with its own
    keep-alive connection; one scan in ten is sent again 0.2 s later with the same client id."""
    total = int(rate * seconds)
    plans: list[list[tuple[float, dict, bool]]] = [[] for _ in tokens]
    retries = set(rng.sample(range(total), total // 10))
    for k in range(total):
        entry = {"client_id": str(uuid.UUID(int=rng.getrandbits(128))), "code": rng.choice(codes),
                 "notes": "Intéressé" if k % 7 == 0 else "", "rating": k % 6}
        plans[k % len(tokens)].append((k / rate, entry, False))
        if k in retries:
            plans[k % len(tokens)].append((k / rate + 0.2, entry, True))
    latencies, lags, statuses = [], [], {}
    results = {"stored": 0, "duplicate": 0, "updated": 0, "refused": 0}
    lock = threading.Lock()
    start = time.perf_counter() + 1.0

    def device_loop(device: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        sent_at: dict[str, str] = {}
        for due, entry, _is_retry in sorted(plans[device], key=lambda p: p[0]):
            delay = start + due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            lag = max(0.0, time.perf_counter() - (start + due)) * 1000
            # A re-sent scan carries the time of the first sending: it is the same scan.
            entry = {**entry, "scanned_at": sent_at.setdefault(entry["client_id"], iso_now())}
            for attempt in range(2):
                try:
                    status, body, elapsed = post_scans(connection, tokens[device], [entry])
                    break
                except (OSError, http.client.HTTPException):
                    # The server closed an idle keep-alive connection: open another, as a browser does.
                    connection.close()
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                    status, body, elapsed = 0, {}, 0.0
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
                if status == 200:
                    latencies.append(elapsed)
                    lags.append(lag)
                    for result in body["results"]:
                        results[result["status"]] += 1
        connection.close()

    threads = [threading.Thread(target=device_loop, args=(d,), daemon=True) for d in range(len(tokens))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 120)
    wall = time.perf_counter() - start
    return {"sent": total, "retries": len(retries), "wall_s": wall, "statuses": statuses, "results": results,
            "p50_ms": percentile(latencies, 0.50), "p95_ms": percentile(latencies, 0.95),
            "max_ms": max(latencies, default=0), "lag_p95_ms": percentile(lags, 0.95)}


def batch_upload(port: int, token: str, codes: list[str], size: int, rng: random.Random) -> dict:
    """One device comes back online with `size` queued scans, then sends them all again."""
    scans = [{"client_id": str(uuid.UUID(int=rng.getrandbits(128))), "code": codes[i % len(codes)],
              "scanned_at": iso_now(), "notes": "Rappeler" if i % 5 == 0 else "", "rating": i % 6, "tags": ["salon"]}
             for i in range(size)]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    status, body, first_ms = post_scans(connection, token, scans)
    replay_status, replay, replay_ms = post_scans(connection, token, scans)
    return {"status": status, "ms": first_ms, "stored": body.get("stored"), "refused": body.get("refused"),
            "replay_status": replay_status, "replay_ms": replay_ms, "replay_duplicates": replay.get("duplicate"),
            "replay_stored": replay.get("stored")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=150)
    parser.add_argument("--rate", type=float, default=50.0, help="scans per second, all devices together")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--batch", type=int, default=3000)
    parser.add_argument("--people", type=int, default=3000)
    parser.add_argument("--server", choices=["gunicorn", "werkzeug"], default="gunicorn")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=16)
    args = parser.parse_args()

    app = fresh_app()
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    rng = random.Random(7)
    tokens, codes = populate(app, args.devices, args.people)
    server, port = start_server(url, args.server, args.workers, args.threads)
    try:
        steady = steady_load(port, tokens, codes, args.rate, args.seconds, rng)
        batch = batch_upload(port, tokens[0], codes, args.batch, rng)
    finally:
        server.terminate()
        server.wait(10)
    with app.app_context():
        num_scans = db.session.scalar(select(func.count()).select_from(Scan))
        distinct = db.session.scalar(select(func.count(func.distinct(Scan.client_id))))
        num_leads = db.session.scalar(select(func.count()).select_from(Lead))
        distinct_leads = db.session.execute(select(func.count()).select_from(
            select(Lead.stand_id, Lead.registration_id).distinct().subquery())).scalar()
        dialect = db.engine.dialect.name
    expected_scans = steady["results"]["stored"] + (batch["stored"] or 0)
    print(f"database: {dialect}; server: {args.server} ({args.workers} workers x {args.threads} threads); "
          f"machine: {os.cpu_count()} cores, shared")
    print(f"steady: {steady['sent']} scans + {steady['retries']} re-sent, {args.devices} devices, {args.rate:g}/s for "
          f"{args.seconds:g} s (took {steady['wall_s']:.1f} s)")
    print(f"  latency p50 {steady['p50_ms']:.1f} ms, p95 {steady['p95_ms']:.1f} ms, max {steady['max_ms']:.1f} ms; "
          f"client lag p95 {steady['lag_p95_ms']:.1f} ms")
    print(f"  HTTP statuses {steady['statuses']}; results {steady['results']}")
    print(f"batch: {args.batch} scans in {batch['ms']:.0f} ms (HTTP {batch['status']}, stored {batch['stored']}, "
          f"refused {batch['refused']}); replay in {batch['replay_ms']:.0f} ms "
          f"(duplicates {batch['replay_duplicates']}, stored {batch['replay_stored']})")
    duplicates = num_scans - distinct
    print(f"database: {num_scans} scans for {distinct} client ids (duplicates: {duplicates}); "
          f"{num_leads} contacts, {distinct_leads} distinct; expected {expected_scans} scans")
    ok = (duplicates == 0 and num_scans == expected_scans and num_leads == distinct_leads
          and steady["statuses"].get(200, 0) == steady["sent"] + steady["retries"]
          and steady["results"]["duplicate"] == steady["retries"])
    print("targets: p95 < 50 ms: {}; batch < 5 s: {}; zero duplicates: {}".format(
        "yes" if steady["p95_ms"] < 50 else "NO", "yes" if batch["ms"] < 5000 else "NO", "yes" if ok else "NO"))


if __name__ == "__main__":
    main()
