"""The domain core: questionnaires, rubrics, targets, responses and the scoring engine.

Pure Python (no Streamlit): the CLI, the tests and every Streamlit view call these functions.
"""

from scoring.answers import canonical_value, parse_value
from scoring.content import Bundle, load_bundle, shipped_rubrics
from scoring.engine import ScoreResult, score
from scoring.errors import ContentError, Problem
from scoring.population import population_summary
from scoring.response_frame import ANSWER_COLUMNS, LoadedResponses, response_to_yaml, responses_frame
from scoring.responses import load_named_inputs, load_paths, parse_response
from scoring.results import AgencyResult, agency_result, all_agency_results

__all__ = [
    "ANSWER_COLUMNS",
    "AgencyResult",
    "Bundle",
    "ContentError",
    "LoadedResponses",
    "Problem",
    "ScoreResult",
    "agency_result",
    "all_agency_results",
    "canonical_value",
    "load_bundle",
    "load_named_inputs",
    "load_paths",
    "parse_response",
    "parse_value",
    "population_summary",
    "response_to_yaml",
    "responses_frame",
    "score",
    "shipped_rubrics",
]
