"""The assessment wizard: one dimension per step, every answer saved the moment it is given."""

from ui.widgets import assessment_page

assessment_page()
