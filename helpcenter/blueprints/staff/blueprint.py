"""The staff blueprint object, in a module of its own so every staff page module can register on
it without importing another page module (no import cycle)."""

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")
