"""The staff area (guarded for staff by access.py): articles and their revisions, feedback,
promotion from the community, synonyms, insights and goals."""

# Importing the page modules registers their routes on the blueprint.
from helpcenter.blueprints.staff import (  # noqa: F401
    articles,
    feedback,
    goals,
    insights,
    moderation,
    promote,
    synonyms,
)
from helpcenter.blueprints.staff.blueprint import bp

__all__ = ["bp"]
