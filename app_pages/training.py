"""Trainer mode: browse the criteria, see what each target takes, explore sample agencies with
what-if changes, compare two samples and print the handbook. Logic lives in trainer/."""

import streamlit as st

from ui.i18n import t
from ui.state import get_bundle
from ui.trainer_page import compare, criteria, frame, whatif

bundle = get_bundle()
presentation = frame.presentation_toggle()
st.title(t("trainer.title"))
if not presentation:
    st.caption(t("trainer.intro"))

chosen = frame.view_selector()
if chosen == "criteria":
    criteria.render_criteria_browser(bundle)
elif chosen == "glossary":
    criteria.render_glossary(bundle)
elif chosen == "targets":
    criteria.render_targets(bundle)
elif chosen == "sample":
    whatif.render_sample(bundle, presentation)
elif chosen == "compare":
    compare.render_compare(bundle, presentation)
else:
    criteria.render_handbook(bundle)
