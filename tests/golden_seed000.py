"""The printed cells of seed 000's demand, market and power exhibits.

The transcription is package data, engine/data/printed/seed000.toml (read by engine.printed),
the one the template workbooks show too; this module only keeps the former names:
ALL (exhibit -> row -> (label, cells)) and DEVIATIONS ((exhibit, row, column) -> (printed,
erratum, consistent)).
"""

from engine.printed import deviations

from golden_harness import golden

ALL = golden("seed000")
DEVIATIONS = deviations("seed000")
