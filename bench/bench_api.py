"""The public API against a real server over loopback: list 1,000 registrations in pages of 100, an incremental
sync of 50 changes, and writes from 20 concurrent clients.

    python bench/bench_api.py [--people 1000] [--page 100] [--changes 50] [--clients 20] [--writes 15]
                              [--workers 2] [--threads 8]

Uses a fresh SQLite file, or the database in BENCH_DATABASE_URL (emptied first). gunicorn runs in its own processes
(gthread workers) on 127.0.0.1 with the production settings of demo.sh; each client is a thread with its own
keep-alive connection. Every write is a new registration sent with an Idempotency-Key; one in ten is sent again
with the same key and must come back as the stored answer (Idempotent-Replayed), leaving one row. Prints the
wall times (median, p95, max) and checks the answers.
"""
from __future__ import annotations

import argparse
import http.client
import json
import statistics
import threading
import time
import uuid
from datetime import date, datetime, timedelta, timezone

from bench_leads import percentile, start_server
from benchlib import fresh_app
from sqlalchemy import func, select, update

from app.api.scopes import ORGANISER_SCOPES
from app.api.tokens.services import create_token
from app.events.models import CategoryCode, EventStatus
from app.events.services import EventInput, create_event
from app.extensions import db
from app.people.models import Person
from app.registrations.models import Registration, RegistrationStatus

SLUG = "bench-api"


def populate(app, people: int) -> str:
    """An edition with `people` confirmed visitors; returns an organiser's API token with every scope."""
    with app.app_context():
        event = create_event(EventInput(name="Bench API", slug=SLUG, city="Nevers", country="FR", venue="",
                                        timezone="Europe/Paris", starts_on=date(2027, 6, 2), ends_on=date(2027, 6, 4),
                                        status=EventStatus.OPEN), actor_id=None)
        visitor = event.category(CategoryCode.VISITEUR.value)
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        db.session.add_all([
            Registration(event=event, category=visitor, status=RegistrationStatus.CONFIRMED, confirmed_at=now,
                         days=["2027-06-02"], person=Person(email=f"visitor{n}@bench.org", first_name=f"Prénom{n}",
                                                            last_name=f"Nom{n}", phone="+33 1 00 00 00 00"))
            for n in range(people)])
        db.session.commit()
        made = create_token(event, name="Bench", scopes=list(ORGANISER_SCOPES), expires_on=None, actor_id=None)
        db.session.commit()
        return made.secret


def call(connection, method: str, path: str, token: str, body: dict | None = None,
         key: str | None = None) -> tuple[int, dict, float, dict]:
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": "en"}
    data = None
    if body is not None:
        data = json.dumps(body)
        headers["Content-Type"] = "application/json"
    if key:
        headers["Idempotency-Key"] = key
    started = time.perf_counter()
    connection.request(method, "/api/v1" + path, body=data, headers=headers)
    response = connection.getresponse()
    raw = response.read()
    elapsed = (time.perf_counter() - started) * 1000
    return response.status, (json.loads(raw) if raw else {}), elapsed, dict(response.getheaders())


def list_all(port: int, token: str, page: int, query: str = "") -> tuple[list[dict], list[float], float]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    rows, timings, cursor = [], [], None
    started = time.perf_counter()
    while True:
        path = f"/events/{SLUG}/registrations?limit={page}{query}" + (f"&cursor={cursor}" if cursor else "")
        status, body, elapsed, _ = call(connection, "GET", path, token)
        assert status == 200, (status, body)
        rows += body["data"]
        timings.append(elapsed)
        cursor = body["next_cursor"]
        if cursor is None:
            return rows, timings, (time.perf_counter() - started) * 1000


def change_some(app, count: int) -> datetime:
    """`count` registrations changed (as an organiser's edit would); returns the time a client last synced."""
    with app.app_context():
        since = datetime.now(timezone.utc).replace(tzinfo=None) - timedelta(seconds=1)
        ids = list(db.session.scalars(select(Registration.id).order_by(Registration.id).limit(count * 7)))[::7]
        db.session.execute(update(Registration).where(Registration.id.in_(ids))
                           .values(job_title="Chargée de mission", updated_at=datetime.now(timezone.utc)
                                   .replace(tzinfo=None) + timedelta(seconds=2)))
        db.session.commit()
        return since


def writer(port: int, token: str, writes: int, client: int, results: list, errors: list) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for n in range(writes):
        key = str(uuid.uuid4())
        body = {"category": "visiteur", "email": f"client{client}.{n}@bench.org", "first_name": "Alex",
                "last_name": f"Client{client}-{n}", "days": ["2027-06-02"]}
        status, answer, elapsed, _ = call(connection, "POST", f"/events/{SLUG}/registrations", token, body, key)
        results.append(elapsed)
        if status != 201:
            errors.append(f"{status} {answer}")
            continue
        if n % 10 == 0:  # a retry after a lost answer: the stored answer, nothing written twice
            status, again, elapsed, headers = call(connection, "POST", f"/events/{SLUG}/registrations", token,
                                                   body, key)
            results.append(elapsed)
            if status != 201 or again.get("id") != answer.get("id") or headers.get("Idempotent-Replayed") != "true":
                errors.append(f"replay: {status} {again}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--page", type=int, default=100)
    parser.add_argument("--changes", type=int, default=50)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--writes", type=int, default=15, help="new registrations per client")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()

    app = fresh_app()
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    token = populate(app, args.people)
    server, port = start_server(url, "gunicorn", args.workers, args.threads,
                                extra_env={"API_REQUESTS_PER_MINUTE": "1000000"})
    try:
        print(f"database: {url.split(':')[0]}, gunicorn {args.workers} workers x {args.threads} threads, "
              f"this machine")
        rows, timings, total = list_all(port, token, args.page)
        assert len(rows) == args.people and len({r["id"] for r in rows}) == args.people
        print(f"list {len(rows)} registrations in {len(timings)} pages of {args.page}: {total:.0f} ms in all; "
              f"per page median {statistics.median(timings):.1f} ms, p95 {percentile(timings, 0.95):.1f} ms")

        since = change_some(app, args.changes)
        stamp = since.replace(tzinfo=timezone.utc).isoformat().replace("+00:00", "Z")
        changed, timings, total = list_all(port, token, args.page, f"&updated_since={stamp}")
        assert len(changed) == args.changes, len(changed)
        print(f"incremental sync: {len(changed)} changes in {total:.1f} ms ({len(timings)} page)")

        results: list[float] = []
        errors: list[str] = []
        threads = [threading.Thread(target=writer, args=(port, token, args.writes, c, results, errors))
                   for c in range(args.clients)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
        with app.app_context():
            stored = db.session.scalar(select(func.count()).select_from(Registration).join(Person)
                                       .where(Person.email.like("client%@bench.org")))
        print(f"writes: {args.clients} clients x {args.writes} new registrations (+1 replay in 10): "
              f"{len(results)} requests in {wall:.1f} s; median {statistics.median(results):.0f} ms, "
              f"p95 {percentile(results, 0.95):.0f} ms, max {max(results):.0f} ms; "
              f"{stored} rows stored, {len(errors)} errors")
        for error in errors[:5]:
            print("  ", error)
        if errors or stored != args.clients * args.writes:
            raise SystemExit(1)
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
