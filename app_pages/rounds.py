"""Assessment rounds (open, deadline, close): administrators, national coordinators, and local mode."""

from ui.rounds_view import render_rounds_page

render_rounds_page()
