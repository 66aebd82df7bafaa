"""The org-unit hierarchy (DOMAIN.md §2): province → city → district/county → township/street, the
province optional (a municipality such as Shanghai is a city at the top), and the mixin that ties a record to
a unit. Codes are GB/T 2260's for province, city and county, and the 9-digit township code of the statistical
division codes (统计用区划代码: the county's 6 digits + 3)."""
import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import (Column, ForeignKey, Integer, String, UniqueConstraint, event, exists, func, literal, select,
                        update)
from sqlalchemy.orm import declared_attr, object_session, relationship

from app.models.audit import Audited
from app.models.base import Model, Validated, db
from app.models.versioned import Versioned
from app.scoping import in_scope, per_request

PROVINCE, CITY, DISTRICT, TOWNSHIP = "province", "city", "district", "township"
LEVELS = {PROVINCE: _l("Province"), CITY: _l("City"), DISTRICT: _l("District/county"),
          TOWNSHIP: _l("Township/street")}
PARENT_LEVEL = {CITY: PROVINCE, DISTRICT: CITY, TOWNSHIP: DISTRICT}
OPTIONAL_PARENT = {CITY}  # a municipality (直辖市) is a city with no province above it
CODE_RULES = {
    PROVINCE: (re.compile(r"^[1-9]\d0000$"), _l("A province code is the 6-digit GB/T 2260 code ending in 0000")),
    CITY: (re.compile(r"^[1-9]\d{3}00$"), _l("A city code is the 6-digit GB/T 2260 code ending in 00")),
    DISTRICT: (re.compile(r"^[1-9]\d{3}(0[1-9]|[1-9]\d)$"),
               _l("A district/county code is its 6-digit GB/T 2260 code, not ending in 00")),
    TOWNSHIP: (re.compile(r"^\d{6}(00[1-9]|0[1-9]\d|[1-9]\d\d)$"),
               _l("A township code is 9 digits: its district/county's 6-digit code and 3 digits, 001–999")),
}
TOWNSHIP_CODE_LENGTH = 9


def region_prefix(code: str) -> str:
    """The digits a unit's children's codes start with: a province's 2, a prefecture-level city's 4, a
    municipality's 2 (its districts are numbered under its province digits: 310101 under 310000), a
    county's 6."""
    if code.endswith("0000"):
        return code[:2]
    return code[:4] if code.endswith("00") else code


class OrgUnit(Validated, Versioned, Audited, Model):
    """A province, city, district/county or township/street. ``path`` holds the codes from the top down
    (``310000/310101/310101001/``, ``520000/520100/520102/520102001/``) so a subtree is one indexed prefix
    match, never a walk."""

    __tablename__ = "org_unit"
    picker_columns = ("name", "code")
    __table_args__ = (UniqueConstraint("parent_id", "code", name="uq_org_unit_parent_code"),)

    id = Column(Integer, primary_key=True)
    level = Column(String(10), nullable=False)
    code = Column(String(TOWNSHIP_CODE_LENGTH), nullable=False)
    name = Column(String(100), nullable=False)
    parent_id = Column(Integer, ForeignKey("org_unit.id", ondelete="RESTRICT"), index=True)
    path = Column(String(40), nullable=False, unique=True)
    parent = relationship("OrgUnit", remote_side=[id])
    display_columns = ("name",)  # what __repr__ reads, for exports in SQL (app.exports)

    def __repr__(self):
        return self.name or ""

    @classmethod
    def scope_clause(cls, prefix: str):
        return cls.path.startswith(prefix)

    @property
    def level_label(self):
        return LEVELS.get(self.level, self.level)

    @property
    def district_code(self) -> str | None:
        """The 6-digit district/county code of a district or township."""
        return self.code[:6] if self.level in (DISTRICT, TOWNSHIP) and self.code else None

    def compute_path(self) -> str:
        return (self.parent.path if self.parent is not None else "") + f"{self.code}/"

    def problems(self) -> dict[str, str]:
        found = {}
        if self.level not in LEVELS:
            found["level"] = _l("Choose province, city, district/county or township/street")
            return found
        pattern, message = CODE_RULES[self.level]
        if not pattern.match(self.code or ""):
            found["code"] = message
        expected_parent = PARENT_LEVEL.get(self.level)
        misplaced = (self.level not in OPTIONAL_PARENT if self.parent is None
                     else self.parent.level != expected_parent)
        if expected_parent is None and self.parent is not None:
            found["parent"] = _l("A province has no parent unit")
        elif expected_parent is not None and misplaced:
            found["parent"] = _l("The parent of a %(level)s must be a %(parent)s",
                                 level=LEVELS[self.level], parent=LEVELS[expected_parent])
        elif self.parent is not None and "code" not in found:
            found.update(self._code_under_parent())
        if "parent" not in found and self.parent is not None and not in_scope(self.parent.path):
            found["parent"] = _l("This unit is outside your jurisdiction")
        return found

    def _code_under_parent(self) -> dict[str, str]:
        """A child's code continues its parent's (GB/T 2260; the township code is its county's + 3 digits)."""
        prefix = region_prefix(self.parent.code)
        if self.level == CITY and self.code.endswith("0000"):
            return {"code": _l("A city in a province has a code ending in 00, not 0000")}
        if not self.code.startswith(prefix):
            return {"code": _l("The code of a %(level)s starts with its parent's digits (%(p)s)",
                               level=LEVELS[self.level], p=prefix)}
        return {}


@event.listens_for(OrgUnit, "before_insert")
@event.listens_for(OrgUnit, "before_update")
def _keep_path(mapper, connection, unit):
    """Recompute the path; when a unit's code or parent changes, its descendants follow in one UPDATE."""
    old_path, unit.path = unit.path, unit.compute_path()
    if old_path and old_path != unit.path:
        table = OrgUnit.__table__
        connection.execute(
            update(table)
            .where(table.c.path.startswith(old_path), table.c.id != unit.id)
            .values(path=literal(unit.path).concat(func.substr(table.c.path, len(old_path) + 1)))
        )


def object_session_or_db(obj):
    return object_session(obj) or db.session


def subtree_ids(prefix: str):
    """A subquery of the ids of the units under ``prefix`` (the unit itself included)."""
    return select(OrgUnit.id).where(OrgUnit.path.startswith(prefix)).scalar_subquery()


def spans_every_unit(prefix: str) -> bool:
    """Whether every org unit lies under ``prefix`` (a city admin's city when it is the only one): then a
    record's unit is in the subtree whatever it is. Asked of the org units (one indexed probe) once per
    request and prefix: a unit added later is seen by the next request."""
    def ask() -> bool:
        with db.session.no_autoflush:
            return not db.session.scalar(select(exists().where(~OrgUnit.path.startswith(prefix))))

    return per_request(("spans every unit", prefix), ask)


def in_subtree(unit_id_column, prefix: str):
    """The condition that ``unit_id_column`` (a NOT NULL org unit id) lies under ``prefix``, or None when
    every unit does — the city admin's subtree is the whole hierarchy, and testing each of millions of
    rows against every unit would only make the city's lists and counts slow."""
    return None if spans_every_unit(prefix) else unit_id_column.in_(subtree_ids(prefix))


class InOrgUnit(Validated):
    """A record that belongs to one org unit, scoped by that unit's subtree. ``unit_level`` names the
    tier the record must point at (e.g. an employer's township)."""

    unit_level: str | None = None

    @declared_attr
    def org_unit_id(cls):
        return Column(Integer, ForeignKey("org_unit.id"), nullable=False, index=True)

    @declared_attr
    def org_unit(cls):
        return relationship(OrgUnit)

    @classmethod
    def scope_clause(cls, prefix: str):
        return in_subtree(cls.org_unit_id, prefix)

    def problems(self) -> dict[str, str]:
        found = super().problems()
        unit = self.org_unit
        if unit is None:
            found["org_unit"] = _l("Choose an org unit")
        elif self.unit_level and unit.level != self.unit_level:
            found["org_unit"] = _l("Choose a %(level)s", level=LEVELS[self.unit_level])
        elif not in_scope(unit.path):
            found["org_unit"] = _l("This unit is outside your jurisdiction")
        return found


class InParent(Validated):
    """A child row (a table of an archive, a visit of a patient, an answer of a patrol) that lives and
    is scoped with its parent record. Subclasses name the parent model, its foreign key and relation."""

    parent_model: type
    parent_key: str
    parent_relation: str

    @classmethod
    def scope_clause(cls, prefix: str):
        parent = cls.parent_model
        condition = parent.scope_clause(prefix)
        if condition is None:  # every parent is in scope, and so is every row (the key is NOT NULL)
            return None
        return getattr(cls, cls.parent_key).in_(select(parent.id).where(condition))

    def problems(self) -> dict[str, str]:
        found = super().problems()
        # A form's trial row may sit in its parent's collection: loading must not flush it.
        with object_session_or_db(self).no_autoflush:
            parent = getattr(self, self.parent_relation)
            unit = getattr(parent, "org_unit", None)
        if parent is None:
            found[self.parent_relation] = _l("Choose the record this row belongs to")
        elif unit is not None and not in_scope(unit.path):
            found[self.parent_relation] = _l("This record is outside your jurisdiction")
        return found
