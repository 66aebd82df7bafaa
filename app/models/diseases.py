"""Named occupational diseases (职业病分类和目录), under the catalogue category they belong to, and the
rule of which catalogue a diagnosis uses.

Seeded for both catalogues (2013 and 2024) with the pneumoconiosis list and common diseases of each
category; an admin adds the rest. The visit card 5.1 is for the diseases flagged ``pneumoconiosis``.
"""
from datetime import date

from flask_babel import gettext, lazy_gettext as _l
from sqlalchemy import Boolean, Column, ForeignKey, Integer
from sqlalchemy.orm import relationship

from app.models.base import Model
from app.models.dictionaries import Dictionary, DiseaseCategory

# DOMAIN.md §6: the 2024 catalogue is in force from 2025-08-01; a diagnosis keeps the catalogue in force
# on its date.
CATALOGUE_2024_FROM = date(2025, 8, 1)


def catalogue_on(day: date) -> str:
    return "2024" if day >= CATALOGUE_2024_FROM else "2013"


def _with_catalogue(name: str, catalogue: str | None) -> str:
    return gettext("%(name)s (%(catalogue)s catalogue)", name=name, catalogue=catalogue) if catalogue else name


class Disease(Dictionary, Model):
    __tablename__ = "disease"
    picker_columns = ("code", "name")  # two catalogues of over a hundred: searched, not listed
    unique_within = ("category_id",)
    category_id = Column(Integer, ForeignKey("disease_category.id"), nullable=False, index=True)
    category = relationship(DiseaseCategory)
    pneumoconiosis = Column(Boolean, nullable=False, default=False)
    display_columns = None  # the name carries the catalogue: exports read it from the object

    def __repr__(self):
        return _with_catalogue(self.name or "", self.category.catalogue if self.category is not None else None)

    def problems(self) -> dict[str, str]:
        found = super().problems()
        if self.category is None and self.category_id is None:
            found["category"] = _l("Choose the disease category")
        return found


# Both catalogues have a "01 职业性尘肺病…": pickers and records name the catalogue too.
DiseaseCategory.__repr__ = lambda category: _with_catalogue(Dictionary.__repr__(category), category.catalogue)
DiseaseCategory.display_columns = None
