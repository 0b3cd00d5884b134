"""member time zones: a member may read times in their own zone instead of the site's

Revision ID: 7d3e9a4b2c18
Revises: 5b1f0c2e9a15
Create Date: 2026-12-05 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7d3e9a4b2c18'
down_revision = '5b1f0c2e9a15'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('timezone', sa.String(length=64), nullable=True))


def downgrade():
    # A plain DROP COLUMN (SQLite 3.35+), not batch mode: batch mode rebuilds the user table on
    # SQLite, and dropping it deletes every row that cascades from a user (API tokens...).
    op.drop_column('user', 'timezone')
