"""search tables for the PostgreSQL backend: documents, postings, word counts, state

Revision ID: 8e4f1a2b3c47
Revises: 9c4e2f7a1d30
Create Date: 2026-12-04 09:30:00.000000

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = '8e4f1a2b3c47'
down_revision = '9c4e2f7a1d30'
branch_labels = None
depends_on = None

big_id = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
term_text = sa.String(200).with_variant(sa.String(200, collation='C'), 'postgresql')


def upgrade():
    op.create_table('search_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('generation', sa.Integer(), nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.Column('documents', sa.Integer(), nullable=False),
    sa.Column('field_lengths', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_state'))
    )
    op.create_table('search_document',
    sa.Column('id', big_id, autoincrement=True, nullable=False),
    sa.Column('generation', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('parent', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('doc_id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=255), nullable=False),
    sa.Column('lang', sa.String(length=8), nullable=False),
    sa.Column('category', sa.String(length=120), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('start', sa.Double(), nullable=True),
    sa.Column('solved', sa.Boolean(), nullable=False),
    sa.Column('heading', sa.Text(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('field_lengths', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_document')),
    sa.UniqueConstraint('generation', 'key', name='uq_search_document_gen_key')
    )
    op.create_index('ix_search_document_gen_parent', 'search_document', ['generation', 'parent'])
    op.create_table('search_posting',
    sa.Column('generation', sa.Integer(), nullable=False),
    sa.Column('field', sa.SmallInteger(), nullable=False),
    sa.Column('term', term_text, nullable=False),
    sa.Column('document_id', big_id, nullable=False),
    sa.Column('frequency', sa.Integer(), nullable=False),
    sa.Column('length', sa.Integer(), nullable=False),
    sa.Column('spans', sa.JSON().with_variant(postgresql.ARRAY(sa.Integer()), 'postgresql'), nullable=True),
    sa.PrimaryKeyConstraint('generation', 'field', 'term', 'document_id', name=op.f('pk_search_posting'))
    )
    op.create_index('ix_search_posting_document', 'search_posting', ['document_id'])
    op.create_table('search_term',
    sa.Column('generation', sa.Integer(), nullable=False),
    sa.Column('field', sa.SmallInteger(), nullable=False),
    sa.Column('term', term_text, nullable=False),
    sa.Column('documents', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('generation', 'field', 'term', name=op.f('pk_search_term'))
    )


def downgrade():
    op.drop_table('search_term')
    op.drop_index('ix_search_posting_document', table_name='search_posting')
    op.drop_table('search_posting')
    op.drop_index('ix_search_document_gen_parent', table_name='search_document')
    op.drop_table('search_document')
    op.drop_table('search_state')
