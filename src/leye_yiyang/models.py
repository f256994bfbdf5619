"""Storage model (SQLAlchemy 2, typed). Structured values live in JSON columns and are validated
by the msgspec types in `directory.values` on every write path."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

JsonList = list[Any]
JsonDict = dict[str, Any]

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware datetimes in, aware datetimes out, stored as UTC. SQLite keeps no offset, so without
    this a time written at +08:00 would come back naive and eight hours off."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: give a time zone")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {JsonList: JSON, JsonDict: JSON}


class Timestamped:
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), server_default=func.now(), onupdate=func.now()
    )


class Area(Base):
    """District → subdistrict/town → community/village, with the polygon and population."""

    __tablename__ = "areas"
    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    level: Mapped[str] = mapped_column(String(20), index=True)
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("areas.code"), index=True)
    population: Mapped[int] = mapped_column(Integer)
    population_60_plus: Mapped[int | None] = mapped_column(Integer)
    population_0_3: Mapped[int | None] = mapped_column(Integer)
    modelled: Mapped[bool] = mapped_column(Boolean, default=True)
    centroid_lon: Mapped[float] = mapped_column(Float)
    centroid_lat: Mapped[float] = mapped_column(Float)
    geometry: Mapped[JsonDict] = mapped_column(JSON)


class Facility(Timestamped, Base):
    __tablename__ = "facilities"
    __table_args__ = (Index("ix_facilities_kind_status", "kind", "status"),)
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    ref: Mapped[str | None] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300))
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    area_code: Mapped[str] = mapped_column(ForeignKey("areas.code"), index=True)
    operator: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    services: Mapped[JsonList] = mapped_column(default=list)
    capacity: Mapped[int] = mapped_column(Integer, default=0)
    places_taken: Mapped[int] = mapped_column(Integer, default=0)
    # Held for sent referrals until they are answered or lapse (referrals/places.py).
    places_held: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    opening_hours: Mapped[JsonDict] = mapped_column(default=dict)
    eligibility: Mapped[JsonDict] = mapped_column(default=dict)
    prices: Mapped[JsonList] = mapped_column(default=list)
    accessibility: Mapped[JsonList] = mapped_column(default=list)
    description: Mapped[str] = mapped_column(Text, default="")
    verified_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(32), default="active")
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    # The directory version whose write last touched this row (set by bump_directory_version).
    changed_version: Mapped[int] = mapped_column(
        BigInteger, nullable=False, default=0, server_default="0", index=True
    )

    __mapper_args__ = {"version_id_col": version}


class Occupation(Base):
    """An occupation of the 2022 national classification (职业分类大典), with synonyms and skills."""

    __tablename__ = "occupations"
    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    major_group: Mapped[int] = mapped_column(Integer)
    synonyms: Mapped[JsonList] = mapped_column(default=list)
    skills: Mapped[JsonList] = mapped_column(default=list)


class Employer(Timestamped, Base):
    __tablename__ = "employers"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    industry: Mapped[str] = mapped_column(String(80))
    size: Mapped[str] = mapped_column(String(16))
    area_code: Mapped[str] = mapped_column(ForeignKey("areas.code"), index=True)
    workplaces: Mapped[JsonList] = mapped_column(default=list)
    phone: Mapped[str] = mapped_column(String(40), default="")
    status: Mapped[str] = mapped_column(String(32), default="active", server_default="active")
    verified_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}


class Vacancy(Timestamped, Base):
    __tablename__ = "vacancies"
    __table_args__ = (Index("ix_vacancies_status_occupation", "status", "occupation_code"),)
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    ref: Mapped[str | None] = mapped_column(String(64), unique=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employers.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    occupation_code: Mapped[str] = mapped_column(ForeignKey("occupations.code"))
    skills: Mapped[JsonList] = mapped_column(default=list)
    education: Mapped[str] = mapped_column(String(32), default="none")
    experience_years: Mapped[int] = mapped_column(Integer, default=0)
    wage_min: Mapped[int] = mapped_column(Integer)
    wage_max: Mapped[int] = mapped_column(Integer)
    shifts: Mapped[JsonList] = mapped_column(default=list)
    part_time: Mapped[bool] = mapped_column(Boolean, default=False)
    headcount: Mapped[int] = mapped_column(Integer, default=1)
    places_held: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    places_filled: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    status: Mapped[str] = mapped_column(String(16), default="open")
    posted_on: Mapped[dt.date] = mapped_column(Date)
    expires_on: Mapped[dt.date | None] = mapped_column(Date)
    address: Mapped[str] = mapped_column(String(300))
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    area_code: Mapped[str] = mapped_column(ForeignKey("areas.code"), index=True)
    requirements: Mapped[JsonList] = mapped_column(default=list)
    description: Mapped[str] = mapped_column(Text, default="")
    verified_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}


class TrainingCourse(Timestamped, Base):
    __tablename__ = "training_courses"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    ref: Mapped[str | None] = mapped_column(String(64), unique=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("facilities.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    occupation_code: Mapped[str] = mapped_column(ForeignKey("occupations.code"))
    skills_taught: Mapped[JsonList] = mapped_column(default=list)
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)
    sessions: Mapped[JsonList] = mapped_column(default=list)
    hours_total: Mapped[int] = mapped_column(Integer)
    subsidised: Mapped[bool] = mapped_column(Boolean, default=False)
    fee_cny: Mapped[float] = mapped_column(Float, default=0.0)
    seats: Mapped[int] = mapped_column(Integer, default=0)
    seats_taken: Mapped[int] = mapped_column(Integer, default=0)
    seats_held: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    status: Mapped[str] = mapped_column(String(32), default="active", server_default="active")
    verified_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}


class DirectoryState(Base):
    """One row: a stamp bumped in the same transaction as every directory write, so each API
    process sharing the database can tell, cheaply, that its in-memory indexes are stale."""

    __tablename__ = "directory_state"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=1)
    changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), server_default=func.now())


class Account(Base):
    """Someone who may write: a department, a social worker or a facility's staff. Residents
    reading the public directory have no account."""

    __tablename__ = "accounts"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32), index=True)
    area_code: Mapped[str | None] = mapped_column(ForeignKey("areas.code"))
    organisation: Mapped[str | None] = mapped_column(String(200))
    facility_id: Mapped[int | None] = mapped_column(ForeignKey("facilities.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), server_default=func.now())


class AccessToken(Base):
    """A bearer token, stored only as the SHA-256 of the secret the holder was shown once."""

    __tablename__ = "access_tokens"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class Change(Base):
    """One change to one directory record: who, when, through which channel, and each field's
    old and new value ({field: [old, new]})."""

    __tablename__ = "changes"
    __table_args__ = (
        Index("ix_changes_record", "record_type", "record_id", "id"),
        Index("ix_changes_account_at", "account_id", "at"),
    )
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    channel: Mapped[str] = mapped_column(String(16))
    record_type: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[int] = mapped_column(BigInteger)
    action: Mapped[str] = mapped_column(String(32))
    version: Mapped[int] = mapped_column(Integer)
    fields: Mapped[JsonDict] = mapped_column(default=dict)
