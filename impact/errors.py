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


class Said(str):
    """A message in English (the command line's words) that also carries the catalogue key of its
    words and their parameters, so that the web page can say it in French.

    It is a ``str``: it travels in :attr:`InputError.problems` as the message did. ``key`` is a full
    catalogue key (``loader.water_rise``); a parameter may itself be a :class:`Said` (a reason
    inside a message), translated in its turn.
    """

    key: str
    params: dict

    def __new__(cls, text: str, key: str, params: dict | None = None) -> Said:
        said = super().__new__(cls, text)
        said.key, said.params = key, dict(params or {})
        return said

    @classmethod
    def of(cls, exc: BaseException) -> str:
        """The message of ``exc``, with its key when it is a :class:`RuleError`."""
        if isinstance(exc, RuleError):
            return cls(str(exc), exc.key, exc.params)
        return str(exc)


class RuleError(ValueError):
    """A rule of the project file broken: the English message, its catalogue key and parameters.

    Raised where ``ValueError`` was (pydantic turns it into a field's error, kept by
    :func:`impact.project._message` as a :class:`Said`).
    """

    def __init__(self, key: str, text: str, /, **params) -> None:
        super().__init__(text)
        self.key, self.params = key, params
