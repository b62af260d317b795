"""The public address (issue 24): links that leave the site never come from the request's Host, and
production answers only the hosts the public address names."""
import re
from pathlib import Path

import pytest

from app import create_app
from app.core.urls import PublicAddressError, public_base_url, public_hostname, public_path, public_url

PUBLIC = "https://sommet.example.org"
APP_DIR = Path(__file__).resolve().parents[2] / "app"


@pytest.fixture
def production(monkeypatch, tmp_path):
    """A production app on an empty database: a request that reached a view needing a table would be a 500."""
    monkeypatch.setenv("SECRET_KEY", "x" * 48)

    def make(**overrides):
        config = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.db'}", "PUBLIC_URL": PUBLIC, **overrides}
        return create_app("production", config)
    return make


def test_production_answers_its_public_host_and_refuses_any_other(production):
    client = production().test_client()
    assert client.get("/login", base_url=PUBLIC).status_code == 200
    for host in ("evil.example", "sommet.example.org.evil.example", "evil.example:443", "localhost", "127.0.0.1:8000"):
        response = client.get("/login", headers={"Host": host})
        assert response.status_code == 400, host
        assert "csrf_token" not in response.get_data(as_text=True)


def test_production_refuses_a_forged_host_before_any_view_runs(production):
    client = production().test_client()
    response = client.post("/password/forgot", data={"email": "maire@nevers.fr"}, headers={"Host": "evil.example"})
    assert response.status_code == 400  # the view would fail on the empty database
    response = client.get("/password/forgot", headers={"Host": "evil.example", "Accept-Language": "en"})
    assert response.get_data(as_text=True) == "This site does not answer to this address."
    response = client.get("/password/forgot", headers={"Host": "evil.example", "Accept-Language": "fr"})
    assert response.get_data(as_text=True) == "Ce site ne répond pas à cette adresse."


def test_production_behind_its_proxy_refuses_a_forged_forwarded_host(production):
    client = production(PROXY_FIX_HOPS=1).test_client()
    upstream = {"Host": "127.0.0.1:8000", "X-Forwarded-Proto": "https"}
    assert client.get("/login", headers={**upstream, "X-Forwarded-Host": "sommet.example.org"}).status_code == 200
    assert client.get("/login", headers={**upstream, "X-Forwarded-Host": "evil.example"}).status_code == 400


def test_production_answers_the_extra_hosts_it_is_told(production):
    app = production(EXTRA_TRUSTED_HOSTS=["www.sommet.example.org"])
    assert app.config["TRUSTED_HOSTS"] == ["sommet.example.org", "www.sommet.example.org"]
    client = app.test_client()
    assert client.get("/login", headers={"Host": "www.sommet.example.org"}).status_code == 200
    assert client.get("/login", headers={"Host": "evil.example"}).status_code == 400


@pytest.mark.parametrize("address", ["http://127.0.0.1:5000", "http://sommet.example.org", "sommet.example.org",
                                     "", "https://", "https://sommet.example.org/?next=x"])
def test_production_refuses_to_start_without_an_https_public_address(production, address):
    with pytest.raises(PublicAddressError, match="PUBLIC_URL"):
        production(PUBLIC_URL=address)


def test_development_answers_loopback_and_local_network_hosts(tmp_path):
    app = create_app("development", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'd.db'}"})
    assert app.config["TRUSTED_HOSTS"] is None
    client = app.test_client()
    for host in ("127.0.0.1:5000", "localhost:5000", "localhost", "192.168.1.20:5000"):
        assert client.get("/login", headers={"Host": host}).status_code == 200, host


def test_public_url_ignores_the_request_and_works_without_one(app):
    assert public_url("auth.login") == "http://mediane.test/login"  # a job or a command: no request
    with app.test_request_context("/login", base_url="http://evil.example"):
        assert public_url("auth.reset_password", token="t0k") == "http://mediane.test/password/reset/t0k"
        assert public_url("leads_api.scanner", _anchor="pair=AB12") == "http://mediane.test/scan/#pair=AB12"
        assert public_path("auth.login") == "/login"
        assert public_hostname() == "mediane.test" and public_base_url() == "http://mediane.test"


def test_public_url_keeps_the_path_of_a_site_served_under_a_prefix(app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://outils.example.org/mediane/")
    assert public_url("auth.login") == "https://outils.example.org/mediane/login"
    assert public_path("auth.login") == "/mediane/login"
    assert public_base_url() == "https://outils.example.org/mediane"


#: What builds a URL from the request: the Host header (or X-Forwarded-Host) would end up in the link.
FROM_THE_REQUEST = re.compile(r"_external\s*=|request\.(host|host_url|url_root|root_url|base_url|url)\b"
                              r"|test_request_context|SERVER_NAME")


def test_no_link_is_built_from_the_request_outside_app_core_urls():
    offenders = []
    for path in sorted(APP_DIR.rglob("*")):
        if path.suffix not in (".py", ".html", ".txt") or path == APP_DIR / "core" / "urls.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if FROM_THE_REQUEST.search(line):
                offenders.append(f"{path.relative_to(APP_DIR)}:{number}: {line.strip()}")
    assert not offenders, "build links with app.core.urls.public_url:\n" + "\n".join(offenders)


def test_mail_templates_link_only_through_public_url():
    for template in sorted((APP_DIR / "mail" / "templates" / "mail").glob("*.txt")):
        text = template.read_text(encoding="utf-8")
        assert "url_for(" not in text, template.name
        assert "http://" not in text and "https://" not in text, template.name
