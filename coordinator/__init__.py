"""The national coordinator's population views as plain data frames (no Streamlit).

- `coordinator.data`: load every submitted assessment from storage and score it once per data stamp.
- the views, all vectorised with pandas/numpy, one module per use case: `coordinator.selection`
  (filters, the selection mask, groups), `headline` (the tiles), `traffic_lights` (lights and the
  level distribution), `target_gaps` (dimension shortfall, indicators), `heatmaps`, `rankings`
  (weakest first, the ranking table, province roll-up and tile map), `trends` (trends, history,
  changes, the projection against the 2027 and 2030 targets).
- `coordinator.imports`: bulk import of response files (YAML, zip, bulk CSV) with a per-file report.
- `coordinator.demo`: load the synthetic national dataset into the store (idempotent).
"""

from coordinator.data import Population, PopulationFrames
from coordinator.selection import Filters

__all__ = ["Filters", "Population", "PopulationFrames"]
