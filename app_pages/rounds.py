"""Administrator and national coordinator: assessment rounds (open, deadline, close)."""

from ui.rounds_view import render_rounds_page

render_rounds_page()
