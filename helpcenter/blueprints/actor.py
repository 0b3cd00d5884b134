"""The analytics Actor for the current request (accounts will add user id and staff flag)."""

from helpcenter.services.analytics import Actor
from helpcenter.visitors import is_crawler, visitor_id


def current_actor() -> Actor:
    return Actor(visitor_id=visitor_id(), is_crawler=is_crawler())
