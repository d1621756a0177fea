"""The agency register: who is expected to answer a round (data, not code).

`register/agencies.yaml` (versioned, validated by pydantic) lists the 34 provincial-level units
and the ministries and ministry-level agencies; communes come from a CSV (`id,name,province`) or,
until the official list is loaded, from the synthetic national set. `Register.frame` is one row
per expected agency: agency_id, agency_name, agency_type, province (a commune's province id).
"""

from __future__ import annotations

import csv
import functools
import io
from functools import cached_property
from pathlib import Path
from typing import Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from scoring.decoding import decode_text
from scoring.errors import ContentError, Problem
from scoring.identifiers import agency_id_problem, text_problem
from scoring.limits import DEFAULT_LIMITS, InputLimits
from scoring.yamlio import load_model

REGISTER_FILE = Path(__file__).resolve().parents[1] / "register" / "agencies.yaml"
COMMUNE_COLUMNS = ("id", "name", "province")


class RegisteredProvince(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1)
    short: str = Field(min_length=1)
    kind: Literal["city", "province"]
    tile: tuple[int, int]
    merged_from: str | None = None


class RegisteredMinistry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1)


class RegisterFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: str
    communes: str = "synthetic"  # "synthetic" or a CSV path relative to the register file
    provinces: list[RegisteredProvince]
    ministries: list[RegisteredMinistry]


class Register:
    """The register file with its communes, as one frame."""

    def __init__(self, content: RegisterFile, communes: pd.DataFrame) -> None:
        self.content = content
        self.communes = communes

    @property
    def version(self) -> str:
        return self.content.version

    def with_communes(self, communes: pd.DataFrame) -> Register:
        """The same register with another commune list (e.g. uploaded by a coordinator)."""
        return Register(self.content, communes[list(COMMUNE_COLUMNS)].reset_index(drop=True))

    @cached_property
    def frame(self) -> pd.DataFrame:
        ministries = pd.DataFrame({"agency_id": [m.id for m in self.content.ministries],
                                   "agency_name": [m.name for m in self.content.ministries],
                                   "agency_type": "ministry", "province": None})
        provinces = pd.DataFrame({"agency_id": [p.id for p in self.content.provinces],
                                  "agency_name": [p.name for p in self.content.provinces],
                                  "agency_type": "province", "province": None})
        communes = self.communes.rename(columns={"id": "agency_id", "name": "agency_name"}).assign(
            agency_type="commune")[["agency_id", "agency_name", "agency_type", "province"]]
        frame = pd.concat([ministries, provinces, communes], ignore_index=True).astype(object)
        frame["province_key"] = frame["province"].where(frame["agency_type"] == "commune",
                                                        frame["agency_id"].where(frame["agency_type"] == "province"))
        return frame

    @cached_property
    def province_names(self) -> dict[str, str]:
        return {p.id: p.name for p in self.content.provinces}

    @cached_property
    def province_short_names(self) -> dict[str, str]:
        return {p.id: p.short for p in self.content.provinces}

    @cached_property
    def tiles(self) -> pd.DataFrame:
        """Province id, short name, tile row and column (the tile-grid map)."""
        return pd.DataFrame([(p.id, p.short, p.tile[0], p.tile[1]) for p in self.content.provinces],
                            columns=["province", "short", "tile_row", "tile_col"])


def parse_communes_csv(raw: bytes, name: str, province_ids: set[str], taken_ids: set[str] = frozenset(),
                       limits: InputLimits = DEFAULT_LIMITS) -> pd.DataFrame:
    """Communes from a CSV (id,name,province); ContentError naming file, line and problem (every
    problem, not only the first). Ids follow the agency id rule and may not be a province's or a
    ministry's (`taken_ids`); names are one line; the province must be one of the register's."""
    text = decode_text(raw, name, limits.max_csv_bytes)  # UTF-8 only, with the line of a bad byte
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COMMUNE_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ContentError([Problem(name, 1, f"missing column(s) {', '.join(missing)} (expected id,name,province)")])
    rows: list[tuple[str, str, str]] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    try:
        for row in reader:
            line = reader.line_num
            ident, label, province = (str(row.get(c) or "").strip() for c in COMMUNE_COLUMNS)
            problem = (agency_id_problem(ident) or text_problem("the commune's name", label)
                       or (None if province in province_ids else f"{province!r} is not a province id of the register")
                       or (f"{ident!r} is the id of a province or ministry" if ident in taken_ids else None)
                       or (f"commune {ident!r} is listed twice" if ident in seen else None))
            if problem:
                problems.append(Problem(name, line, problem))
            else:
                seen.add(ident)
                rows.append((ident, label, province))
    except csv.Error as exc:
        problems.append(Problem(name, reader.line_num, f"cannot read as CSV: {exc}"))
    if not rows and not problems:
        problems.append(Problem(name, 2, "the file has a header but no communes"))
    if problems:
        raise ContentError(problems)
    return pd.DataFrame(rows, columns=list(COMMUNE_COLUMNS))


def synthetic_communes() -> pd.DataFrame:
    from scoring.synthetic import national_population

    agencies = national_population()
    communes = agencies[agencies["agency_type"] == "commune"]
    return pd.DataFrame({"id": communes["agency_id"].to_numpy(), "name": communes["agency_name"].to_numpy(),
                         "province": communes["province"].to_numpy()})


@functools.cache
def registered_province_names() -> dict[str, str]:
    """Province id -> name, from the shipped register: what a view calls a province whose own agency
    has not answered (its communes may have)."""
    content, _ = load_model(REGISTER_FILE, RegisterFile)
    return {p.id: p.name for p in content.provinces}


def load_register(path: str | Path = REGISTER_FILE) -> Register:
    """The register file and its communes; ContentError with file:line problems when invalid."""
    path = Path(path)
    content, _ = load_model(path, RegisterFile)  # ContentError: file, line and field
    province_ids = {p.id for p in content.provinces}
    if content.communes == "synthetic":
        communes = synthetic_communes()
    else:
        csv_path = path.parent / content.communes
        communes = parse_communes_csv(csv_path.read_bytes(), str(csv_path), province_ids,
                                      province_ids | {m.id for m in content.ministries})
    return Register(content, communes)
