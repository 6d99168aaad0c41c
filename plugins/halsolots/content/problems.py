"""Content problems: collected across all files, reported together, never as a traceback.

A problem names the file, the line, the field, what is wrong and what is expected. The build and
`make check` share this module so both speak with one voice.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

ERROR = "error"
WARNING = "warning"
# Params named so (e.g. weekday, series_weekday, reason, month) hold N_ templates, translated with the message.
TRANSLATED_PARAMS = ("weekday", "reason", "month")


def N_(template: str) -> str:
    """Marks a message template for the plugin's catalogue (plugins/halsolots/locale); translated when shown."""
    return template


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    field: str
    message: str
    expected: str = ""
    suggestion: str = ""
    severity: str = ERROR
    # Values for {placeholders} in message/expected: messages are templates so they can be translated.
    params: tuple[tuple[str, str], ...] = ()

    @classmethod
    def make(cls, path: str, line: int, field: str, message: str, expected: str = "", suggestion: str = "",
             severity: str = ERROR, **params) -> "Problem":
        """A problem whose message/expected templates are filled from params (as ProblemCollector.add does)."""
        return cls(path, line, field, message, expected, suggestion or "", severity, _params(params))

    def text(self, template: str, lang: str | None = None) -> str:
        template = _translate(template, lang)
        if not self.params:
            return template
        values = dict(self.params)
        # Weekday names and reasons are words of the message, not the communicator's values: they are translated
        # too, and a reason's own {placeholders} are filled from the other values.
        params = {k: _translate(v, lang).format(**values) if k.endswith(TRANSLATED_PARAMS) else v
                  for k, v in self.params}
        return template.format(**params)

    def format(self, root: str | None = None, lang: str | None = None) -> str:
        """`path:line: field: message (expected; did you mean …?)`, in English or translated into `lang`."""
        path = os.path.relpath(self.path, root) if root else self.path
        text = f"{path}:{self.line}: {self.field}: {self.text(self.message, lang)}"
        hint = _translate(N_("did you mean {suggestion}?"), lang).format(suggestion=self.suggestion) if self.suggestion else ""
        extra = [part for part in (self.text(self.expected, lang), hint) if part]
        if extra:
            text += f" ({'; '.join(extra)})"
        return text


def _params(params: dict) -> tuple[tuple[str, str], ...]:
    """Values for a problem's {placeholders}, as Problem.params holds them: sorted, as text."""
    return tuple(sorted((k, str(v)) for k, v in params.items()))


def _translate(template: str, lang: str | None) -> str:
    if not lang or not template:
        return template
    from .messages import gettext

    return gettext(template, lang)


def format_problem(problem: Problem, root: str | None = None, lang: str | None = None) -> str:
    """One line for the console, the same in the build and `make check`:
    `fel: path:line: Field: message (expected; did you mean …?)` (`error:` in English)."""
    from .messages import gettext

    label = N_("warning") if problem.severity != ERROR else N_("error")
    return f"{gettext(label, lang)}: {problem.format(root, lang)}"


class ContentError(Exception):
    """Raised when content has errors; carries every problem found in the run."""

    exitcode = 2

    def __init__(self, problems: list[Problem], root: str | None = None):
        self.problems = sorted(problems)
        self.root = root
        super().__init__(self.report())

    def report(self, lang: str | None = None) -> str:
        from .messages import nmessage

        lines = [format_problem(p, self.root, lang) for p in self.problems]
        count = len(self.problems)
        lines.append(nmessage("{count} problem in the content; nothing was published.",
                              "{count} problems in the content; nothing was published.", count, lang).format(count=count))
        return "\n".join(lines)


@dataclass
class ProblemCollector:
    """Gathers the problems of one file; `header` (key → Field) gives each field's line."""

    path: str
    header: dict = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def line_of(self, key: str) -> int:
        found = self.header.get(key.lower())
        return found.line if found else 1

    def add(self, key: str, message: str, expected: str = "", suggestion: str = "", severity: str = ERROR, **params):
        """`message`/`expected` may hold {placeholders} filled from params, e.g. add("Venue", "'{value}' is unknown", value=v)."""
        self.problems.append(Problem(self.path, self.line_of(key), key, message, expected, suggestion or "", severity,
                                     _params(params)))

    def warn(self, key: str, message: str, expected: str = "", suggestion: str = "", **params):
        self.add(key, message, expected, suggestion, WARNING, **params)

    @property
    def has_errors(self) -> bool:
        return any(p.severity == ERROR for p in self.problems)
