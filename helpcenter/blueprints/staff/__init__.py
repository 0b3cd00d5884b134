# Importing the page modules registers their routes on the blueprint.
from helpcenter.blueprints.staff import (  # noqa: F401
    articles,
    feedback,
    goals,
    insights,
    promote,
    synonyms,
    views,
)
from helpcenter.blueprints.staff.blueprint import bp

__all__ = ["bp"]
