"""The public address: every absolute link the app hands out, and the only host production answers to.

A link that leaves the site (an e-mail, a calendar feed or .ics file, a PDF, a QR code, a subscription
URL to copy) is built by `public_url` from the configured PUBLIC_URL, never from the request: the Host
header is chosen by the client, and a password-reset link built from a forged one would hand the token to
another site. The same function works in a request, a job or a command, so there is one way to do it.
(Médiane has one public address for all its editions; there is none per edition.)

In production the public address also sets Flask's TRUSTED_HOSTS (plus EXTRA_TRUSTED_HOSTS): a request
for any other host, or with a forged X-Forwarded-Host behind the proxy, gets a 400 before any view runs.
Development and tests answer every host, so `flask run`, scripts/demo.sh and phones on the local network
keep working; their links still use PUBLIC_URL (by default http://127.0.0.1:5000, the address of `flask run`).
"""
from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from urllib.parse import SplitResult, quote, urlsplit

from flask import Flask, current_app, has_request_context
from flask_babel import gettext as _
from werkzeug.exceptions import SecurityError
from werkzeug.routing import MapAdapter


class PublicAddressError(RuntimeError):
    """PUBLIC_URL is missing or unusable for this configuration; the app refuses to start."""


def public_url(endpoint: str, /, *, _anchor: str | None = None, **values) -> str:
    """The absolute URL of `endpoint` on the public address, whatever the current request says."""
    current_app.inject_url_defaults(endpoint, values)
    url = _adapter().build(endpoint, values, force_external=True)
    if _anchor is not None:
        url += "#" + quote(_anchor, safe="%!#$&'()*+,/:;=?@")
    return url


def public_path(endpoint: str, /, **values) -> str:
    """The path of `endpoint` under the public address (with its prefix, if any), for links within the site."""
    current_app.inject_url_defaults(endpoint, values)
    return _adapter().build(endpoint, values)


def public_base_url() -> str:
    """The public address itself, without a trailing slash: https://sommet.example.org."""
    return current_app.config["PUBLIC_URL"].rstrip("/")


def public_hostname() -> str:
    """The host name of the public address (for calendar UIDs): sommet.example.org."""
    return _parts(current_app.config["PUBLIC_URL"]).hostname or "mediane.local"


def rendering_context() -> AbstractContextManager:
    """Around a template rendered outside a request (mail from a job or a command): a stand-in request on
    the public address, for the context processors that pages and mail share. Inside a request, nothing:
    links come from `public_url` either way."""
    if has_request_context():
        return nullcontext()
    return current_app.test_request_context(base_url=public_base_url() + "/")


def _adapter() -> MapAdapter:
    parts = _parts(current_app.config["PUBLIC_URL"])
    return current_app.url_map.bind(parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme)


def _parts(url: str) -> SplitResult:
    parts = urlsplit((url or "").strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise PublicAddressError(
            f"PUBLIC_URL must be the absolute address people reach the site at, such as "
            f"https://sommet.example.org (got {url!r})."
        )
    return parts


def trusted_hosts(config) -> list[str]:
    """The host names production answers to: the public address's, then EXTRA_TRUSTED_HOSTS."""
    names = [_parts(config["PUBLIC_URL"]).hostname, *config.get("EXTRA_TRUSTED_HOSTS", ())]
    return list(dict.fromkeys(name.strip().lower() for name in names if name and name.strip()))


def init_app(app: Flask) -> None:
    """Check the public address; in production, answer only the hosts it names."""
    parts = _parts(app.config["PUBLIC_URL"])
    if app.config["IS_PRODUCTION"]:
        if parts.scheme != "https":
            raise PublicAddressError(
                "PUBLIC_URL must be set to the https address of the site in production, such as "
                f"https://sommet.example.org (got {app.config['PUBLIC_URL']!r}): links in e-mails are "
                "built from it, and it is the only host the site answers to."
            )
        # Flask accepts every host when TRUSTED_HOSTS is None or empty: production always names them.
        app.config["TRUSTED_HOSTS"] = trusted_hosts(app.config)

    @app.errorhandler(SecurityError)
    def untrusted_host(error: SecurityError):
        # No page template: URLs cannot be built for a host that is refused.
        message = _("This site does not answer to this address.")
        return message, 400, {"Content-Type": "text/plain; charset=utf-8"}

    app.add_template_global(public_url)
