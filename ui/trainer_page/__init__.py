"""Trainer mode in Streamlit, one module per use case (the logic lives in `trainer/`): `frame` (presentation
mode, view selector), `criteria` (what each level means, targets, handbook), `whatif` (sample agencies and
what-if), `compare` (two samples side by side); `common` holds their shared labels and cached samples."""
