"""The app's pages as one table (file, title, icon, address, section, who may use it) and the one
builder of each run's navigation from it, by role.

Each role's navigation starts with its first page (`FIRST_PAGE`, served at the root address) and its
section, then the rest in table order. Every other page of the table gets a hidden page at its address
that says "not available for your role" (`ui.auth.unavailable_pages`), and any other address a
"page not found" page (`ui.unknown_address`): no address ever meets Streamlit's English dialog, and a
page outside the role never runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st

from storage import Principal
from ui.auth import unavailable_pages
from ui.i18n import t
from ui.unknown_address import home_asked_by_name, not_found_pages

LOCAL = "local"  # local mode (no sign-in): one person acting as the whole country


@dataclass(frozen=True)
class PageSpec:
    key: str
    file: str
    title_key: str
    icon: str
    url_path: str
    section_key: str
    roles: frozenset[str]  # roles that have the page (LOCAL: local mode)
    national_only: bool = False  # only with a national scope (rounds are the same for the whole country)


def _roles(*names: str) -> frozenset[str]:
    return frozenset(names)


AGENCY, REVIEW, NATIONAL = "common.section_agency", "access.section_review", "common.section_national"
TRAINING, ADMIN = "common.section_training", "access.section_admin"

# Local mode has every page one person can use alone: Team, Review and Users need other signed-in people.
PAGES: tuple[PageSpec, ...] = (
    PageSpec("start", "app_pages/start.py", "common.nav_start", ":material/home:", "start", AGENCY,
             _roles(LOCAL, "respondent", "it_lead")),
    PageSpec("assessment", "app_pages/assessment.py", "common.nav_assessment", ":material/edit_note:", "assessment",
             AGENCY, _roles(LOCAL, "respondent", "it_lead")),
    PageSpec("results", "app_pages/results.py", "common.nav_results", ":material/insights:", "results", AGENCY,
             _roles(LOCAL, "it_lead", "reviewer", "coordinator")),
    PageSpec("team", "app_pages/team.py", "access.nav_team", ":material/group:", "team", AGENCY, _roles("it_lead")),
    PageSpec("review", "app_pages/review.py", "access.nav_review", ":material/rate_review:", "review", REVIEW,
             _roles("reviewer")),
    PageSpec("coordinator", "app_pages/coordination.py", "common.nav_coordinator", ":material/map:", "coordinator",
             NATIONAL, _roles(LOCAL, "coordinator", "admin")),
    PageSpec("trainer", "app_pages/training.py", "common.nav_trainer", ":material/school:", "trainer", TRAINING,
             _roles(LOCAL, "coordinator", "trainer")),
    PageSpec("users", "app_pages/users.py", "access.nav_users", ":material/manage_accounts:", "users", ADMIN,
             _roles("admin")),
    PageSpec("rounds", "app_pages/rounds.py", "rounds.nav", ":material/event:", "rounds", ADMIN,
             _roles(LOCAL, "coordinator", "admin"), national_only=True),
)
FIRST_PAGE = {LOCAL: "start", "respondent": "start", "it_lead": "start", "reviewer": "review",
              "coordinator": "coordinator", "trainer": "trainer", "admin": "users"}


def page_specs(principal: Principal | None) -> list[PageSpec]:
    """The pages `principal` (None: local mode) may use, in navigation order: the first page's section
    first, then the others in table order."""
    role = LOCAL if principal is None else principal.role
    national = principal is None or principal.scope_text == "national"
    mine = [p for p in PAGES if role in p.roles and (national or not p.national_only)]
    first = next((p for p in mine if p.key == FIRST_PAGE.get(role)), mine[0] if mine else None)
    if first is None:
        return []
    return sorted(mine, key=lambda p: (p is not first, p.section_key != first.section_key))  # stable: table order


def page_keys(principal: Principal | None) -> tuple[str, ...]:
    return tuple(p.key for p in page_specs(principal))


def _page(spec: PageSpec, url_path: str | None = None, hidden: bool = False) -> Any:
    return st.Page(spec.file, title=t(spec.title_key), icon=spec.icon, url_path=url_path or spec.url_path,
                   visibility="hidden" if hidden else "visible")


def navigation_pages(principal: Principal | None) -> dict[str, list[Any]]:
    """This run's `st.navigation` argument: the role's pages by section (titles in the app's language),
    and, hidden in the first section, the other pages' "not available" and the unknown address's
    "page not found"."""
    mine = page_specs(principal)
    if not mine:
        return {}
    # Opened by its own name (/start): the first page also answers there, and keeps the root under another
    # internal name (two pages cannot share an address).
    by_name = home_asked_by_name(mine[0].url_path)
    pages: dict[str, list[Any]] = {}
    for spec in mine:
        internal = f"{spec.url_path}-home" if by_name and spec is mine[0] else None
        pages.setdefault(t(spec.section_key), []).append(_page(spec, internal))
    first_section = next(iter(pages.values()))
    home = first_section[0]
    if by_name:
        first_section.append(_page(mine[0], hidden=True))
    others = [_page(spec) for spec in PAGES if spec not in mine]
    first_section += unavailable_pages(principal, others, home)
    first_section += not_found_pages({spec.url_path for spec in PAGES}, home)
    return pages
