"""An attempt's limits: a receiver that answers a byte at a time is cut off after WEBHOOK_TIMEOUT_SECONDS in all,
and a worker whose lease was taken over meanwhile records nothing."""
from __future__ import annotations

import socket
import threading
import time
from datetime import timedelta

import pytest
import redis
from sqlalchemy import update
from sqlalchemy.orm import Session

from app.api.models import WebhookDelivery
from app.api.webhooks import delivery as sending
from app.api.webhooks import services, tasks
from app.api.webhooks.services import EndpointInput
from app.core.timefmt import utcnow
from tests.api.test_webhooks import deliveries


@pytest.fixture
def queue_down(monkeypatch):
    """The queue is unreachable: nothing is sent until the test calls deliver_due."""
    def unreachable(*args, **kwargs):
        raise redis.exceptions.ConnectionError("Connection refused")
    monkeypatch.setattr(tasks, "deliver_webhooks", unreachable)


@pytest.fixture
def dripping_receiver():
    """A receiver on loopback that answers 200, one byte every 0.3 s (about 12 s for the whole answer)."""
    server = socket.create_server(("127.0.0.1", 0))
    done = threading.Event()

    def serve():
        connection, _ = server.accept()
        with connection:
            connection.recv(65536)
            for byte in b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok":
                if done.wait(0.3):
                    return
                try:
                    connection.send(bytes([byte]))
                except OSError:
                    return

    threading.Thread(target=serve, daemon=True).start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/hooks"
    done.set()
    server.close()


def test_a_receiver_answering_a_byte_at_a_time_is_cut_off_at_the_timeout(event, make_registration, db, app,
                                                                          dripping_receiver, queue_down,
                                                                          monkeypatch):
    monkeypatch.setitem(app.config, "WEBHOOK_TIMEOUT_SECONDS", 1)
    services.create_endpoint(event, EndpointInput(url=dripping_receiver, events=["registration.created"]),
                             actor_id=None)
    make_registration(event)

    started = time.monotonic()
    assert sending.deliver_due() == 1
    assert time.monotonic() - started < 2.5  # not the 12 s the receiver takes
    [row] = deliveries(db)
    assert (row.status, row.attempts, row.leased_until) == ("pending", 1, None)
    assert "timed out" in row.last_error and row.next_attempt_at > row.last_attempt_at


def test_a_worker_that_lost_its_lease_during_the_attempt_records_nothing(event, receiver, make_registration, db,
                                                                          queue_down, monkeypatch):
    services.create_endpoint(event, EndpointInput(url=receiver.url, events=["registration.created"]),
                             actor_id=None)
    make_registration(event)
    [row] = deliveries(db)
    other_workers_lease = utcnow() + timedelta(minutes=5)

    def slow_post(*args, **kwargs):
        """The call outlived the lease, and another worker took the delivery meanwhile."""
        with Session(db.engine) as other:
            other.execute(update(WebhookDelivery).where(WebhookDelivery.id == row.id)
                          .values(leased_until=other_workers_lease))
            other.commit()
        return 200, "ok"

    monkeypatch.setattr(sending, "post", slow_post)
    sending.deliver_due()
    [row] = deliveries(db)
    assert (row.status, row.attempts, row.leased_until) == ("pending", 0, other_workers_lease)
