"""The one place a request's bearer token is checked: a guard that resolves it to the caller
(tokens.py) before the handler runs and before its body is read, and the dependency that hands
the caller to the handler. Duck-typed on the connection, so it needs the framework only for
type checking; a deployment with single sign-on replaces `tokens.authenticate`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import anyio.to_thread

from leye_yiyang.accounts import service, tokens
from leye_yiyang.accounts.policy import Principal
from leye_yiyang.db import Database

if TYPE_CHECKING:
    from litestar.connection import ASGIConnection
    from litestar.handlers.base import BaseRouteHandler

# The OpenAPI security requirement of every guarded operation (scheme declared in app.py).
BEARER: list[dict[str, list[str]]] = [{"BearerToken": []}]


def _authenticate(db: Database, header: str | None) -> Principal:
    # A write transaction: the check may stamp last_used_at, and on SQLite a read transaction
    # that then writes fails at once when another request wrote in between.
    with db.write_transaction() as session:
        return tokens.authenticate(session, header, service.now())


async def require_token(
    connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler
) -> None:
    """The guard on every protected route: before the body is read, resolve the bearer token
    (tokens.py, the one place tokens are checked) to the caller, or answer 401."""
    db: Database = connection.app.state["db"]
    header = connection.headers.get("authorization")
    who = await anyio.to_thread.run_sync(_authenticate, db, header)
    connection.state["principal"] = who
    # Logs name the account, never the token.
    connection.state["account_id"] = who.account_id
