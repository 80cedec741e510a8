"""Loaders: files in, standard tables out (``read_*`` for a path, ``parse_*`` for a buffer)."""
