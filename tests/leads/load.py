"""Exhibitor phones against a real server, for the tests that kill or cut things and for bench_scanner_load.py.

A server is gunicorn (2 workers x 4 threads, as in production) in processes of its own; a phone is a thread with
its own keep-alive connection and bearer token that sends its scans in batches and, like scanner.js, keeps a
batch that got no answer, a 429, 502, 503 or 504 and sends it again after Retry-After. `TcpProxy` sits between
the server and PostgreSQL and can drop every connection for a moment (the database "restarting").
"""
from __future__ import annotations

import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import select

from app.badging.models import BadgeToken
from app.core.timefmt import utcnow
from app.events.models import CategoryCode
from app.extensions import db
from app.leads.models import Device, Scan, new_device_token, secret_hash
from app.people.models import Organisation, OrganisationKind, Person
from app.registrations.models import Registration, RegistrationStatus

ROOT = Path(__file__).resolve().parents[2]
SCANS = "/api/leads/v1/scans"
#: What a phone sends again later (0: no answer at all), as app/static/leads/retry.js.
LATER = {0, 429, 502, 503, 504}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def populate(event, num_devices: int, num_people: int) -> tuple[list[str], list[str]]:
    """`num_devices` confirmed startups of `event` with one paired device each, and `num_people` badge holders:
    (device tokens, badge codes). Rows are written directly: the tests of pairing and badges are elsewhere."""
    startup = event.category(CategoryCode.STARTUP.value)
    visitor = event.category(CategoryCode.VISITEUR.value)
    now, day = utcnow(), event.starts_on.isoformat()
    stands = [Registration(event=event, person=Person(email=f"founder{n}@load.test", first_name="Fondatrice",
                                                      last_name=f"N{n}"), category=startup,
                           organisation=Organisation(name=f"Startup {n}", kind=OrganisationKind.STARTUP),
                           status=RegistrationStatus.CONFIRMED, confirmed_at=now, days=[day])
              for n in range(num_devices)]
    people = [Registration(event=event, person=Person(email=f"visitor{n}@load.test", first_name=f"Prénom{n}",
                                                      last_name=f"Nom{n}"), category=visitor,
                           status=RegistrationStatus.CONFIRMED, confirmed_at=now, consent_share_contact=n % 2 == 0,
                           days=[day]) for n in range(num_people)]
    db.session.add_all(stands + people)
    db.session.flush()
    badges = [BadgeToken(registration_id=r.id) for r in people]
    tokens = [new_device_token() for _ in stands]
    db.session.add_all(badges)
    db.session.add_all([Device(event_id=event.id, stand_id=stand.id, name=f"Téléphone {n}",
                               token_hash=secret_hash(token)) for n, (stand, token) in enumerate(zip(stands, tokens))])
    db.session.commit()
    return tokens, [b.token for b in badges]


def stored_client_ids() -> Counter:
    """How many scan rows the database holds per client id."""
    db.session.expire_all()
    counts = Counter(db.session.scalars(select(Scan.client_id)))
    db.session.commit()
    return counts


class Gunicorn:
    """The app under gunicorn on a loopback port: `workers` processes of `threads` threads."""

    def __init__(self, database_url: str, log_dir: Path, *, workers: int = 2, threads: int = 4, env: dict | None = None):
        self.port = free_port()
        self.log_path = log_dir / f"gunicorn-{self.port}.log"
        environ = {**os.environ, "DATABASE_URL": database_url, "MEDIANE_CONFIG": "development",
                   "MEDIANE_INSTANCE": str(log_dir), "HUEY_SQLITE_PATH": str(log_dir / "huey.db"),
                   "HUEY_NAME": f"mediane-load-{uuid.uuid4().hex[:8]}", "LEADS_DEVICE_REQUESTS_PER_MINUTE": "1000000",
                   "DATABASE_RETRY_AFTER_SECONDS": "1", **(env or {})}
        environ.pop("REDIS_URL", None)
        with open(self.log_path, "w") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-w", str(workers), "-k", "gthread", "--threads", str(threads),
                 "--keep-alive", "30", "-b", f"127.0.0.1:{self.port}", "--log-level", "warning", "wsgi:app"],
                cwd=ROOT, env=environ, stdout=log, stderr=subprocess.STDOUT)
        self.wait_ready()

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
            try:
                connection.request("GET", "/scan/sw.js")
                response = connection.getresponse()
                response.read()
                if response.status == 200:
                    return
            except OSError:
                time.sleep(0.2)
            finally:
                connection.close()
        self.stop()
        raise RuntimeError("gunicorn did not start: " + self.log())

    def workers(self) -> list[int]:
        """The worker processes' ids (the master's children)."""
        path = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        return [int(pid) for pid in path.read_text().split()]

    def connections_of(self, pid: int) -> int:
        """How many client connections the worker `pid` holds open (from /proc: its sockets that are
        established TCP connections on the server's port)."""
        inodes = set()
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
        count = 0
        for line in Path(f"/proc/{pid}/net/tcp").read_text().splitlines()[1:]:
            fields = line.split()
            local_port = int(fields[1].split(":")[1], 16)
            if local_port == self.port and fields[3] == "01" and fields[9] in inodes:  # 01: ESTABLISHED
                count += 1
        return count

    def kill_worker(self) -> int:
        """kill -9 the worker that holds the most connections: requests are cut in the middle."""
        pid = max(self.workers(), key=self.connections_of)
        os.kill(pid, signal.SIGKILL)
        return pid

    def log(self) -> str:
        return self.log_path.read_text()[-4000:]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)


class TcpProxy:
    """A TCP relay from a loopback port to `target`; `cut()` drops every connection and refuses new ones (they
    are accepted and closed at once) until `restore()`: what the app sees of a database that restarts."""

    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.is_cut = False
        self.num_dropped = 0
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.is_cut:
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self._lock:
                self._sockets.update((client, upstream))
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                self._close(sock)

    def _close(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.discard(sock)
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        sock.close()

    def cut(self) -> None:
        self.is_cut = True
        with self._lock:
            live = list(self._sockets)
        self.num_dropped += len(live) // 2
        for sock in live:
            self._close(sock)

    def restore(self) -> None:
        self.is_cut = False

    def close(self) -> None:
        self._closed = True
        self.cut()
        self.listener.close()


@dataclass
class Tally:
    """What the phones saw: HTTP statuses (0: no answer), latencies of answered batches, each scan's results."""

    statuses: Counter = field(default_factory=Counter)
    latencies_ms: list[float] = field(default_factory=list)
    results: dict[str, list[str]] = field(default_factory=dict)
    resend_results: Counter = field(default_factory=Counter)
    num_batches: int = 0
    num_acknowledged: int = 0
    num_scans: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answered(self, status: int, elapsed_ms: float | None) -> None:
        with self.lock:
            self.statuses[status] += 1
            if elapsed_ms is not None:
                self.latencies_ms.append(elapsed_ms)

    def record(self, body: dict, batch: list[dict], *, is_resend: bool) -> None:
        with self.lock:
            self.num_acknowledged += 1
            for result in body["results"]:
                self.results.setdefault(batch[result["index"]]["client_id"], []).append(result["status"])
                if is_resend:
                    self.resend_results[result["status"]] += 1

    def stored_more_than_once(self) -> list[str]:
        """Client ids that two answers both reported as newly stored."""
        return [cid for cid, seen in self.results.items() if seen.count("stored") > 1]

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] if ordered else 0.0


class Phone:
    """One device's connection; `send` keeps a batch until the server answered it (as scanner.js does)."""

    def __init__(self, port: int, token: str, tally: Tally, *, max_wait: float = 60.0, give_up_after: float = 120.0):
        self.port, self.token, self.tally = port, token, tally
        self.max_wait, self.give_up_after = max_wait, give_up_after
        self.connection: http.client.HTTPConnection | None = None

    def _post(self, body: bytes) -> tuple[int, dict, dict, float]:
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        started = time.perf_counter()
        self.connection.request("POST", SCANS, body=body, headers={"Content-Type": "application/json",
                                                                   "Authorization": f"Bearer {self.token}"})
        response = self.connection.getresponse()
        data = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        try:
            parsed = json.loads(data) if data else {}
        except ValueError:
            parsed = {}
        return response.status, parsed, dict(response.getheaders()), elapsed

    def send(self, batch: list[dict], *, is_resend: bool = False) -> dict:
        body = json.dumps({"scans": batch}).encode()
        deadline = time.monotonic() + self.give_up_after
        failures = 0
        while True:
            try:
                status, data, headers, elapsed = self._post(body)
            except (OSError, http.client.HTTPException):
                if self.connection is not None:  # a reset or a closed keep-alive connection: open another
                    self.connection.close()
                self.connection = None
                status, data, headers, elapsed = 0, {}, {}, None
            self.tally.answered(status, elapsed)
            if status == 200 and isinstance(data.get("results"), list):
                self.tally.record(data, batch, is_resend=is_resend)
                return data
            if status not in LATER or time.monotonic() > deadline:
                raise AssertionError(f"batch refused with {status}: {data}")
            failures += 1
            told = headers.get("Retry-After")
            wait = float(told) if told and told.isdigit() else min(60.0, 2.0 ** min(failures, 6))
            time.sleep(min(self.max_wait, max(0.05, wait)) * (1 + random.random() / 3))

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


def new_batch(rng: random.Random, codes: list[str], size: int) -> list[dict]:
    scanned_at = datetime.now(timezone.utc).isoformat()
    return [{"client_id": str(uuid.UUID(int=rng.getrandbits(128))), "code": rng.choice(codes), "scanned_at": scanned_at,
             "notes": "Intéressée" if rng.random() < 0.1 else "", "rating": rng.randint(0, 5)} for _ in range(size)]


def run_phones(port: int, tokens: list[str], codes: list[str], *, num_scans: int, batch_size: int = 10,
               resend_share: float = 0.15, twice_share: float = 0.05, seed: int = 26, max_wait: float = 60.0,
               pause: float = 0.0, tally: Tally | None = None) -> Tally:
    """Every phone sends its share of `num_scans` in batches of `batch_size`, one after the other (`pause`
    seconds apart on average; 0: as fast as the server answers); a batch is sent again once answered with
    probability `resend_share`, and sent twice at the same moment (on two connections) with probability
    `twice_share`. Returns when every batch was answered."""
    tally = tally or Tally()
    num_batches = num_scans // batch_size
    problems: list[str] = []

    def phone_loop(index: int) -> None:
        rng = random.Random(seed * 100_003 + index)
        phone = Phone(port, tokens[index], tally, max_wait=max_wait)
        try:
            for _ in range(index, num_batches, len(tokens)):
                if pause:
                    time.sleep(rng.uniform(0, 2 * pause))
                batch = new_batch(rng, codes, batch_size)
                with tally.lock:
                    tally.num_batches += 1
                    tally.num_scans += len(batch)
                if rng.random() < twice_share:
                    twin = Phone(port, tokens[index], tally, max_wait=max_wait)
                    other = threading.Thread(target=twin.send, args=(batch,), daemon=True)
                    other.start()
                    phone.send(batch)
                    other.join(180)
                    twin.close()
                else:
                    phone.send(batch)
                if rng.random() < resend_share:
                    phone.send(batch, is_resend=True)
        except Exception as error:  # noqa: BLE001 - told to the caller below
            problems.append(f"phone {index}: {error!r}")
        finally:
            phone.close()

    threads = [threading.Thread(target=phone_loop, args=(i,), daemon=True) for i in range(len(tokens))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(600)
    if problems:
        raise AssertionError("; ".join(problems[:5]))
    return tally
