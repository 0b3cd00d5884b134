"""The analytics Actor for the current request: the visitor, and the signed-in user if any."""

from flask_login import current_user

from helpcenter.services.insights.events import Actor
from helpcenter.visitors import is_crawler, visitor_id


def current_actor() -> Actor:
    signed_in = current_user.is_authenticated
    return Actor(
        visitor_id=visitor_id(),
        user_id=current_user.id if signed_in else None,
        is_staff=signed_in and current_user.is_staff,
        is_crawler=is_crawler(),
    )
