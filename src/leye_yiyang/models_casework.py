"""Storage for casework: the residents a social worker serves, consents, referrals with their
events and held places, idempotency keys, and the append-only audit. Identifiers are stored only
sealed (caseload/protect.py) with a mask and a keyed lookup hash beside them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from leye_yiyang.models import Base, JsonDict, JsonList, UTCDateTime

_ID = BigInteger().with_variant(Integer, "sqlite")


class Resident(Base):
    __tablename__ = "residents"
    __table_args__ = (Index("ix_residents_org_lookup", "organisation", "id_lookup", unique=True),)
    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    # The caseload belongs to the social worker's organisation (their subdistrict or agency).
    organisation: Mapped[str] = mapped_column(String(200), index=True)
    worker_account_id: Mapped[int] = mapped_column(BigInteger, index=True)
    name: Mapped[str] = mapped_column(String(100))
    id_sealed: Mapped[str] = mapped_column(Text)
    id_mask: Mapped[str] = mapped_column(String(18))
    id_lookup: Mapped[str] = mapped_column(String(64))
    birth_date: Mapped[dt.date]
    phone_sealed: Mapped[str | None] = mapped_column(Text)
    phone_mask: Mapped[str | None] = mapped_column(String(20))
    home_lon: Mapped[float]
    home_lat: Mapped[float]
    home_address: Mapped[str] = mapped_column(String(300), default="")
    area_code: Mapped[str] = mapped_column(String(20), index=True)
    statuses: Mapped[JsonList] = mapped_column(default=list)
    needs: Mapped[JsonList] = mapped_column(default=list)
    household: Mapped[JsonList] = mapped_column(default=list)
    # Sensitive personal information (PIPL art. 28), sealed, present only under consent.
    sensitive_sealed: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)


class Consent(Base):
    __tablename__ = "consents"
    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id"), index=True)
    scope: Mapped[str] = mapped_column(String(32))  # sensitive | share
    given_by: Mapped[str] = mapped_column(String(16))  # self | guardian
    guardian_name: Mapped[str | None] = mapped_column(String(100))
    method: Mapped[str] = mapped_column(String(16))  # written | oral | electronic
    recorded_by: Mapped[int] = mapped_column(BigInteger)
    given_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    note: Mapped[str] = mapped_column(String(300), default="")


class Referral(Base):
    __tablename__ = "referrals"
    __table_args__ = (Index("ix_referrals_target", "target_type", "target_id", "state"),)
    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id"), index=True)
    organisation: Mapped[str] = mapped_column(String(200), index=True)
    worker_account_id: Mapped[int] = mapped_column(BigInteger, index=True)
    target_type: Mapped[str] = mapped_column(String(16))  # facility | vacancy | course
    target_id: Mapped[int] = mapped_column(BigInteger)
    # The receiving facility (the course's provider); None for a vacancy.
    facility_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    kind: Mapped[str] = mapped_column(String(32))  # facility kind, "vacancy" or "course"
    area_code: Mapped[str] = mapped_column(String(20))  # the resident's community
    subdistrict_code: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(16), index=True)
    reasons: Mapped[JsonList] = mapped_column(default=list)
    note: Mapped[str] = mapped_column(String(500), default="")
    shared: Mapped[JsonDict] = mapped_column(default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    answer_due: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), index=True)
    answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    close_due: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)


class ReferralEvent(Base):
    """Every move of every referral, in order; its id is the Server-Sent Events id."""

    __tablename__ = "referral_events"
    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referrals.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    account_id: Mapped[int | None] = mapped_column(BigInteger)
    move: Mapped[str] = mapped_column(String(16))
    from_state: Mapped[str | None] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(500), default="")
    facility_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    worker_account_id: Mapped[int] = mapped_column(BigInteger, index=True)
    target_type: Mapped[str] = mapped_column(String(16))


class IdempotencyKey(Base):
    __tablename__ = "idempotency_keys"
    account_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16))  # running | done
    status_code: Mapped[int | None] = mapped_column(Integer)
    body: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)


class AuditEvent(Base):
    """Append-only: rows are inserted, never updated or deleted by the application."""

    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)
    account_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    action: Mapped[str] = mapped_column(String(48))
    resident_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    referral_id: Mapped[int | None] = mapped_column(BigInteger)
    detail: Mapped[JsonDict] = mapped_column(default=dict)
