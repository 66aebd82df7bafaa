"""Named occupational diseases (职业病分类和目录), under the catalogue category they belong to.

Seeded for both catalogues (2013 and 2024) with the pneumoconiosis list and common diseases of each
category; an admin adds the rest. The visit card 5.1 is for the diseases flagged ``pneumoconiosis``.
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Column, ForeignKey, Integer
from sqlalchemy.orm import relationship

from app.models.base import Model
from app.models.dictionaries import Dictionary, DiseaseCategory


class Disease(Dictionary, Model):
    __tablename__ = "disease"
    unique_within = ("category_id",)
    category_id = Column(Integer, ForeignKey("disease_category.id"), nullable=False, index=True)
    category = relationship(DiseaseCategory)
    pneumoconiosis = Column(Boolean, nullable=False, default=False)

    def problems(self) -> dict[str, str]:
        found = super().problems()
        if self.category is None and self.category_id is None:
            found["category"] = _l("Choose the disease category")
        return found
