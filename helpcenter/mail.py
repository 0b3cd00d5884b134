"""Outgoing mail: multipart text + HTML in the recipient's language, sent over SMTP.

Each mail is one template, `templates/mail/<name>.html`, with macros `subject`, `text` and
`html`. Mail is queued as a durable job (helpcenter/jobs.py), so answering a request never waits
for the mail server and a mail server that is down only delays mail. With no MAIL_SERVER,
development prints each mail on the console and production logs a warning.
"""

from __future__ import annotations

import logging
import re
import smtplib
import ssl
from email import message_from_string
from email import policy as email_policy
from email.headerregistry import BaseHeader, HeaderRegistry, UnstructuredHeader
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import click
from flask import current_app, get_template_attribute
from flask_babel import force_locale

from helpcenter import jobs

log = logging.getLogger(__name__)


class _VerbatimHeader(UnstructuredHeader, BaseHeader):
    """A header written as it is: folding a long `<https://…>` would turn it into RFC 2047
    encoded words, which mail clients do not decode in List-Unsubscribe."""

    def fold(self, *, policy: email_policy.Policy) -> str:
        return f"{self.name}: {self}{policy.linesep}"


_header_types = HeaderRegistry()
_header_types.map_to_type("list-unsubscribe", _VerbatimHeader)
# Messages are made with this policy; a stored message must be reparsed with it too.
POLICY = email_policy.default.clone(header_factory=_header_types)


def compose(
    template: str,
    to: str,
    lang: str,
    reply_to: str | None = None,
    *,
    list_unsubscribe: str | None = None,
    **context,
) -> EmailMessage:
    """The message, rendered in `lang`. `list_unsubscribe` is a signed link that stops this
    kind of mail with one POST (RFC 8058): mail clients offer it as an "Unsubscribe" button."""
    macros = {
        part: get_template_attribute(f"mail/{template}.html", part)
        for part in ("subject", "text", "html")
    }
    with force_locale(lang):
        # Macros return escaped markup; the subject and text part want the plain characters.
        subject = macros["subject"](**context).unescape().strip()
        text = macros["text"](**context).unescape().strip() + "\n"
        html = str(macros["html"](**context))
    message = EmailMessage(policy=POLICY)
    message["Subject"] = " ".join(subject.splitlines())  # user text: a line break is a new header
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(
        domain=current_app.config["MAIL_DEFAULT_SENDER"].split("@")[-1].strip(">")
    )
    if reply_to:
        message["Reply-To"] = reply_to
    if list_unsubscribe:
        message["List-Unsubscribe"] = f"<{list_unsubscribe}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    message["Content-Language"] = lang  # after set_content, which drops content headers
    return message


def send(template: str, to: str, lang: str, reply_to: str | None = None, **context) -> None:
    """Compose now (in the caller's app context) and queue a `mail` job in the caller's
    session: the caller's commit makes it durable, a rollback drops it."""
    message = compose(template, to, lang, reply_to, **context)
    jobs.enqueue("mail", {"to": to, "message": message.as_bytes(policy=POLICY).decode()})


_SETTINGS = (
    "MAIL_SERVER",
    "MAIL_PORT",
    "MAIL_USE_TLS",
    "MAIL_USE_SSL",
    "MAIL_USERNAME",
    "MAIL_PASSWORD",
    "MAIL_TIMEOUT",
)


@jobs.handler("mail")
def _deliver_job(payload: dict) -> None:
    """Deliver a queued mail; an error leaves the job to be retried (the worker marks it done
    only when this returns, that is once the SMTP server accepted the message)."""
    deliver_now(message_from_string(payload["message"], policy=POLICY))


def deliver_now(message: EmailMessage) -> None:
    """Hand the message to the SMTP server (or the console); raises if it was not accepted.
    For job handlers: everything else queues mail with `send`."""
    settings = {key: current_app.config.get(key) for key in _SETTINGS}
    if not settings["MAIL_SERVER"]:
        _show_unsent(message)
        return
    _deliver(settings, message)


def _show_unsent(message: EmailMessage) -> None:
    """With no mail server, development prints the mail where `flask run` shows it, so a
    newcomer can follow a confirmation link; production warns."""
    body = message.get_body(("plain",))
    text = body.get_content() if body is not None else ""
    if current_app.config.get("ENV_NAME") == "production":
        log.warning(
            "No MAIL_SERVER configured; mail %r to %s not sent", message["Subject"], message["To"]
        )
        return
    links = "\n".join(f"  {link}" for link in dict.fromkeys(re.findall(r"https?://\S+", text)))
    click.echo(
        f"--- Mail (no MAIL_SERVER configured) ---\nTo: {message['To']}\n"
        f"Subject: {message['Subject']}\nLinks:\n{links or '  (none)'}\n---",
        err=True,
    )


def _deliver(settings: dict, message: EmailMessage) -> None:
    smtp_class = smtplib.SMTP_SSL if settings["MAIL_USE_SSL"] else smtplib.SMTP
    with smtp_class(
        settings["MAIL_SERVER"], settings["MAIL_PORT"], timeout=settings["MAIL_TIMEOUT"]
    ) as smtp:
        if settings["MAIL_USE_TLS"] and not settings["MAIL_USE_SSL"]:
            smtp.starttls(context=ssl.create_default_context())
        if settings["MAIL_USERNAME"]:
            smtp.login(settings["MAIL_USERNAME"], settings["MAIL_PASSWORD"] or "")
        smtp.send_message(message)
