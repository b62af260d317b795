"""Counts in translated sentences read the reader's way: 1 234 in French, 1,234 in English, in templates and code."""
import re
from pathlib import Path

import pytest
from flask import render_template_string
from flask_babel import force_locale

from app.core.sentences import gettext, ngettext

APP = Path(__file__).resolve().parents[2] / "app"


@pytest.mark.parametrize(("language", "people"), [("fr", "7\u202f464 personnes seront prévenues par e-mail"),
                                                  ("en", "7,464 people will be told by e-mail")])
def test_a_count_in_a_sentence_is_grouped_in_templates_and_in_code(app, language, people):
    source = '{{ ngettext("%(num)d person will be told by e-mail", "%(num)d people will be told by e-mail", n) }}'
    with app.test_request_context(), force_locale(language):
        assert render_template_string(source, n=7464) == people
        assert render_template_string(source.replace(", n)", ", n, num=n)"), n=7464) == people  # `num` given too
        assert ngettext("%(num)d person will be told by e-mail", "%(num)d people will be told by e-mail", 7464) == people
        # Below 1,000, and a number given as %(name)s (a year, a version), nothing changes.
        assert render_template_string('{{ ngettext("%(num)d job", "%(num)d jobs", 999) }}').startswith("999 ")
        assert gettext("Visit plan, version %(version)s", version=2027).endswith(" 2027")


def test_the_variables_stay_escaped_and_the_sentence_safe(app):
    source = '{{ ngettext("%(num)d e-mail matches “%(q)s”.", "%(num)d e-mails match “%(q)s”.", n, q=q) }}'
    with app.test_request_context(), force_locale("en"):
        html = render_template_string(source, n=1500, q="<b>")
    assert html == "1,500 e-mails match “&lt;b&gt;”."


def test_code_that_puts_a_whole_number_in_a_sentence_translates_through_sentences():
    """A module with a `%(name)d` sentence imports gettext/ngettext from app.core.sentences, not flask_babel."""
    wrong = []
    for path in APP.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"%\(\w+\)d", text) and re.search(r"from flask_babel import [^\n]*\b(gettext as _|ngettext)\b", text):
            wrong.append(str(path.relative_to(APP)))
    assert wrong == []
