"""Trainer mode as plain data: the criteria matrix, search, level filter, what each target takes,
the sample agencies, what-if differences and side-by-side comparison. No Streamlit here."""

from trainer.compare import chart_frame, compare_dimensions, compare_targets
from trainer.criteria import (
    SearchHit,
    criteria_frame,
    criteria_matrix,
    level_definitions,
    level_requirements,
    matching_questions,
    question_levels,
    search,
    search_frame,
)
from trainer.samples import SAMPLE_DIR, Samples, load_samples, sample_key, split_key
from trainer.targets import target_requirements, year_indicators, year_summary
from trainer.text import fold
from trainer.whatif import WhatIf, apply_changes, diff_results, what_if

__all__ = [
    "SAMPLE_DIR",
    "Samples",
    "SearchHit",
    "WhatIf",
    "apply_changes",
    "chart_frame",
    "compare_dimensions",
    "compare_targets",
    "criteria_frame",
    "criteria_matrix",
    "diff_results",
    "fold",
    "level_definitions",
    "level_requirements",
    "load_samples",
    "matching_questions",
    "question_levels",
    "sample_key",
    "search",
    "search_frame",
    "split_key",
    "target_requirements",
    "what_if",
    "year_indicators",
    "year_summary",
]
