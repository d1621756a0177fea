"""Trainer mode: browse the criteria, see what each target takes, explore sample agencies with
what-if changes, compare two samples and print the handbook. Logic lives in trainer/."""

import streamlit as st

from ui import trainer_view as view
from ui.i18n import t
from ui.state import get_bundle

bundle = get_bundle()
presentation = view.presentation_toggle()
st.title(t("trainer.title"))
if not presentation:
    st.caption(t("trainer.intro"))

chosen = view.view_selector()
if chosen == "criteria":
    view.render_criteria_browser(bundle)
elif chosen == "glossary":
    view.render_glossary(bundle)
elif chosen == "targets":
    view.render_targets(bundle)
elif chosen == "sample":
    view.render_sample(bundle, presentation)
elif chosen == "compare":
    view.render_compare(bundle, presentation)
else:
    view.render_handbook(bundle)
