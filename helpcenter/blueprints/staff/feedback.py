"""(being written)"""

from helpcenter.blueprints.staff.views import bp  # noqa: F401
