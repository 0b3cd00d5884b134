"""The admin blueprint object, in a module of its own so the page modules register on it without
importing each other (no import cycle)."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")
