"""Documents people take away: PDF reports, Excel workbooks, CSV and chart images.

Pure Python (no Streamlit): the UI offers these as downloads, tests read them back.
"""
