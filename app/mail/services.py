"""The mail interface: every message lands in the outbox table, and goes out by SMTP when configured."""
from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app, render_template
from flask_babel import force_locale

from app.core.i18n import supported_locale
from app.core.timefmt import utcnow
from app.core.transaction import atomic
from app.core.urls import rendering_context
from app.extensions import db
from app.mail.models import OutboxMessage


def send_mail(recipient: str, *, template: str, locale: str, kind: str, event_id: int | None = None,
              **context) -> OutboxMessage:
    """Render `mail/<template>.txt` in `locale` (first line: subject) and queue it in the outbox.

    A step of the caller's unit of work, which stores the message with the change it tells of (and
    drops it if that is rolled back); delivery happens after the commit, in a job.
    """
    # Links in mail come from app.core.urls.public_url: the public address, never the request's host.
    with rendering_context(), force_locale(supported_locale(locale)):
        text = render_template(f"mail/{template}.txt", **context)
    subject, _, body = text.strip().partition("\n")
    message = OutboxMessage(
        recipient=recipient,
        subject=subject.strip(),
        body=body.strip() + "\n",
        kind=kind,
        event_id=event_id,
        status="queued" if current_app.config.get("MAIL_SERVER") else "outbox",
    )
    db.session.add(message)
    return message


@atomic()
def deliver(message: OutboxMessage) -> None:
    """Send one queued message by SMTP and record the outcome, committed message by message (a unit of
    work each: what went out is not sent again by the next pass when a later message fails)."""
    config = current_app.config
    email = EmailMessage()
    email["From"] = config["MAIL_SENDER"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email.set_content(message.body)
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
            smtp.send_message(email)
    except (OSError, smtplib.SMTPException) as exc:
        message.status = "failed"
        message.error = str(exc)
    else:
        message.status = "sent"
        message.sent_at = utcnow()
