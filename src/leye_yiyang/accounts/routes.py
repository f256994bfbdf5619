"""HTTP for accounts: the bearer-token dependency every protected handler takes, and the
administrator's endpoints to create, list and revoke."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from sqlalchemy.orm import Session

from leye_yiyang.accounts import schemas as s
from leye_yiyang.accounts import service
from leye_yiyang.accounts.guard import BEARER, require_token
from leye_yiyang.accounts.policy import Principal
from leye_yiyang.openapi import Id
from leye_yiyang.problems import AUTH_READ, WRITE, problem_responses


def current_principal(request: Request[Any, Any, Any]) -> Principal:
    """The caller as `require_token` resolved it (the handler's `principal` parameter)."""
    who: Principal = request.state["principal"]
    return who


class AccountController(Controller):
    path = "/v1"
    tags = ["accounts"]
    guards = [require_token]
    security = BEARER

    @get(
        "/me",
        sync_to_thread=True,
        summary="Who the token belongs to",
        responses=problem_responses(*AUTH_READ),
    )
    def whoami(self, principal: Principal) -> s.Me:
        return service.me(principal)

    @post(
        "/accounts",
        sync_to_thread=True,
        status_code=201,
        summary="Create an account and its first token (district admin; the token is shown once)",
        responses=problem_responses(*WRITE),
    )
    def create_account(
        self, db_session: Session, principal: Principal, data: s.AccountIn
    ) -> s.IssuedToken:
        service.require_admin(principal)
        return service.create_account(db_session, data, service.now())

    @get(
        "/accounts",
        sync_to_thread=True,
        summary="Accounts and their tokens (district admin)",
        responses=problem_responses(*AUTH_READ),
    )
    def list_accounts(self, db_session: Session, principal: Principal) -> s.AccountList:
        service.require_admin(principal)
        return s.AccountList(items=service.list_accounts(db_session))

    @post(
        "/accounts/{account_id:int}/tokens",
        sync_to_thread=True,
        status_code=201,
        summary="Issue another token for an account (district admin; shown once)",
        responses=problem_responses(*WRITE),
    )
    def issue_token(
        self, db_session: Session, principal: Principal, account_id: Id, data: s.TokenIn
    ) -> s.IssuedToken:
        service.require_admin(principal)
        return service.issue_token(db_session, account_id, data.days, service.now())

    @post(
        "/tokens/{token_id:int}/revoke",
        sync_to_thread=True,
        status_code=200,
        summary="Revoke a token (district admin)",
        responses=problem_responses(*WRITE),
    )
    def revoke_token(self, db_session: Session, principal: Principal, token_id: Id) -> s.TokenOut:
        service.require_admin(principal)
        return service.revoke_token(db_session, token_id, service.now())
