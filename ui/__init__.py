"""The Streamlit layer: thin pages over the `scoring` core and the `storage` module."""
