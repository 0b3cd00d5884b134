"""Extension objects, created unbound and initialised in create_app."""

from typing import TYPE_CHECKING

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from helpcenter.search_index import SearchIndex


class Base(DeclarativeBase):
    # Named constraints, so later migrations can alter them on SQLite and PostgreSQL alike.
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


db = SQLAlchemy(model_class=Base)

# The models' base class. db.Model is made at run time as a subclass of Base, which type checkers
# cannot follow (mypy issue 8603, Flask-SQLAlchemy issue 1186), so they are shown Base itself.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model

migrate = Migrate()
csrf = CSRFProtect()
babel = Babel()
search_index = SearchIndex()
login_manager = LoginManager()
# The limiter's keys hold client addresses: the database stores them only as an HMAC
# (rate_limits.py), Redis as they are, for the length of a window.
limiter = Limiter(key_func=get_remote_address)
