"""Maintainers' accounts and their server-side login sessions (app database).

Passwords are stored as argon2id hashes. A session is a random token held in the
browser's cookie; only its SHA-256 is stored, so a copy of the database opens no session.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import Final, Literal, cast

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import DateTime, ForeignKey, Integer, String, delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.db import Base

Role = Literal["maintainer", "reader"]
ROLES: Final[tuple[Role, ...]] = ("maintainer", "reader")
IDLE_TIMEOUT: Final = dt.timedelta(hours=8)
MAX_SESSION_AGE: Final = dt.timedelta(hours=24)
MIN_PASSWORD_CHARS: Final = 12
NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")


class AccountError(ValueError):
    pass


class AdminUser(Base):
    __tablename__ = "admin_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(32), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    created: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class AdminSession(Base):
    __tablename__ = "admin_session"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("admin_user.id", ondelete="CASCADE"))
    csrf: Mapped[str] = mapped_column(String(64))
    created: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_seen: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: Role

    @property
    def can_edit(self) -> bool:
        """Maintainers annotate, export, retrain and promote; readers only look."""
        return self.role == "maintainer"


@dataclass(frozen=True)
class LoginSession:
    user: User
    csrf: str


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _user(row: AdminUser) -> User:
    return User(row.id, row.name, cast(Role, row.role))


def _aware(value: dt.datetime) -> dt.datetime:
    # SQLite returns naive datetimes; everything is stored in UTC.
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


class Accounts:
    def __init__(self, engine: Engine, hasher: PasswordHasher | None = None) -> None:
        self.engine = engine
        self._hasher = hasher or PasswordHasher()
        self._dummy_hash = self._hasher.hash(secrets.token_urlsafe(16))

    def add(self, name: str, password: str, role: str) -> User:
        if not NAME.match(name):
            raise AccountError("names are 2–32 characters: a-z, 0-9, '.', '_' or '-'")
        if role not in ROLES:
            raise AccountError(f"role must be one of {', '.join(ROLES)}")
        if len(password) < MIN_PASSWORD_CHARS:
            raise AccountError(f"passwords need at least {MIN_PASSWORD_CHARS} characters")
        with Session(self.engine) as session, session.begin():
            if session.scalar(select(AdminUser).where(AdminUser.name == name)) is not None:
                raise AccountError(f"user {name} already exists")
            row = AdminUser(
                name=name,
                role=role,
                password_hash=self._hasher.hash(password),
                created=dt.datetime.now(dt.UTC),
            )
            session.add(row)
            session.flush()
            return _user(row)

    def remove(self, name: str) -> bool:
        with Session(self.engine) as session, session.begin():
            row = session.scalar(select(AdminUser).where(AdminUser.name == name))
            if row is None:
                return False
            session.execute(delete(AdminSession).where(AdminSession.user_id == row.id))
            session.delete(row)
            return True

    def users(self) -> list[User]:
        with Session(self.engine) as session:
            return [_user(r) for r in session.scalars(select(AdminUser).order_by(AdminUser.name))]

    def authenticate(self, name: str, password: str) -> User | None:
        """The user when the password is right; as slow for unknown names as for known."""
        with Session(self.engine) as session, session.begin():
            row = session.scalar(select(AdminUser).where(AdminUser.name == name))
            try:
                self._hasher.verify(row.password_hash if row else self._dummy_hash, password)
            except (VerificationError, InvalidHashError):
                return None
            if row is None:
                return None
            if self._hasher.check_needs_rehash(row.password_hash):
                row.password_hash = self._hasher.hash(password)
            return _user(row)

    def start_session(self, user: User) -> tuple[str, LoginSession]:
        """A new session for `user`: the token for the cookie, and the session."""
        token = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(32)
        now = dt.datetime.now(dt.UTC)
        with Session(self.engine) as session, session.begin():
            session.add(
                AdminSession(
                    token_hash=_token_hash(token),
                    user_id=user.id,
                    csrf=csrf,
                    created=now,
                    last_seen=now,
                )
            )
        return token, LoginSession(user, csrf)

    def session(self, token: str, now: dt.datetime | None = None) -> LoginSession | None:
        """The live session for `token`, extending it; None (and forgotten) once expired."""
        now = now or dt.datetime.now(dt.UTC)
        with Session(self.engine) as session, session.begin():
            row = session.get(AdminSession, _token_hash(token))
            if row is None:
                return None
            expired = (
                now - _aware(row.last_seen) > IDLE_TIMEOUT
                or now - _aware(row.created) > MAX_SESSION_AGE
            )
            user = session.get(AdminUser, row.user_id)
            if expired or user is None:
                session.delete(row)
                return None
            row.last_seen = now
            return LoginSession(_user(user), row.csrf)

    def end_session(self, token: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(AdminSession).where(AdminSession.token_hash == _token_hash(token)))

    def forget_expired(self, now: dt.datetime | None = None) -> None:
        now = now or dt.datetime.now(dt.UTC)
        with self.engine.begin() as conn:
            conn.execute(
                delete(AdminSession).where(
                    (AdminSession.last_seen < now - IDLE_TIMEOUT)
                    | (AdminSession.created < now - MAX_SESSION_AGE)
                )
            )


BOOTSTRAP_USER = "admin"


def bootstrap_admin(engine: Engine, password: str) -> User | None:
    """With LANDSBY_ADMIN_PASSWORD set and no account yet: a first maintainer, `admin`.

    Lets a fresh installation be reviewed without a terminal; later accounts are made
    with `landsby user add`, and the variable changes nothing once any account exists.
    """
    accounts = Accounts(engine)
    if not password or accounts.users():
        return None
    return accounts.add(BOOTSTRAP_USER, password, "maintainer")
