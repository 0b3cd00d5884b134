"""The one base class for refusals a person reads: the message is a lazy translation, so it is
shown in the language of whoever sees it (page, JSON or command), and callers catch errors by
type, never by comparing their text."""

from __future__ import annotations

from flask_babel import LazyString


class ServiceError(ValueError):
    """Input the person can fix, or an action that no longer applies; `str()` says what."""

    def __init__(self, message: LazyString | str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)
