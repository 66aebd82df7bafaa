"""Portal users: Flask-AppBuilder's user, placed in one org unit."""
from flask_appbuilder.security.sqla.models import Role, User
from flask_babel import gettext, lazy_gettext as _l
from sqlalchemy import Column, ForeignKey, Integer, inspect
from sqlalchemy.orm import relationship

from app.models.audit import Audited
from app.models.base import Validated
from app.models.org import OrgUnit
from app.scoping import in_scope


class PortalUser(Validated, Audited, User):
    __tablename__ = "ab_user"

    org_unit_id = Column(Integer, ForeignKey("org_unit.id"), index=True)
    org_unit = relationship(OrgUnit)
    display_columns = ("first_name", "last_name")  # what FAB's __repr__ reads, for exports in SQL (app.exports)

    @classmethod
    def scope_clause(cls, prefix: str):
        from app.models.org import subtree_ids

        return cls.org_unit_id.in_(subtree_ids(prefix))

    def problems(self) -> dict[str, str]:
        from app.roles import assignable_roles

        found = {}
        if self.org_unit is None:
            found["org_unit"] = _l("Every user belongs to one org unit")
        elif not in_scope(self.org_unit.path):
            found["org_unit"] = _l("This unit is outside your jurisdiction")
        allowed = assignable_roles()
        if allowed is not None:
            # Only roles being given now: a clerk changing their own password keeps the role they hold.
            given = inspect(self).attrs.roles.history.added if inspect(self).persistent else self.roles
            refused = [role.name for role in given if role.name not in allowed]
            if refused:
                found["roles"] = _l("You may not assign: %(roles)s", roles="、".join(map(gettext, refused)))
        return found


def _role_label(role: Role) -> str:
    return gettext(role.name) if role.name else ""


def _assignable_scope(cls, prefix: str):
    from app.roles import assignable_roles

    allowed = assignable_roles()
    return None if allowed is None else cls.name.in_(sorted(allowed))


# Role names are stable English identifiers in the database; people read them in their language.
Role.__repr__ = _role_label
# A role picker (the only scoped use of roles) offers just the roles the current user may give.
Role.scope_clause = classmethod(_assignable_scope)
