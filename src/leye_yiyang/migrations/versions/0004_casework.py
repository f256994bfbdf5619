"""casework: residents, consents, referrals and their events, held places, idempotency, audit

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 05:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
AT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "residents",
        sa.Column("id", ID, primary_key=True),
        sa.Column("organisation", sa.String(200), nullable=False, index=True),
        sa.Column("worker_account_id", sa.BigInteger(), nullable=False, index=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("id_sealed", sa.Text(), nullable=False),
        sa.Column("id_mask", sa.String(18), nullable=False),
        sa.Column("id_lookup", sa.String(64), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("phone_sealed", sa.Text()),
        sa.Column("phone_mask", sa.String(20)),
        sa.Column("home_lon", sa.Float(), nullable=False),
        sa.Column("home_lat", sa.Float(), nullable=False),
        sa.Column("home_address", sa.String(300), nullable=False),
        sa.Column("area_code", sa.String(20), nullable=False, index=True),
        sa.Column("statuses", sa.JSON(), nullable=False),
        sa.Column("needs", sa.JSON(), nullable=False),
        sa.Column("household", sa.JSON(), nullable=False),
        sa.Column("sensitive_sealed", sa.Text()),
        sa.Column("created_at", AT, nullable=False),
        sa.Column("updated_at", AT, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Index("ix_residents_org_lookup", "organisation", "id_lookup", unique=True),
    )
    op.create_table(
        "consents",
        sa.Column("id", ID, primary_key=True),
        sa.Column("resident_id", sa.BigInteger(), sa.ForeignKey("residents.id"), index=True),
        sa.Column("scope", sa.String(32), nullable=False),
        sa.Column("given_by", sa.String(16), nullable=False),
        sa.Column("guardian_name", sa.String(100)),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("recorded_by", sa.BigInteger(), nullable=False),
        sa.Column("given_at", AT, nullable=False),
        sa.Column("withdrawn_at", AT),
        sa.Column("note", sa.String(300), nullable=False),
    )
    op.create_table(
        "referrals",
        sa.Column("id", ID, primary_key=True),
        sa.Column("resident_id", sa.BigInteger(), sa.ForeignKey("residents.id"), index=True),
        sa.Column("organisation", sa.String(200), nullable=False, index=True),
        sa.Column("worker_account_id", sa.BigInteger(), nullable=False, index=True),
        sa.Column("target_type", sa.String(16), nullable=False),
        sa.Column("target_id", sa.BigInteger(), nullable=False),
        sa.Column("facility_id", sa.BigInteger(), index=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("area_code", sa.String(20), nullable=False),
        sa.Column("subdistrict_code", sa.String(20), nullable=False),
        sa.Column("state", sa.String(16), nullable=False, index=True),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("note", sa.String(500), nullable=False),
        sa.Column("shared", sa.JSON(), nullable=False),
        sa.Column("created_at", AT, nullable=False),
        sa.Column("sent_at", AT),
        sa.Column("answer_due", AT, index=True),
        sa.Column("answered_at", AT),
        sa.Column("close_due", AT),
        sa.Column("closed_at", AT),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Index("ix_referrals_target", "target_type", "target_id", "state"),
    )
    op.create_table(
        "referral_events",
        sa.Column("id", ID, primary_key=True),
        sa.Column("referral_id", sa.BigInteger(), sa.ForeignKey("referrals.id"), index=True),
        sa.Column("at", AT, nullable=False),
        sa.Column("account_id", sa.BigInteger()),
        sa.Column("move", sa.String(16), nullable=False),
        sa.Column("from_state", sa.String(16)),
        sa.Column("to_state", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("facility_id", sa.BigInteger(), index=True),
        sa.Column("worker_account_id", sa.BigInteger(), nullable=False, index=True),
        sa.Column("target_type", sa.String(16), nullable=False),
    )
    op.create_table(
        "idempotency_keys",
        sa.Column("account_id", sa.BigInteger(), primary_key=True),
        sa.Column("key", sa.String(255), primary_key=True),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("status_code", sa.Integer()),
        sa.Column("body", sa.Text()),
        sa.Column("created_at", AT, nullable=False, index=True),
    )
    op.create_table(
        "audit_events",
        sa.Column("id", ID, primary_key=True),
        sa.Column("at", AT, nullable=False, index=True),
        sa.Column("account_id", sa.BigInteger(), index=True),
        sa.Column("action", sa.String(48), nullable=False),
        sa.Column("resident_id", sa.BigInteger(), index=True),
        sa.Column("referral_id", sa.BigInteger()),
        sa.Column("detail", sa.JSON(), nullable=False),
    )
    # Places held by sent referrals, beside what is taken: a conditional UPDATE on these
    # counters is what makes "the last place" go to exactly one sender on either database.
    with op.batch_alter_table("facilities") as batch:
        batch.add_column(sa.Column("places_held", sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("vacancies") as batch:
        batch.add_column(sa.Column("places_held", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(
            sa.Column("places_filled", sa.Integer(), nullable=False, server_default="0")
        )
    with op.batch_alter_table("training_courses") as batch:
        batch.add_column(sa.Column("seats_held", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("training_courses") as batch:
        batch.drop_column("seats_held")
    with op.batch_alter_table("vacancies") as batch:
        batch.drop_column("places_filled")
        batch.drop_column("places_held")
    with op.batch_alter_table("facilities") as batch:
        batch.drop_column("places_held")
    for table in (
        "audit_events",
        "idempotency_keys",
        "referral_events",
        "referrals",
        "consents",
        "residents",
    ):
        op.drop_table(table)
