"""api token scopes: what each personal token may read; existing tokens get `read`

Revision ID: db90034cf9e8
Revises: 39aafbbad0c5
Create Date: 2026-12-03 10:55:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'db90034cf9e8'
down_revision = '39aafbbad0c5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scopes', sa.JSON(), nullable=True))
    api_token = sa.table('api_token', sa.column('scopes', sa.JSON()))
    op.execute(api_token.update().values(scopes=['read']))
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.alter_column('scopes', existing_type=sa.JSON(), nullable=False)


def downgrade():
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_column('scopes')
