"""UI text in Vietnamese and English: one catalogue per language, split into one file per area.

`ui/locales/<lang>/<area>.yaml` holds flat `key: text` pairs; keys are namespaced by area
(`common.*`, `assessment.*`, ...). The language lives in session state, never in a process-wide
setting, because all sessions share the process.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from scoring.schemas.base import Text
from scoring.yamlio import read_yaml_file

LOCALES = Path(__file__).resolve().parent / "locales"
LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}


@cache
def catalogue(lang: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in sorted((LOCALES / lang).glob("*.yaml")):
        data = read_yaml_file(path).data or {}
        area = path.stem
        for key, text in data.items():
            merged[f"{area}.{key}"] = str(text)
    return merged


def translate(lang: str, key: str, **values: object) -> str:
    """The text for `key` in `lang`, falling back to Vietnamese, then to the key itself."""
    text = catalogue(lang).get(key) or catalogue(DEFAULT_LANGUAGE).get(key) or key
    return text.format(**values) if values else text


def current_language() -> str:
    import streamlit as st

    lang = st.session_state.get("lang", DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


_SHOWN_KEY = "_i18n_language_shown"
_PLAIN = (str, int, float)


def relabel_widgets_after_switch() -> None:
    """Call once per run, before any widget. After a language switch the browser still holds every
    selectbox/radio/segmented control's value as its OLD translated label; Streamlit maps labels
    back to values with the NEW labels, so the next click would turn e.g. the rubric "standard"
    into the unknown value "Thang chấm chuẩn". Re-assigning each keyed value in session state
    makes Streamlit send the widget its new label in this run. Booleans (buttons, checkboxes) and
    objects (uploads, editors) are left alone: their labels are not their values, and Streamlit
    refuses assignments to buttons and uploaders."""
    import streamlit as st

    language = current_language()
    shown = st.session_state.get(_SHOWN_KEY)
    st.session_state[_SHOWN_KEY] = language
    if shown is None or shown == language:
        return
    for key in list(st.session_state.keys()):
        value = st.session_state[key]
        plain = isinstance(value, _PLAIN) and not isinstance(value, bool)
        many = isinstance(value, list) and value and all(
            isinstance(v, _PLAIN) and not isinstance(v, bool) for v in value)
        if plain or many:
            st.session_state[key] = value


def streamlit_texts_style(lang: str) -> str:
    """CSS that puts our words over the English texts Streamlit draws itself and offers no option
    for: the file uploader's "Drag and drop files here" / "200MB per file" / "Browse files" (the
    app says its own limits beside each uploader), and the "Press Enter to apply" hint, which is
    hidden (our fields save on leaving them, or with a Save button). What CSS cannot reach is
    listed in the README."""
    drop = translate(lang, "common.uploader_drop").replace('"', "'")
    button = translate(lang, "common.uploader_button").replace('"', "'")
    return (
        "<style>"
        "[data-testid='InputInstructions'] { display: none; }"
        "[data-testid='stFileUploaderDropzoneInstructions'] > * { display: none; }"
        f"[data-testid='stFileUploaderDropzoneInstructions']::before {{ content: \"{drop}\"; }}"
        "[data-testid='stFileUploaderDropzone'] button { font-size: 0; }"
        "[data-testid='stFileUploaderDropzone'] button * { display: none; }"
        f"[data-testid='stFileUploaderDropzone'] button::after {{ content: \"{button}\"; font-size: 0.875rem; }}"
        "</style>"
    )


def t(key: str, **values: object) -> str:
    """Translate in the current session's language."""
    return translate(current_language(), key, **values)


def tx(text: Text | None) -> str:
    """A bilingual content text (from the YAML model) in the current language."""
    return "" if text is None else text.get(current_language())
