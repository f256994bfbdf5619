"""accounts, bearer tokens, change history; status and verified_at on every edited record

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 05:15:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_AT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", _ID, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("area_code", sa.String(20), nullable=True),
        sa.Column("organisation", sa.String(200), nullable=True),
        sa.Column("facility_id", _ID, nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", _AT, server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["area_code"], ["areas.code"], name=op.f("fk_accounts_area_code_areas")
        ),
        sa.ForeignKeyConstraint(
            ["facility_id"], ["facilities.id"], name=op.f("fk_accounts_facility_id_facilities")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts")),
    )
    op.create_index(op.f("ix_accounts_role"), "accounts", ["role"])
    op.create_table(
        "access_tokens",
        sa.Column("id", _ID, nullable=False),
        sa.Column("account_id", _ID, nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", _AT, nullable=False),
        sa.Column("expires_at", _AT, nullable=False),
        sa.Column("last_used_at", _AT, nullable=True),
        sa.Column("revoked_at", _AT, nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_access_tokens_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_access_tokens_token_hash")),
    )
    op.create_index(op.f("ix_access_tokens_account_id"), "access_tokens", ["account_id"])
    op.create_table(
        "changes",
        sa.Column("id", _ID, nullable=False),
        sa.Column("at", _AT, nullable=False),
        sa.Column("account_id", _ID, nullable=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("record_type", sa.String(32), nullable=False),
        sa.Column("record_id", sa.BigInteger(), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_changes_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_changes")),
    )
    op.create_index(op.f("ix_changes_at"), "changes", ["at"])
    op.create_index("ix_changes_record", "changes", ["record_type", "record_id", "id"])
    op.create_index("ix_changes_account_at", "changes", ["account_id", "at"])
    for table in ("employers", "training_courses"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("status", sa.String(32), nullable=False, server_default="active")
            )
    for table in ("employers", "vacancies", "training_courses"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("verified_at", _AT, nullable=True))


def downgrade() -> None:
    for table in ("employers", "vacancies", "training_courses"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("verified_at")
    for table in ("employers", "training_courses"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("status")
    op.drop_table("changes")
    op.drop_table("access_tokens")
    op.drop_table("accounts")
