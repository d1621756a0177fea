"""What part of the country a caller may see and change.

Every `Store` method takes a `Scope`. A method about one agency or assessment raises
`AccessDenied` when it lies outside the scope; a method returning a list leaves such rows out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, Protocol

ScopeLevel = Literal["national", "ministry", "province", "agency"]


class AgencyLike(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def type(self) -> str: ...

    @property
    def province(self) -> str | None: ...


@dataclass(frozen=True)
class Scope:
    """`national`: every agency. `ministry`: the named ministries. `province`: the named province
    agencies (type 'province', id = province id) and the communes whose `province` is one of them.
    `agency`: exactly the named agencies, of any type. A scope with no ids covers nothing."""

    level: ScopeLevel
    ids: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if self.level == "national":
            if self.ids:
                raise ValueError("a national scope names no ids")
        elif not all(isinstance(i, str) and i for i in self.ids):
            raise ValueError(
                f"a {self.level} scope takes non-empty text ids, got {sorted(map(repr, self.ids))}"
            )

    @classmethod
    def national(cls) -> Scope:
        return cls("national")

    @classmethod
    def for_ministry(cls, ministry_id: str) -> Scope:
        return cls("ministry", frozenset({ministry_id}))

    @classmethod
    def for_province(cls, province_id: str) -> Scope:
        return cls("province", frozenset({province_id}))

    @classmethod
    def for_agency(cls, agency_id: str) -> Scope:
        return cls("agency", frozenset({agency_id}))

    @classmethod
    def for_agencies(cls, agency_ids: Iterable[str]) -> Scope:
        if isinstance(agency_ids, str):  # one id, not its letters
            agency_ids = [agency_ids]
        return cls("agency", frozenset(agency_ids))

    def allows(self, agency: AgencyLike) -> bool:
        """Whether this scope covers `agency` (an `Agency`, or anything with id, type, province)."""
        if self.level == "national":
            return True
        if self.level == "agency":
            return agency.id in self.ids
        if self.level == "ministry":
            return agency.type == "ministry" and agency.id in self.ids
        return (agency.type == "province" and agency.id in self.ids) or (
            agency.type == "commune" and agency.province in self.ids
        )

    def describe(self) -> str:
        """Plain words for messages: 'the whole country', 'province hn', ..."""
        if self.level == "national":
            return "the whole country"
        if not self.ids:
            return "no agency"
        names = ", ".join(sorted(self.ids))
        if self.level == "province":
            return f"province {names} and its communes"
        if self.level == "ministry":
            return f"ministry {names}"
        return f"agency {names}" if len(self.ids) == 1 else f"agencies {names}"
