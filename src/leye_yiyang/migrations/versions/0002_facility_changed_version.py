"""facilities.changed_version: the directory version that last changed each row

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 10:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # After a directory change every API process asks "which facilities changed since version
    # v?"; an indexed stamp answers that without reading all rows.
    with op.batch_alter_table("facilities") as batch:
        batch.add_column(
            sa.Column("changed_version", sa.BigInteger(), nullable=False, server_default="0")
        )
        batch.create_index("ix_facilities_changed_version", ["changed_version"])


def downgrade() -> None:
    with op.batch_alter_table("facilities") as batch:
        batch.drop_index("ix_facilities_changed_version")
        batch.drop_column("changed_version")
