"""What holds under load, with real processes (R2, R10): exhibitor phones sending batches of 10 scans to gunicorn
(2 workers x 4 threads), some batches sent again after their answer and some twice at the same moment; then a
gunicorn worker killed with kill -9 in the middle of it. Every scan is stored exactly once."""
import threading
import time

import pytest

from tests.leads.load import Gunicorn, Tally, populate, run_phones, stored_client_ids

NUM_PHONES = 20


@pytest.fixture
def server(app, tmp_path):
    servers = []

    def start(**env):
        servers.append(Gunicorn(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path, env=env))
        return servers[-1]
    yield start
    for started in servers:
        started.stop()


def assert_each_scan_stored_once(tally: Tally) -> None:
    stored = stored_client_ids()
    assert len(tally.results) == tally.num_scans  # every scan sent got an answer
    assert set(stored) == set(tally.results) and set(stored.values()) == {1}
    assert tally.stored_more_than_once() == []
    assert {status for seen in tally.results.values() for status in seen} <= {"stored", "duplicate"}


def test_resent_and_doubled_batches_store_every_scan_once_and_say_duplicate(event, server):
    tokens, codes = populate(event, NUM_PHONES, 300)
    running = server()
    tally = run_phones(running.port, tokens, codes, num_scans=2000, resend_share=0.15, twice_share=0.05)
    print(f"\n{tally.num_batches} batches, {tally.statuses}, p50 {tally.percentile(0.5):.0f} ms, "
          f"p95 {tally.percentile(0.95):.0f} ms")
    assert set(tally.statuses) == {200}  # no error, no retry needed
    assert_each_scan_stored_once(tally)
    # Each scan was reported stored exactly once; every other answer about it (a re-send, the twin of a
    # batch sent twice) was a duplicate.
    assert all(seen.count("stored") == 1 for seen in tally.results.values())
    assert tally.resend_results["duplicate"] > 0 and set(tally.resend_results) == {"duplicate"}
    twins = [seen for seen in tally.results.values() if len(seen) > 1]
    assert len(twins) > 100  # re-sends and twins did happen (15 % and 5 % of 200 batches)


def test_a_worker_killed_with_kill_9_mid_load_loses_no_scan_and_stores_none_twice(event, server):
    tokens, codes = populate(event, NUM_PHONES, 300)
    running = server()
    tally = Tally()
    load = threading.Thread(target=run_phones, args=(running.port, tokens, codes),
                            kwargs={"num_scans": 3000, "max_wait": 1.0, "tally": tally}, daemon=True)
    load.start()
    deadline = time.monotonic() + 60
    while tally.num_acknowledged < 60 and time.monotonic() < deadline:
        time.sleep(0.02)
    killed = running.kill_worker()
    killed_at = tally.num_acknowledged
    load.join(300)
    assert not load.is_alive()
    print(f"\nkilled worker {killed} after {killed_at} batches; statuses {dict(tally.statuses)}")
    assert killed not in running.workers() and len(running.workers()) == 2  # gunicorn started another
    assert tally.statuses[0] > 0  # connections were reset by the kill: those batches were sent again
    assert set(tally.statuses) <= {0, 200, 502, 503, 504} and 500 not in tally.statuses
    assert_each_scan_stored_once(tally)
