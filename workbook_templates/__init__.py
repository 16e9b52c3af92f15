"""Writing, reading and refreshing workbooks.

The template workbooks: ``groups`` (which exhibits each holds), ``render`` (their layout and
formulas), ``build`` (writing them), ``meta`` (the hidden ``_suanli`` sheet they record
themselves in).  Refreshing one a user edited: ``refresh`` (the workflow), ``sheetxml`` (reading
and editing its XML in place), ``safety`` (opening a file suanli did not write).  ``batch``
writes one workbook per scenario; ``analysis`` and ``analysis_xlsx`` run and write sweeps,
sensitivities and Monte Carlo.  ``writer`` and ``files`` are what every writer shares.
"""
