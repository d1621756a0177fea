"""The headline tiles: agencies assessed and each population target of the targets YAML, straight
from `scoring.population_summary` (so the tiles equal the core's numbers)."""

from __future__ import annotations

from dataclasses import dataclass

from coordinator.data import Population
from coordinator.selection import Filters, selection
from scoring import population_summary


@dataclass(frozen=True)
class Tile:
    """One population target: the share of agencies at `min_level` or above against `target_share`."""

    year: str
    min_level: int
    target_share: float
    agencies: int
    meeting: int
    share: float
    gap: float
    met: bool


@dataclass(frozen=True)
class Headline:
    agencies: int
    tiles: list[Tile]


def headline(pop: Population, filters: Filters) -> Headline:
    """Agencies assessed and each population target of the targets YAML, straight from
    `scoring.population_summary` (so the tiles equal the core's numbers)."""
    mask = selection(pop, filters)
    summary = population_summary(pop.selected(mask), by=())  # type: ignore[arg-type]
    rows = summary[(summary["group_by"] == "all") & (summary["target"] == "population")]
    found = {(str(r.year), int(r.min_level)): r for r in rows.itertuples(index=False)}
    tiles = []
    for year, target in sorted(pop.bundle.targets.years.items()):
        for population in sorted(target.population, key=lambda p: p.min_level):
            r = found.get((year, population.min_level))
            if r is None:  # nobody selected: the summary has no row, the target is not met
                tiles.append(Tile(year=year, min_level=population.min_level, target_share=population.share,
                                  agencies=0, meeting=0, share=0.0, gap=population.share, met=False))
                continue
            tiles.append(Tile(
                year=year, min_level=population.min_level, target_share=float(r.target_share),
                agencies=int(r.agencies), meeting=int(r.meeting), share=float(r.share),
                gap=float(r.share_gap), met=bool(r.met),
            ))
    return Headline(agencies=int(mask.sum()), tiles=tiles)
