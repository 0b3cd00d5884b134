"""Outgoing mail: multipart text + HTML in the recipient's language, sent over SMTP.

Each mail is one template, `templates/mail/<name>.html`, with macros `subject`, `text` and
`html`. Mail is delivered on a background thread, so answering a request never waits for the
mail server (and a reset for an unknown address takes as long as one for a known address).
With no MAIL_SERVER outside production, the message is written to the log instead.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import threading
from email import policy as email_policy
from email.headerregistry import HeaderRegistry, UnstructuredHeader
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app, get_template_attribute
from flask_babel import force_locale

log = logging.getLogger(__name__)


class _VerbatimHeader(UnstructuredHeader):
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
    message["Subject"] = subject
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
    """Compose now (in the request's app context), deliver in the background."""
    message = compose(template, to, lang, reply_to, **context)
    settings = {key: current_app.config.get(key) for key in _SETTINGS}
    if not settings["MAIL_SERVER"]:
        level = (
            logging.WARNING if current_app.config.get("ENV_NAME") == "production" else logging.INFO
        )
        log.log(
            level,
            "No MAIL_SERVER configured; mail not sent:\n%s",
            message.get_body(("plain",)).get_content(),
        )
        return
    thread = threading.Thread(target=_deliver, args=(settings, message), daemon=True)
    thread.start()


_SETTINGS = (
    "MAIL_SERVER",
    "MAIL_PORT",
    "MAIL_USE_TLS",
    "MAIL_USE_SSL",
    "MAIL_USERNAME",
    "MAIL_PASSWORD",
    "MAIL_TIMEOUT",
)


def _deliver(settings: dict, message: EmailMessage) -> None:
    try:
        smtp_class = smtplib.SMTP_SSL if settings["MAIL_USE_SSL"] else smtplib.SMTP
        with smtp_class(
            settings["MAIL_SERVER"], settings["MAIL_PORT"], timeout=settings["MAIL_TIMEOUT"]
        ) as smtp:
            if settings["MAIL_USE_TLS"] and not settings["MAIL_USE_SSL"]:
                smtp.starttls(context=ssl.create_default_context())
            if settings["MAIL_USERNAME"]:
                smtp.login(settings["MAIL_USERNAME"], settings["MAIL_PASSWORD"] or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException):
        log.exception("Could not send mail %r to %s", message["Subject"], message["To"])
