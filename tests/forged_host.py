"""Requests that name another host than the site's, as an attacker's would (`Host: evil.example`).

The testing app answers every host (as in development); what these requests must never change is the
address in the links the app hands out, which is the configured PUBLIC_URL.
"""
from __future__ import annotations

import re

from tests.conftest import TEST_PASSWORD, FormClient

FORGED = "http://evil.example"


def forged_submit(client: FormClient, url: str, data: dict | None = None, **kwargs):
    """POST a form, CSRF token and cookies included, with every request naming the forged host."""
    html = client.get("/login", base_url=FORGED).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    return client.post(url, data={**(data or {}), "csrf_token": token}, base_url=FORGED, **kwargs)


def forged_login(client: FormClient, person, password: str = TEST_PASSWORD):
    response = forged_submit(client, "/login", {"email": person.email, "password": password})
    assert response.status_code == 302, response.status_code
    return response


def links_in(text: str) -> list[str]:
    return re.findall(r"https?://[^\s\"'<>]+", text)
