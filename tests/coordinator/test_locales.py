"""The coordinator's UI texts: the same keys in Vietnamese and English, and every key the code
asks for exists (including the ones built from stable values, such as coordinator.type_commune)."""

from __future__ import annotations

import re
from pathlib import Path

from coordinator import heatmaps, selection, traffic_lights
from scoring import Bundle
from ui.coordinator_page.labels import (
    AGENCY_TYPES,
    chart_labels,
    level_names,
    light_names,
    status_names,
    table_headers,
    tr_for,
)
from ui.coordinator_page.widgets import SECTIONS
from ui.i18n import catalogue

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [*sorted((ROOT / "ui" / "coordinator_page").glob("*.py")), ROOT / "reports" / "national_report.py"]


def test_same_keys_in_both_languages() -> None:
    vi = {k for k in catalogue("vi") if k.startswith("coordinator.")}
    en = {k for k in catalogue("en") if k.startswith("coordinator.")}
    assert vi == en
    assert len(vi) > 150


def test_every_key_used_exists() -> None:
    keys = {k for k in catalogue("vi") if k.startswith(("coordinator.", "common."))}
    used = set()
    for source in SOURCES:
        used |= set(re.findall(r"[\"'](coordinator\.[a-z0-9_]+)[\"']", source.read_text(encoding="utf-8")))
    built = {f"coordinator.section_{s}" for s in SECTIONS}
    built |= {f"coordinator.type_{k}" for k in AGENCY_TYPES}
    built |= {f"coordinator.light_{k}" for k in traffic_lights.LIGHTS}
    built |= {f"coordinator.sort_{s}" for s in heatmaps.HEATMAP_SORTS}
    built |= {f"coordinator.measure_{m}" for m in heatmaps.HEATMAP_MEASURES}
    built |= {f"coordinator.rows_{r}" for r in ("agencies", "agency_type", "province")}
    built |= {f"coordinator.group_by_{g}" for g in selection.GROUPINGS}
    built |= {f"coordinator.status_{s}" for s in ("met", "on_track", "off_track", "no_trend")}
    missing = sorted((used | built) - keys)
    assert not missing, missing
    assert len(used) > 100


def test_built_labels_are_translated(shipped: Bundle) -> None:

    for lang in ("vi", "en"):
        tr = tr_for(lang)
        for names in (chart_labels(tr), table_headers(shipped, tr, lang), level_names(tr), light_names(tr),
                      status_names(tr)):
            untranslated = [v for v in names.values() if v.startswith(("coordinator.", "common."))]
            assert not untranslated, (lang, untranslated)
