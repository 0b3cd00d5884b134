"""The admin area (guarded for admins by access.py): people, jobs, the audit log, webhooks."""

# Importing the page modules registers their routes on the blueprint.
from helpcenter.blueprints.admin import views, webhooks  # noqa: F401
from helpcenter.blueprints.admin.blueprint import bp

__all__ = ["bp"]
