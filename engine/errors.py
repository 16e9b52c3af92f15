"""Errors raised by suanli.

Every error derives from :class:`SuanliError` and also from the built-in exception a
Python caller would expect (``ValueError``, ``KeyError``, ``TypeError``), so both
``except SuanliError`` and ``except ValueError`` work.  Each carries the name of the
argument or key at fault, the value it got and what is accepted, so the Excel layer
and the command line can show one specific line instead of a traceback.
"""

from __future__ import annotations

__all__ = [
    "SuanliError",
    "TextError",
    "InvalidValueError",
    "InvalidTypeError",
    "UnknownNameError",
    "MissingValueError",
    "SuanliWarning",
    "EXCEL_ERRORS",
]

#: Every error value an Excel cell can hold (a cell of type ``e`` in a saved workbook, or the
#: text xlwings reads with ``err_to_str``): the one list the Excel functions, refresh and the
#: Refresh button recognise.
EXCEL_ERRORS = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
                "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#UNKNOWN!", "#CONNECT!", "#BUSY!")


class SuanliError(Exception):
    """Base class of every suanli error.

    ``excel`` is the Excel error value the problem stands for (``#VALUE!``,
    ``#NUM!``, ``#DIV/0!``, ``#N/A``); the Excel layer prefixes the message with it.
    """

    excel = "#VALUE!"

    def __init__(self, name: str, value: object, accepted: str, hint: str | None = None):
        self.name = name
        self.value = value
        self.accepted = accepted
        self.hint = hint
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return self._hinted(f"{self.name} {self.accepted}, got {_show(self.value)}")

    def _hinted(self, text: str) -> str:
        """``text``, followed by the hint in brackets when there is one."""
        return f"{text} ({self.hint})" if self.hint else text

    def __str__(self) -> str:  # KeyError would otherwise repr() the message
        return self.message


class TextError(SuanliError):
    """An error told in one line of its own words (``text``), about ``name`` (an argument, a file, a
    workbook): for problems no bounds or choices describe.  Subclasses add the built-in it also is."""

    def __init__(self, name: str, text: str):
        self.text = text
        super().__init__(name, None, text)

    @property
    def message(self) -> str:
        return self.text


class InvalidValueError(SuanliError, ValueError):
    """A number outside the domain a model accepts (negative count, 30 for 30%, NaN)."""

    excel = "#NUM!"


class InvalidTypeError(SuanliError, TypeError):
    """Text, a blank or an error value where a number belongs."""

    excel = "#VALUE!"


class MissingValueError(SuanliError, ValueError):
    """A required value is blank."""

    excel = "#VALUE!"


class UnknownNameError(SuanliError, KeyError):
    """A scenario, input key, exhibit, chip or field that does not exist."""

    excel = "#N/A"

    def __init__(self, name: str, value: object, choices, hint: str | None = None, listing: str | None = None):
        """``listing`` says where a long list of choices is (`suanli inputs`) instead of printing a part of it."""
        choices = list(choices)
        if listing and len(choices) > 12:
            accepted = f"must be one of the {len(choices)} that {listing} lists"
        else:
            accepted = "must be one of: " + ", ".join(map(str, choices[:12])) + (", ..." if len(choices) > 12 else "")
        super().__init__(name, value, accepted, hint)
        self.choices = choices

    @property
    def message(self) -> str:
        return self._hinted(f"unknown {self.name} {_show(self.value)}; {self.accepted.replace('must be ', '')}")


class SuanliWarning(UserWarning):
    """A value suanli accepts but suspects, said in one line: a number that is the report's value
    in a display unit (18000 for 18000亿) rather than the base unit.  The library warns through
    :mod:`warnings` and never prints; the command prints ``suanli: warning: ...`` and exits 0."""


def _show(value: object) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, float):
        return format(value, ".12g")
    return str(value)
