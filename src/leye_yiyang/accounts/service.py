"""Accounts and their tokens: create, list, revoke. Framework-free; the caller owns the
transaction."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from leye_yiyang.accounts import schemas as s
from leye_yiyang.accounts import tokens
from leye_yiyang.accounts.policy import Principal, Role
from leye_yiyang.errors import Forbidden, InvalidInput, NotFound
from leye_yiyang.models import AccessToken, Account, Area, Facility


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def require_admin(who: Principal) -> None:
    if who.role is not Role.DISTRICT_ADMIN:
        raise Forbidden(
            "只有区级管理员可以管理账号",
            "Only the district administrator manages accounts",
            code="admin_only",
        )


def _check_scope(session: Session, rec: s.AccountIn) -> None:
    if rec.role is Role.SOCIAL_WORKER and not (rec.area_code or rec.organisation):
        raise InvalidInput(
            "社工账号须属于一个街道/镇或一个机构",
            "A social worker belongs to a subdistrict/town or an organisation",
            code="scope_required",
            field="area_code",
        )
    if rec.area_code is not None:
        area = session.get(Area, rec.area_code)
        if area is None or area.level not in ("subdistrict", "town"):
            raise InvalidInput(
                f"{rec.area_code} 不是街道或镇的编码",
                f"{rec.area_code} is not the code of a subdistrict or town",
                code="area_not_found",
                field="area_code",
            )
    if rec.role is Role.PROVIDER_STAFF:
        if rec.facility_id is None:
            raise InvalidInput(
                "机构工作人员账号须属于一个服务设施",
                "A provider staff account belongs to one facility",
                code="scope_required",
                field="facility_id",
            )
        if session.get(Facility, rec.facility_id) is None:
            raise NotFound(
                f"没有编号为 {rec.facility_id} 的服务设施",
                f"No facility with id {rec.facility_id}",
                code="facility_not_found",
                field="facility_id",
            )
    elif rec.facility_id is not None:
        raise InvalidInput(
            "只有机构工作人员账号属于服务设施",
            "Only provider staff accounts belong to a facility",
            code="scope_not_allowed",
            field="facility_id",
        )


def _token_out(t: AccessToken) -> s.TokenOut:
    return s.TokenOut(
        id=t.id,
        account_id=t.account_id,
        created_at=t.created_at,
        expires_at=t.expires_at,
        last_used_at=t.last_used_at,
        revoked_at=t.revoked_at,
    )


def _account_out(a: Account, toks: list[AccessToken]) -> s.AccountOut:
    return s.AccountOut(
        id=a.id,
        name=a.name,
        role=Role(a.role),
        area_code=a.area_code,
        organisation=a.organisation,
        facility_id=a.facility_id,
        active=a.active,
        created_at=a.created_at,
        tokens=[_token_out(t) for t in toks],
    )


def create_account(session: Session, rec: s.AccountIn, at: dt.datetime) -> s.IssuedToken:
    _check_scope(session, rec)
    account = Account(
        name=rec.name,
        role=rec.role.value,
        area_code=rec.area_code,
        organisation=rec.organisation,
        facility_id=rec.facility_id,
        active=True,
        created_at=at,
    )
    session.add(account)
    session.flush()
    secret, row = tokens.issue(session, account, at, rec.days)
    return s.IssuedToken(
        token=secret,
        token_id=row.id,
        expires_at=row.expires_at,
        account=_account_out(account, [row]),
    )


def issue_token(session: Session, account_id: int, days: int, at: dt.datetime) -> s.IssuedToken:
    account = _account(session, account_id)
    secret, row = tokens.issue(session, account, at, days)
    return s.IssuedToken(
        token=secret,
        token_id=row.id,
        expires_at=row.expires_at,
        account=_account_out(account, _tokens_of(session, account.id)),
    )


def _account(session: Session, account_id: int) -> Account:
    account = session.get(Account, account_id)
    if account is None:
        raise NotFound(
            f"没有编号为 {account_id} 的账号",
            f"No account with id {account_id}",
            code="account_not_found",
        )
    return account


def _tokens_of(session: Session, account_id: int) -> list[AccessToken]:
    return list(
        session.scalars(
            select(AccessToken).where(AccessToken.account_id == account_id).order_by(AccessToken.id)
        )
    )


def list_accounts(session: Session) -> list[s.AccountOut]:
    by_account: dict[int, list[AccessToken]] = {}
    for t in session.scalars(select(AccessToken).order_by(AccessToken.id)):
        by_account.setdefault(t.account_id, []).append(t)
    return [
        _account_out(a, by_account.get(a.id, []))
        for a in session.scalars(select(Account).order_by(Account.id))
    ]


def revoke_token(session: Session, token_id: int, at: dt.datetime) -> s.TokenOut:
    row = session.get(AccessToken, token_id)
    if row is None:
        raise NotFound(
            f"没有编号为 {token_id} 的令牌", f"No token with id {token_id}", code="token_not_found"
        )
    if row.revoked_at is None:
        row.revoked_at = at
        session.flush()
    return _token_out(row)


def me(who: Principal) -> s.Me:
    return s.Me(
        account_id=who.account_id,
        token_id=who.token_id,
        name=who.name,
        role=who.role,
        area_code=who.area_code,
        organisation=who.organisation,
        facility_id=who.facility_id,
    )
