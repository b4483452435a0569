"""The one error family of Tejido: every failure a user can meet is a TejidoError."""

from __future__ import annotations

__all__ = [
    "BadInputError",
    "ClusterUnavailableError",
    "ConflictError",
    "ForbiddenError",
    "NotFoundError",
    "PasswordChangeRequired",
    "TejidoError",
    "TooManyAttemptsError",
    "UnauthorizedError",
]


class TejidoError(Exception):
    """Root of every error Tejido raises on purpose.

    ``http_status`` is what the web layer answers with; ``exit_code`` is what the CLI
    exits with.
    """

    http_status: int = 500
    exit_code: int = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def to_dict(self) -> dict[str, object]:
        return {"error": type(self).__name__, "message": self.message}

    def __reduce__(self) -> tuple[object, ...]:
        # Errors cross process boundaries (parsing runs in worker processes): keep the
        # file, line and field instead of re-running __init__ on the formatted message.
        return (_rebuild, (type(self), self.args, dict(self.__dict__)))


def _rebuild(
    cls: type[TejidoError], args: tuple[object, ...], state: dict[str, object]
) -> TejidoError:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class BadInputError(TejidoError):
    """Input that cannot be read: names the file, the line and the field when known.

    >>> str(BadInputError("not a date", file="Connections.csv", line=7, field="Connected On"))
    'Connections.csv, line 7, field "Connected On": not a date'
    """

    http_status = 422
    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        self.file = file
        self.line = line
        self.field = field
        self.reason = message
        where = [part for part in (file, f"line {line}" if line else None) if part]
        if field:
            where.append(f'field "{field}"')
        super().__init__(f"{', '.join(where)}: {message}" if where else message)

    def to_dict(self) -> dict[str, object]:
        return {**super().to_dict(), "file": self.file, "line": self.line, "field": self.field}


class NotFoundError(TejidoError):
    """Something asked for by name or id does not exist."""

    http_status = 404
    exit_code = 3


class ForbiddenError(TejidoError):
    """The caller may not see or change this (consent, role)."""

    http_status = 403
    exit_code = 4


class ConflictError(TejidoError):
    """The request contradicts what the store holds."""

    http_status = 409
    exit_code = 5


class UnauthorizedError(TejidoError):
    """Nobody (valid) is signed in: wrong password, no token, an expired session."""

    http_status = 401
    exit_code = 4


class PasswordChangeRequired(ForbiddenError):
    """The account must choose a new password before anything else (after an admin reset)."""


class TooManyAttemptsError(TejidoError):
    """Too many failed attempts lately: refused whatever the credentials."""

    http_status = 429
    exit_code = 6


class ClusterUnavailableError(TejidoError):
    """The Dask scheduler of the settings does not answer, or has no workers."""

    http_status = 503
    exit_code = 7
