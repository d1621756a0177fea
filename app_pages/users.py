"""Administrator: users, roles and scopes (list, add, change, deactivate, CSV import)."""

from ui.people_view import render_users_page

render_users_page()
