"""The staff blueprint object, in a module of its own so every staff page module can register on
it without importing another page module (no import cycle)."""

from flask import Blueprint

from helpcenter.blueprints.query_links import same_query

bp = Blueprint("staff", __name__, url_prefix="/staff")
bp.add_app_template_global(same_query)
