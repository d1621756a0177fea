"""IT lead: who answers which dimension, and who answered what and when."""

from ui.people_view import render_team_page
from ui.state import get_bundle

render_team_page(get_bundle())
