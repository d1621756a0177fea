"""Reviewer: the submitted assessments of the province or ministry; comment, return or accept."""

from ui.review_view import render_review_page
from ui.state import get_bundle

render_review_page(get_bundle())
