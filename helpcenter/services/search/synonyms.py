"""Staff-managed synonyms: groups of terms that mean the same (ログイン, サインイン, login)."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from helpcenter.extensions import db
from helpcenter.models import SynonymGroup, User
from helpcenter.services import audit
from helpcenter.services.errors import ServiceError

MAX_TERMS = 10


class SynonymError(ServiceError):
    """Input staff can fix; the message says what."""


def parse_terms(text: str) -> list[str]:
    terms = [t.strip() for t in re.split(r"[,、，\n]+", text or "") if t.strip()]
    return list(dict.fromkeys(t[:60] for t in terms))


def all_groups() -> list[list[str]]:
    """Every group's terms, for query expansion (one small query per search)."""
    return [
        list(terms)
        for terms in db.session.scalars(select(SynonymGroup.terms).order_by(SynonymGroup.id))
    ]


def groups(lang: str | None = None) -> list[SynonymGroup]:
    query = select(SynonymGroup).order_by(SynonymGroup.lang, SynonymGroup.id)
    if lang:
        query = query.where(SynonymGroup.lang == lang)
    return list(db.session.scalars(query))


def add_group(staff: User, lang: str, text: str) -> SynonymGroup:
    """Declare terms equivalent; searches expand with them at once. Audited. Commits."""
    terms = parse_terms(text)
    if not 2 <= len(terms) <= MAX_TERMS:
        raise SynonymError(
            _l("Give between 2 and %(most)s terms, separated by commas.", most=MAX_TERMS)
        )
    group = SynonymGroup(lang=lang, terms=terms)
    db.session.add(group)
    audit.record(staff, "synonyms.add", lang, terms=", ".join(terms))
    db.session.commit()
    return group


def delete_group(staff: User, group_id: int) -> bool:
    group = db.session.get(SynonymGroup, group_id)
    if group is None:
        return False
    audit.record(staff, "synonyms.delete", group.lang, terms=", ".join(group.terms))
    db.session.delete(group)
    db.session.commit()
    return True
