"""Rows of a record's tables (an archive's tables, a visit card's visits): stored with a foreign key to
the record, scoped and checked through it (``InParent``), audited, deleted with it."""
from sqlalchemy import Column, ForeignKey, Integer
from sqlalchemy.orm import declared_attr, relationship

from app.models.audit import Audited
from app.models.org import InParent
from app.models.versioned import Versioned


def rows_of(parent, key: str, relation: str) -> type:
    """The mixin for rows of ``parent``: subclasses set ``collection``, the parent's attribute that
    lists them (``relationship(..., cascade="all, delete", overlaps=<relation>)`` on the parent). A row
    has its own edit form, so it carries its own version (app.models.versioned).

    The row's link to its parent has no back-reference, so the checked form's probe copy of a row
    keeps its parent (app/views/base.py ``_copy_state`` skips back-referenced links)."""
    table = parent.__tablename__

    def foreign_key(cls):
        return Column(Integer, ForeignKey(f"{table}.id", ondelete="CASCADE"), nullable=False, index=True)

    def link(cls):
        return relationship(parent, overlaps=cls.collection)

    def __repr__(self):
        return f"{getattr(self, relation) or ''} · {self.__tablename__} {self.id or ''}"

    return type(f"{parent.__name__}Row", (InParent, Versioned, Audited), {
        "__doc__": f"A row of one of the tables of a {parent.__name__}.",
        "parent_model": parent, "parent_key": key, "parent_relation": relation,
        key: declared_attr(foreign_key), relation: declared_attr(link), "__repr__": __repr__,
    })
