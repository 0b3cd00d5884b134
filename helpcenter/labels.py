"""What people read for the codes the database stores (roles, token scopes, audit actions,
revision fields): the codes stay stable in the database, CSV and API; pages show them in the
reader's language."""

from __future__ import annotations

from flask import Flask
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

ROLES = {"member": _l("Member"), "staff": _l("Staff"), "admin": _l("Admin")}

REVISION_FIELDS = {
    "title": _l("Title"),
    "slug": _l("Address"),
    "summary": _l("Summary"),
    "status": _l("Status"),
    "tags": _l("Tags"),
}

TOKEN_SCOPES = {
    "read": _l("Search the help center"),
    "analytics:read": _l("Read analytics and search logs (staff)"),
    "admin:read": _l("Read the list of people (admins)"),
}

AUDIT_ACTIONS = {
    "account.delete": _l("Account deleted"),
    "api_token.create": _l("API token created"),
    "api_token.revoke": _l("API token revoked"),
    "article.archive": _l("Article archived"),
    "article.link_translation": _l("Translations linked"),
    "article.publish": _l("Article published"),
    "article.restore": _l("Revision restored"),
    "article.save": _l("Article saved"),
    "article.schedule": _l("Article scheduled"),
    "article.take_ownership": _l("Article owner changed"),
    "article.unarchive": _l("Article back as a draft"),
    "article.unlink_translation": _l("Translation link removed"),
    "article.unschedule": _l("Schedule cancelled"),
    "feedback.new": _l("Feedback marked new"),
    "feedback.planned": _l("Feedback planned"),
    "feedback.resolved": _l("Feedback resolved"),
    "feedback.dismissed": _l("Feedback dismissed"),
    "gap.open": _l("Gap reopened"),
    "goal.archive": _l("Goal archived"),
    "goal.create": _l("Goal set"),
    "goal.restore": _l("Goal restored"),
    "goal.status_changed": _l("Goal status changed"),
    "goal.update": _l("Goal changed"),
    "job.retry": _l("Background job retried"),
    "job.discard": _l("Background job discarded"),
    "gap.planned": _l("Gap planned"),
    "gap.addressed": _l("Gap addressed"),
    "gap.dismissed": _l("Gap dismissed"),
    "gap.draft_article": _l("Article started from a gap"),
    "moderation.approve": _l("Post approved"),
    "moderation.hide": _l("Post hidden"),
    "moderation.delete": _l("Post deleted"),
    "moderation.warn": _l("Author warned"),
    "moderation.suspend": _l("Author suspended"),
    "synonyms.add": _l("Synonyms added"),
    "synonyms.delete": _l("Synonyms removed"),
    "thread.lock": _l("Thread locked"),
    "thread.unlock": _l("Thread unlocked"),
    "thread.pin": _l("Thread pinned"),
    "thread.unpin": _l("Thread unpinned"),
    "thread.hide": _l("Thread hidden"),
    "thread.unhide": _l("Thread shown again"),
    "thread.move": _l("Thread moved"),
    "thread.merge": _l("Threads merged"),
    "thread.promote": _l("Thread promoted to an article"),
    "user.create": _l("Account created"),
    "user.set_role": _l("Role changed"),
    "user.suspend": _l("Account suspended"),
    "user.unsuspend": _l("Account restored"),
    "webhook.create": _l("Webhook endpoint registered"),
    "webhook.enable": _l("Webhook endpoint enabled"),
    "webhook.disable": _l("Webhook endpoint disabled"),
    "webhook.delete": _l("Webhook endpoint deleted"),
    "webhook.test": _l("Webhook test event sent"),
}

WEBHOOK_STATES = {
    "delivered": _l("Delivered"),
    "queued": _l("Queued"),
    "retrying": _l("Failed; will retry"),
    "failed": _l("Not delivered"),
}

WEBHOOK_ERRORS = {
    "http": _l("The receiver answered with an error"),
    "redirect": _l("The receiver answered with a redirect, which is not followed"),
    "timeout": _l("No answer in time"),
    "connection": _l("Could not connect"),
    "dns": _l("The host name could not be found"),
    "refused": _l("Refused: not https, or not a public address"),
    "disabled": _l("Not sent: the endpoint is disabled"),
}


def _label(table: dict[str, LazyString], code: str | None) -> str:
    return str(table.get(code or "", code or ""))


def init_app(app: Flask) -> None:
    app.jinja_env.filters["role_label"] = lambda code: _label(ROLES, code)
    app.jinja_env.filters["field_label"] = lambda code: _label(REVISION_FIELDS, code)
    app.jinja_env.filters["scope_label"] = lambda code: _label(TOKEN_SCOPES, code)
    app.jinja_env.filters["audit_label"] = lambda code: _label(AUDIT_ACTIONS, code)
    app.jinja_env.filters["webhook_state_label"] = lambda code: _label(WEBHOOK_STATES, code)
    app.jinja_env.filters["webhook_error_label"] = lambda code: _label(WEBHOOK_ERRORS, code)
