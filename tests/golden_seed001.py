"""The printed numbers of seed 001, the AI-server compilation.

The transcription is package data, engine/data/printed/seed001.toml (read by engine.printed),
the one the template workbooks show too; this module only keeps the former names:
ALL and TEXT (exhibit -> row -> (label, cells)), DERIVED (exhibit -> row -> cells) and
DEVIATIONS ((exhibit, row, column) -> (printed, erratum, consistent)).
"""

from engine.printed import deviations

from golden_harness import golden

ALL = golden("seed001")
TEXT = golden("seed001", "text")
DERIVED = {ex_id: {key: cells for key, (_, cells) in rows.items()}
           for ex_id, rows in golden("seed001", "derived").items()}
DEVIATIONS = deviations("seed001")
