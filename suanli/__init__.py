"""suanli: AI compute demand and its industry chain, from the CSC 2023 report, as a Python library.

The public API; the ``suanli`` command (:mod:`suanli.cli`) is a thin layer over it.
"""

from engine import (InvalidTypeError, InvalidValueError, MissingValueError, SuanliError, Table,
                    UnknownNameError, __version__, table)

__all__ = ["table", "Table", "SuanliError", "InvalidValueError", "InvalidTypeError",
           "MissingValueError", "UnknownNameError", "__version__"]
