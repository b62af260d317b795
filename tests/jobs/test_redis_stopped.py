"""Redis stopped (R10): the app pointed at a Redis port where nothing listens. Public registration, the door
check-in and the scanner's uploads work as before, for none of them waits on the queue; the confirmation mail
waits in the outbox and leaves once the queue is back and a worker runs (its periodic pass, at start)."""
import os
import signal
import socketserver
import threading
import time
import uuid

import pytest
from huey.consumer import Consumer
from sqlalchemy import select

from app.extensions import db
from app.jobs.queue import huey, make_huey
from app.jobs.tasks import bind_worker_app
from app.mail.models import OutboxMessage
from tests.conftest import login
from tests.jobs.test_queue_down import closed_port
from tests.leads.conftest import make_badge, make_device, make_stand, scan, upload  # noqa: F401  (fixtures)

TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/12")


class SmtpSink(socketserver.ThreadingTCPServer):
    """An SMTP server on a loopback port that keeps what it is sent."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), SmtpHandler)
        self.messages: list[str] = []


class SmtpHandler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        self.wfile.write(b"220 sink ESMTP\r\n")
        data, lines = False, []
        for raw in self.rfile:
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            if data:
                if line == ".":
                    data = False
                    self.server.messages.append("\n".join(lines))
                    lines = []
                    self.wfile.write(b"250 kept\r\n")
                else:
                    lines.append(line)
                continue
            verb = line[:4].upper()
            if verb == "DATA":
                data = True
                self.wfile.write(b"354 go on\r\n")
            elif verb == "QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


@pytest.fixture
def smtp(app, monkeypatch):
    sink = SmtpSink()
    thread = threading.Thread(target=sink.serve_forever, daemon=True)
    thread.start()
    for key, value in {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": sink.server_address[1], "MAIL_USE_TLS": False,
                       "MAIL_USERNAME": None}.items():
        monkeypatch.setitem(app.config, key, value)
    yield sink
    sink.shutdown()
    sink.server_close()


@pytest.fixture
def redis_stopped():
    saved = huey.storage, huey.immediate
    huey.immediate = False
    huey.storage = make_huey(f"mediane-stopped-{uuid.uuid4().hex[:8]}",
                             redis_url=f"redis://127.0.0.1:{closed_port()}/12").storage
    yield
    huey.storage, huey.immediate = saved


def test_with_redis_stopped_registration_checkin_and_scans_work_and_mail_waits(app, client, event, make_organiser,
                                                                                make_stand, make_device, make_badge,
                                                                                smtp, redis_stopped):
    # A visitor registers on the public page: confirmed, the mail kept in the outbox.
    response = client.submit(f"/e/{event.slug}/register/visiteur", {
        "first_name": "Jean", "last_name": "Tremblay", "email": "jean@example.ca", "country": "CA",
        "days": [d.isoformat() for d in event.days]})
    assert response.status_code == 302
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == "jean@example.ca"))
    assert mail.kind == "registration_confirmed" and mail.status == "queued"

    # The door checks a badge in.
    _, code = make_badge(first_name="Aïcha", last_name="Diallo")
    organiser = make_organiser(event)
    door = app.test_client()
    login(door, organiser)
    checked = door.submit(f"/manage/e/{event.slug}/badges/checkin", {"code": code},
                          headers={"Accept-Language": "en"})
    assert checked.status_code == 200 and "Welcome" in checked.get_data(as_text=True)

    # A stand's phone uploads its scans.
    _, token = make_device(make_stand())
    uploaded = upload(client, token, [scan(code, "redis-down-1")])
    assert uploaded.status_code == 200 and uploaded.json["stored"] == 1

    time.sleep(0.5)
    assert smtp.messages == []  # nothing left: there is no queue to wake a worker
    db.session.expire_all()
    assert db.session.get(OutboxMessage, mail.id).status == "queued"

    # Redis is back and the worker runs: its periodic pass sends what waited.
    huey.storage = make_huey(f"mediane-back-{uuid.uuid4().hex[:8]}", redis_url=TEST_REDIS_URL).storage
    bind_worker_app(app)
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)}
    consumer = Consumer(huey, workers=1, worker_type="thread", periodic=True, check_worker_health=False)
    consumer.start()
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not any("jean@example.ca" in m for m in smtp.messages):
            time.sleep(0.1)
    finally:
        consumer.stop(graceful=True)
        huey.storage.flush_all()
        for sig, handler in saved.items():
            signal.signal(sig, handler)
    assert any("jean@example.ca" in m for m in smtp.messages)
    db.session.expire_all()
    assert db.session.get(OutboxMessage, mail.id).status == "sent"
