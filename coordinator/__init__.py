"""The national coordinator's population views as plain data frames (no Streamlit).

- `coordinator.data`: load every submitted assessment from storage and score it once per data stamp.
- `coordinator.views`: filters, headline tiles, traffic lights, heatmaps, province roll-up, ranking,
  trends and the projection against the 2027 and 2030 targets; all vectorised with pandas/numpy.
- `coordinator.imports`: bulk import of response files (YAML, zip, bulk CSV) with a per-file report.
- `coordinator.demo`: load the synthetic national dataset into the store (idempotent).
"""

from coordinator.data import Population, PopulationFrames
from coordinator.views import Filters

__all__ = ["Filters", "Population", "PopulationFrames"]
