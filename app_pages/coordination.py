"""National coordinator: every submitted assessment against the 2027 and 2030 targets."""

from ui.coordinator_page.page import render_coordinator_page

render_coordinator_page()
