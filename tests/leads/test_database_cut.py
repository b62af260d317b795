"""The database cut during scanner uploads (R10): PostgreSQL behind a proxy that drops every connection for two
seconds (what a restart looks like to the app), or SQLite's write lock held by another process past the busy
timeout. Uploads and pages get 503 with Retry-After, never a 500; the phones send their batches again, and every
acknowledged scan is stored exactly once; the pool recovers by itself."""
import http.client
import random
import sqlite3
import threading
import time
from collections import Counter

from sqlalchemy.engine import make_url

from app.extensions import db
from tests.leads.conftest import scan, upload
from tests.leads.load import Gunicorn, Phone, Tally, TcpProxy, new_batch, populate, run_phones, stored_client_ids

CUT_SECONDS = 2.0


class DatabaseCut:
    """Cuts the test database away from a gunicorn started on it, and restores it."""

    def __init__(self, app, tmp_path):
        url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
        self.proxy = self.holder = None
        if url.get_backend_name() == "postgresql":
            self.proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
            through = url.set(host="127.0.0.1", port=self.proxy.port).render_as_string(hide_password=False)
            self.server = Gunicorn(through, tmp_path)
        else:
            self.server = Gunicorn(url.render_as_string(hide_password=False), tmp_path,
                                   env={"SQLITE_BUSY_TIMEOUT_MS": "300"})
            self.holder = sqlite3.connect(url.database, isolation_level=None, timeout=30)

    def cut(self) -> None:
        if self.proxy:
            self.proxy.cut()
        else:
            self.holder.execute("BEGIN EXCLUSIVE")  # another process keeps the write lock

    def restore(self) -> None:
        if self.proxy:
            self.proxy.restore()
        else:
            self.holder.execute("ROLLBACK")

    def close(self) -> None:
        self.server.stop()
        if self.proxy:
            self.proxy.close()
        else:
            self.holder.close()


def get_page(port: int, path: str) -> tuple[int, dict, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Accept-Language": "fr"})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        connection.close()


def test_a_database_cut_during_uploads_answers_503_and_every_acknowledged_scan_is_stored_once(app, event, tmp_path):
    tokens, codes = populate(event, 10, 200)
    cut = DatabaseCut(app, tmp_path)
    tally, pages, page_503 = Tally(), Counter(), []
    done = threading.Event()

    def look_at_pages() -> None:
        while not done.is_set():
            status, headers, body = get_page(cut.server.port, "/")
            pages[status] += 1
            if status == 503 and not page_503:
                page_503.append((headers, body))
            time.sleep(0.05)

    try:
        load = threading.Thread(target=run_phones, args=(cut.server.port, tokens, codes),
                                kwargs={"num_scans": 1500, "max_wait": 1.0, "tally": tally}, daemon=True)
        watcher = threading.Thread(target=look_at_pages, daemon=True)
        load.start()
        watcher.start()
        deadline = time.monotonic() + 60
        while tally.num_acknowledged < 20 and time.monotonic() < deadline:
            time.sleep(0.02)
        cut.cut()
        time.sleep(CUT_SECONDS)
        cut.restore()
        load.join(300)
        done.set()
        watcher.join(30)
        assert not load.is_alive()
        # The pool recovered: a page and a new batch go through at once.
        assert get_page(cut.server.port, "/")[0] == 200
        after = Phone(cut.server.port, tokens[0], tally)
        assert after.send(new_batch(random.Random(1), codes, 10))["stored"] == 10
        after.close()
    finally:
        done.set()
        cut.close()
    print(f"\nuploads: {dict(tally.statuses)}; pages: {dict(pages)}; "
          f"connections dropped: {cut.proxy.num_dropped if cut.proxy else 'lock'}")
    assert tally.statuses[503] > 0 and set(tally.statuses) <= {200, 503}  # refused for a moment, never a 500
    assert 500 not in pages
    if cut.proxy:  # pages read the database too (SQLite lets readers through its write lock)
        headers, body = page_503[0]
        assert headers["Retry-After"] == "1" and "base de données est injoignable" in body
    stored = stored_client_ids()
    assert set(stored) == set(tally.results) and set(stored.values()) == {1}
    assert tally.stored_more_than_once() == []


def test_a_sqlite_write_lock_held_too_long_is_a_503_then_the_scan_is_stored(app, client, monkeypatch, make_stand,
                                                                            make_device, make_badge):
    """In the app's own process: the scanner hears 503 at once (no retry of the locked batch), sends again."""
    if db.engine.dialect.name != "sqlite":
        return  # SQLite's write lock; PostgreSQL is cut by the test above
    stand = make_stand()
    _, token = make_device(stand)
    _, code = make_badge()
    monkeypatch.setitem(app.config, "SQLITE_BUSY_TIMEOUT_MS", 200)
    db.session.remove()
    db.engine.dispose()  # new connections, with the short lock wait
    holder = sqlite3.connect(db.engine.url.database, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        refused = upload(client, token, [scan(code, "locked-1")])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert refused.status_code == 503 and refused.json["code"] == "database_unavailable"
    assert refused.headers["Retry-After"] == "5"
    again = upload(client, token, [scan(code, "locked-1")])
    assert again.status_code == 200 and again.json["stored"] == 1
    db.session.remove()
    db.engine.dispose()
