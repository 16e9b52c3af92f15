"""suanli's engine: the AI compute-demand and industry-chain models of the CSC 2023 report.

Pure model code, numbers in and numbers out: every model runs on floats, on numpy arrays
(a scenario axis) and on Excel formula cells.  Nothing here touches Excel or files other
than the package's own data.

>>> from engine import table
>>> table("fig43").values("a100_cards")
[9.0, 50.0]
"""

from .errors import InvalidTypeError, InvalidValueError, MissingValueError, SuanliError, UnknownNameError
from .tables import Table, table

__version__ = "0.1.0"

__all__ = ["table", "Table", "SuanliError", "InvalidValueError", "InvalidTypeError",
           "MissingValueError", "UnknownNameError", "__version__"]
