"""The trainer page's shared words and data: level, dimension and traffic-light labels, number formats,
the loaded sample agencies (cached per content and rubric). Labels take the language explicitly where
Streamlit may call them outside the script run (format_func in AppTest).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from reports import tables
from scoring import numbers
from scoring.content import Bundle
from trainer.compare import OVERALL
from trainer.samples import Samples, files_stamp, load_samples
from ui.i18n import current_language, t, translate

ALL = "__all__"

LIGHT_ICON = {"GREEN": "🟢", "YELLOW": "🟡", "RED": "🔴"}


def level_label(level: int | None, lang: str | None = None) -> str:
    lang = lang or current_language()
    return translate(lang, "common.not_rated") if level is None else translate(lang, "common.level", level=level)


def level_name(bundle: Bundle, level: int, lang: str | None = None) -> str:
    return bundle.questionnaire.level_definition(level).name.get(lang or current_language())


def dimension_name(bundle: Bundle, dimension_id: str, lang: str | None = None) -> str:
    lang = lang or current_language()
    if dimension_id == OVERALL:
        return translate(lang, "trainer.overall")
    if dimension_id == ALL:
        return translate(lang, "trainer.all_dimensions")
    return bundle.questionnaire.dimension(dimension_id).name.get(lang)


def light_text(light: str, met: bool) -> str:
    return f"{LIGHT_ICON.get(light, '')} {t('trainer.met') if met else t('trainer.not_met')}"


def fmt_score(value: object) -> str:
    """A score in the page's language ("2,50" / "2.50"), as the results page writes it."""
    return tables.fmt_score(value, current_language())  # type: ignore[arg-type]


def fmt_signed(value: float, digits: int = 2, minus: str = "−") -> str:
    """A difference with its sign in the page's language ("+0,18", "−0,33"); `minus="-"` where
    Streamlit reads the sign (a metric's delta)."""
    return ("+" if value >= 0 else minus) + numbers.fmt_decimal(abs(value), current_language(), digits)


def fmt_level(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return t("common.not_rated")
    return str(int(float(value)))


def content_token(bundle: Bundle) -> int:
    """Identifies the loaded content: get_bundle returns a new object when a YAML file changes."""
    return id(bundle)


@st.cache_resource(show_spinner=False, max_entries=8)
def _samples(_bundle: Bundle, token: int, rubric: str, stamp: tuple) -> Samples:
    del token, rubric, stamp
    return load_samples(_bundle)


def get_samples(bundle: Bundle) -> Samples:
    return _samples(bundle, content_token(bundle), bundle.rubric.id, files_stamp())


def no_samples(samples: Samples) -> bool:
    if samples.result is None:
        st.info(t("trainer.no_samples"))
        for problem in samples.problems:
            st.caption(str(problem))
        return True
    return False
