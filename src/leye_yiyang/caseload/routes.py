"""HTTP for a social worker's caseload and the district's audit. Thin: every rule is in
service.py; every handler runs in the request's one transaction."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from litestar import Controller, get, post
from litestar.params import Parameter
from sqlalchemy.orm import Session

from leye_yiyang.accounts.guard import BEARER, require_token
from leye_yiyang.accounts.policy import Principal
from leye_yiyang.accounts.service import now
from leye_yiyang.caseload import audit, service
from leye_yiyang.caseload import schemas as s
from leye_yiyang.caseload.protect import Keyring
from leye_yiyang.caseload.views import consent_out
from leye_yiyang.db import Database
from leye_yiyang.openapi import Id
from leye_yiyang.problems import AUTH_READ, WRITE, problem_responses
from leye_yiyang.snapshot.context import GeoContext
from leye_yiyang.spatial.datums import Datum

Limit = Annotated[int, Parameter(ge=1, le=200)]
Offset = Annotated[int, Parameter(ge=0, le=1_000_000)]


class CaseloadController(Controller):
    """Reads use the request's session; writes (`writes`, the database) commit inside the
    handler's own thread: a SQLite write lock held until the framework's clean-up would wait
    on worker threads that themselves wait on the lock."""

    path = "/v1"
    tags = ["caseload"]
    security = BEARER
    guards = [require_token]

    @post(
        "/residents",
        status_code=201,
        sync_to_thread=True,
        summary="Register a resident in the worker's caseload (consent first for sensitive data)",
        responses=problem_responses(*WRITE),
    )
    def register(
        self,
        writes: Database,
        keys: Keyring,
        geo: GeoContext,
        principal: Principal,
        data: s.ResidentIn,
    ) -> s.ResidentOut:
        at = now()
        with writes.write_transaction() as session:
            row = service.register(session, keys, geo.snapshot, principal, data, at)
            return service.view(session, keys, geo.snapshot, row, data.home.crs, at.date())

    @get(
        "/residents",
        sync_to_thread=True,
        summary="The worker's organisation's caseload, masked; `id_number` finds one resident",
        responses=problem_responses(*AUTH_READ),
    )
    def list_residents(
        self,
        db_session: Session,
        keys: Keyring,
        geo: GeoContext,
        principal: Principal,
        id_number: Annotated[str, Parameter(max_length=32)] | None = None,
        crs: Datum = Datum.WGS84,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> s.ResidentPage:
        total, rows = service.find(db_session, keys, principal, id_number, limit, offset)
        today = now().date()
        items = [service.view(db_session, keys, geo.snapshot, r, crs, today) for r in rows]
        return s.ResidentPage(total=total, items=items)

    @get(
        "/residents/{resident_id:int}",
        sync_to_thread=True,
        summary="One resident of the worker's organisation, masked",
        responses=problem_responses(*AUTH_READ),
    )
    def get_resident(
        self,
        db_session: Session,
        keys: Keyring,
        geo: GeoContext,
        principal: Principal,
        resident_id: Id,
        crs: Datum = Datum.WGS84,
    ) -> s.ResidentOut:
        row = service.load(db_session, principal, resident_id)
        return service.view(db_session, keys, geo.snapshot, row, crs, now().date())

    @post(
        "/residents/{resident_id:int}/reveal",
        status_code=200,
        sync_to_thread=True,
        summary="The full ID number and phone, to the owning worker only; audited",
        responses=problem_responses(*AUTH_READ),
    )
    def reveal(
        self, writes: Database, keys: Keyring, principal: Principal, resident_id: Id
    ) -> s.Revealed:
        with writes.write_transaction() as session:
            return service.reveal(session, keys, principal, resident_id, now())

    @post(
        "/residents/{resident_id:int}/consents",
        status_code=201,
        sync_to_thread=True,
        summary="Record a consent (what, scope, how given, by whom)",
        responses=problem_responses(*WRITE),
    )
    def give_consent(
        self, writes: Database, principal: Principal, resident_id: Id, data: s.ConsentIn
    ) -> s.ConsentOut:
        with writes.write_transaction() as session:
            return consent_out(service.give_consent(session, principal, resident_id, data, now()))

    @post(
        "/residents/{resident_id:int}/consents/{consent_id:int}/withdraw",
        status_code=200,
        sync_to_thread=True,
        summary="Withdraw a consent; withdrawing `sensitive` erases the sensitive fields",
        responses=problem_responses(*WRITE),
    )
    def withdraw_consent(
        self,
        writes: Database,
        principal: Principal,
        resident_id: Id,
        consent_id: Id,
        data: s.WithdrawIn,
    ) -> s.ConsentOut:
        with writes.write_transaction() as session:
            c = service.withdraw_consent(
                session, principal, resident_id, consent_id, data.note, now()
            )
            return consent_out(c)

    @get(
        "/caseload/counts",
        sync_to_thread=True,
        summary="Residents per organisation, counts only (district admin)",
        responses=problem_responses(*AUTH_READ),
    )
    def counts(self, db_session: Session, principal: Principal) -> s.CaseloadCounts:
        return service.counts(db_session, principal)

    @get(
        "/audit",
        sync_to_thread=True,
        summary="The casework audit, newest first, by resident, account and date (district admin)",
        responses=problem_responses(*AUTH_READ),
    )
    def audit_events(
        self,
        db_session: Session,
        principal: Principal,
        resident_id: Id | None = None,
        account_id: Id | None = None,
        since: dt.datetime | None = None,
        until: dt.datetime | None = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> s.AuditPage:
        return audit.page(
            db_session,
            principal,
            resident_id=resident_id,
            account_id=account_id,
            since=since,
            until=until,
            limit=limit,
            offset=offset,
        )
