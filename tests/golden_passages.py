"""The printed numbers of seed 000's passages.

The transcription is package data, engine/data/printed/passages.toml (read by engine.printed),
the one the template workbooks show too; this module only keeps the former names:
ALL and TEXT (exhibit -> row -> (label, cells)), DERIVED (exhibit -> row -> cells),
DEVIATIONS ((exhibit, row, column) -> (printed, erratum, consistent)) and CORRECTED
((exhibit, switch) -> row -> cells).
"""

from engine.printed import corrected, deviations

from golden_harness import golden

ALL = golden("passages")
TEXT = golden("passages", "text")
DERIVED = {ex_id: {key: cells for key, (_, cells) in rows.items()}
           for ex_id, rows in golden("passages", "derived").items()}
DEVIATIONS = deviations("passages")
CORRECTED = corrected("passages")
