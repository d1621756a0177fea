"""The terms list's schema (`questionnaires/terms.yaml`): one concept, one term, and the forms it replaces.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from scoring.schemas.base import NonEmpty, Slug, Strict, Text


class TermForms(Strict):
    vi: list[NonEmpty] = []
    en: list[NonEmpty] = []


class Term(Strict):
    """One concept, one term: the preferred form and the forms it replaces (which must not appear in content)."""

    id: Slug
    preferred: Text
    replaces: TermForms = TermForms()
    note: Text | None = None


class TermList(Strict):
    terms: list[Term] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> TermList:
        ids = [t.id for t in self.terms]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"term id {twice[0]!r} is used twice")
        return self
