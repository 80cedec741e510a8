"""Errors that reach the user as one clear message and exit code 2."""

from __future__ import annotations


class InputError(Exception):
    """A problem with something the user gave: a file, a field, a value.

    Parameters
    ----------
    source : str
        The file (or other origin) at fault, as the user named it.
    problems : list of (field, message)
        Each problem: the dotted field path ("" for the whole file) and what is
        expected, e.g. ``("utilisation", "must be between 0 and 1, got 1.7")``.
    """

    def __init__(self, source: str, problems: list[tuple[str, str]] | str):
        if isinstance(problems, str):
            problems = [("", problems)]
        self.source = str(source)
        self.problems = list(problems)
        super().__init__(self.message)

    @property
    def message(self) -> str:
        lines = []
        for field, text in self.problems:
            head = f"{self.source}: {field}: " if field else f"{self.source}: "
            lines.append(head + text)
        return "\n".join(lines)
