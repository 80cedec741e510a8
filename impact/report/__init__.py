"""Rendering: text tables, and later figures, maps and the dossier."""
