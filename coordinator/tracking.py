"""Response tracking for a round: the register minus what was answered, per province and ministry.

Every expected agency (the register) gets its round status: `not_started` (no assessment), `draft`,
`submitted`, `returned`, `accepted` (the last two from the review workflow, counted whenever they
occur). Counts and shares per province (the province's own office and its communes) and per
ministry; the list of agencies that have not submitted, with the contact from the accounts; a
reminder list as CSV. Vectorised: one merge and one crosstab.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from coordinator.register import Register
from scoring.collation import collation_rank

TRACK_STATUSES: tuple[str, ...] = ("not_started", "draft", "returned", "submitted", "accepted")
RESPONDED = ("submitted", "accepted")  # handed in (returned ones are back with the agency)
WAITING = ("not_started", "draft", "returned")
TRACKING_COLUMNS = ["group", "group_name", "group_type", "expected", *TRACK_STATUSES, "responded",
                    "share_responded", "share_accepted"]


def agency_statuses(register: Register, statuses: pd.DataFrame) -> pd.DataFrame:
    """The register with each agency's status in the round (`not_started` when it has none)."""
    frame = register.frame.merge(statuses.drop_duplicates("agency_id"), on="agency_id", how="left")
    frame["status"] = frame["status"].fillna("not_started").astype(object)
    return frame


def _counts(frame: pd.DataFrame, keys: pd.Series) -> pd.DataFrame:
    table = pd.crosstab(keys, frame["status"]).reindex(columns=list(TRACK_STATUSES), fill_value=0).astype(int)
    table.columns.name = None
    table["expected"] = table[list(TRACK_STATUSES)].sum(axis=1)
    table["responded"] = table[list(RESPONDED)].sum(axis=1)
    table["share_responded"] = table["responded"] / table["expected"]
    table["share_accepted"] = table["accepted"] / table["expected"]
    return table


def tracking_table(register: Register, frame: pd.DataFrame) -> pd.DataFrame:
    """Per province (its office and communes) and per ministry: expected, each status, responded and
    shares. Worst response share first, then by name in Vietnamese order. Columns TRACKING_COLUMNS."""
    ministries = frame[frame["agency_type"] == "ministry"]
    local = frame[frame["agency_type"] != "ministry"]
    parts = []
    if len(local):
        counts = _counts(local, local["province_key"].rename("group"))
        counts["group_name"] = counts.index.map(lambda k: register.province_names.get(k, k))
        counts["group_type"] = "province"
        parts.append(counts)
    if len(ministries):
        counts = _counts(ministries, ministries["agency_id"].rename("group"))
        counts["group_name"] = ministries.set_index("agency_id")["agency_name"].reindex(counts.index).to_numpy()
        counts["group_type"] = "ministry"
        parts.append(counts)
    if not parts:
        return pd.DataFrame(columns=TRACKING_COLUMNS)
    table = pd.concat(parts).rename_axis("group").reset_index()
    table["name_rank"] = collation_rank(table["group_name"])
    table = table.sort_values(["share_responded", "name_rank"], kind="stable").drop(columns="name_rank")
    return table[TRACKING_COLUMNS].reset_index(drop=True)


def totals(frame: pd.DataFrame) -> dict[str, int]:
    """National counts: expected and each status."""
    counts = frame["status"].value_counts()
    out = {s: int(counts.get(s, 0)) for s in TRACK_STATUSES}
    out["expected"] = len(frame)
    out["responded"] = sum(out[s] for s in RESPONDED)
    return out


def non_submitters(register: Register, frame: pd.DataFrame, contacts: pd.DataFrame) -> pd.DataFrame:
    """Agencies still waiting (not started, draft, returned) with a contact where the accounts name
    one: the agency's own account first, else its province's or ministry's. Columns agency_id,
    agency_name, agency_type, province_name, status, contact_email, contact_name; by province then
    name in Vietnamese order."""
    waiting = frame[frame["status"].isin(WAITING)].copy()
    waiting["province_name"] = waiting["province_key"].map(register.province_names)
    first = contacts.drop_duplicates("scope").set_index("scope") if len(contacts) else None
    email = pd.Series(None, index=waiting.index, dtype=object)
    name = pd.Series(None, index=waiting.index, dtype=object)
    if first is not None:
        for scope in ("agency:" + waiting["agency_id"].astype(str),
                      np.where(waiting["agency_type"] == "ministry", "ministry:" + waiting["agency_id"].astype(str),
                               "province:" + waiting["province_key"].astype(str))):
            keys = pd.Series(scope, index=waiting.index)
            email = email.fillna(keys.map(first["email"]))
            name = name.fillna(keys.map(first["name"]))
    waiting["contact_email"] = email
    waiting["contact_name"] = name
    # Provinces in alphabetical order of their own names ("Cà Mau", not "UBND Tỉnh Cà Mau").
    waiting["province_rank"] = collation_rank(waiting["province_key"].map(register.province_short_names).fillna(""))
    waiting["name_rank"] = collation_rank(waiting["agency_name"])
    type_order = waiting["agency_type"].map({"ministry": 0, "province": 1, "commune": 2})
    waiting = waiting.assign(type_order=type_order).sort_values(["type_order", "province_rank", "name_rank"],
                                                                kind="stable")
    columns = ["agency_id", "agency_name", "agency_type", "province_name", "status", "contact_email", "contact_name"]
    return waiting[columns].reset_index(drop=True)


def reminder_table(waiting: pd.DataFrame, round_: str, deadline: date | None) -> pd.DataFrame:
    """The reminder list: one line per waiting agency with whom to write to, the round and its deadline."""
    columns = ["contact_email", "contact_name", "agency_id", "agency_name", "province_name", "status"]
    table = waiting[columns].copy()
    table["round"] = round_
    table["deadline"] = deadline.isoformat() if deadline else ""
    return table
