"""The national coordinator's page, one module per use case.

`source` (data, caches, warming), `labels` (translated names), `widgets` (shared pieces), `filters`,
`overview` (tiles and overview), `heatmap`, `provinces` (tile map, roll-up), `agencies` (ranking,
drill-down), `trends`, `imports` (files and demo), `downloads` (Excel, CSV, PDF), `page` (the router).
Kept empty so that importing `ui.coordinator_page.source` (app.py's warming) does not import the
charts and reports.
"""
