"""`/healthz`, for load balancers and monitors."""

from helpcenter.blueprints.health.views import bp

__all__ = ["bp"]
