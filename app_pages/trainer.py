"""Placeholder until its issue lands."""

import streamlit as st

from ui.i18n import t

st.title(t("common.nav_trainer"))
st.info(t("common.coming_soon"))
