"""The one place that creates the app: `gunicorn wsgi:app`, `flask --app wsgi ...`."""
import gc

from app import create_app

app = create_app()
# What start-up built (modules, mappers, catalogs, the app) lives as long as the process: out of the garbage
# collector's way, so that a page making thousands of objects (the demonstrator's plan, sheets, wishes) does
# not pay for full collections that walk it all again (about 100 ms of CPU a page on the demo summit: see
# bench/bench_backoffice_pages.py, which does the same).
gc.freeze()
