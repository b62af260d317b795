"""Moved to `app.core.access`. Only `app/demonstrator/` still imports this path (it is being split into
sub-packages on another branch); delete this module once its imports name `app.core.access`."""
from app.core.access import Access, requires  # noqa: F401
