"""The check cells of the exhibit sheets: the report's printed value beside the computed one, and
what a reader should make of the two.

Beside every printed cell an exhibit sheet has a check, a live formula that shows

* ``✓`` when the computed value rounds to the printed one at the printed precision; in a workbook
  that reproduces a known error (an erratum's switch on, as printed) the ids of the errata behind
  the value follow: ``✓ E01``;
* the erratum's id and a few words where a named erratum explains the difference: its switch is off
  (``E01 utilisation applied twice``), the printed value is a known slip of the report (a deviation,
  ``E43 PCIe x16 as 200G/400G``), or an input is at the value of an erratum's alternative scenario
  (``E03 text's 10000亿 parameters``); ``+E06`` names a second one;
* ``scenario`` and the difference where an input the cell depends on differs from the report's
  value (the scenario moved it): not an alarm;
* else ``≠`` and the difference: in % of the printed value (``≠ +3.3%``), in percentage points for
  a percentage (``≠ -0.4 pp``); ``≠ no value`` where the cell holds no number.

:class:`Check` holds one cell's definition; its :meth:`~Check.formula` is what the workbook
computes and its :meth:`~Check.text` what the engine caches and refresh writes, from the same
conditions, so a spreadsheet recalculating the workbook shows the same text.  Which errata and
inputs a cell depends on is found from the formulas themselves (:class:`Reads`): every input a
cell's formula reads, directly or through the cells it refers to.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from xlsxwriter.utility import xl_rowcol_to_cell

from engine import errata, exhibits, printed, scenarios
from engine.errata import Erratum
from engine.exhibit import Blank, NumericResolver

from .render import FIRST_VALUE_COL, FormulaResolver

__all__ = ["InputRead", "Check", "Reads", "checks", "switches_read", "printed_rows", "printed_value", "OK",
           "SCENARIO", "MISMATCH", "NO_VALUE", "RELATIVE_SAME"]

OK = "✓"
SCENARIO = "scenario"
MISMATCH = "≠"
NO_VALUE = "≠ no value"

#: An input differs from the report's value when it is further from it than this part of it.
RELATIVE_SAME = 1e-9


@dataclass(frozen=True)
class InputRead:
    """One input value a cell's formula reads: its key, the column of its axis (None for a single
    value) and the formula text that reads it, in the engine's base unit."""

    key: str
    column: str | None
    expr: str

    def value(self, scenario: scenarios.Scenario):
        """The value the engine reads for ``scenario`` (None when blank)."""
        return scenario.at(self.key, self.column) if self.column is not None else scenario.values[self.key]


def _number(value: float) -> str:
    from engine.ops import number_text

    return number_text(value)


def _near(x, v: float) -> bool:
    """``x`` within :data:`RELATIVE_SAME` of ``v`` (a blank is never near)."""
    if x is None:
        return False
    return abs(float(x) - v) <= _allowed(v)


def _allowed(v: float) -> float:
    return RELATIVE_SAME * abs(v)


def _far_formula(read: InputRead, v: float) -> str:
    """The formula that is TRUE when the input is not :func:`_near` ``v``."""
    if v == 0:
        return f"({read.expr})<>0"
    return f"ABS(({read.expr})-{_number(v)})>{_number(_allowed(v))}"


def _near_formula(read: InputRead, v: float) -> str:
    if v == 0:
        return f"({read.expr})=0"
    return f"ABS(({read.expr})-{_number(v)})<={_number(_allowed(v))}"


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


@dataclass(frozen=True)
class _Reason:
    """An erratum that may explain a check cell's difference, and when it does."""

    erratum: Erratum
    kind: str                                   # "switch", "deviation" or "alternative"
    switch: InputRead | None = None             # kind switch: the switch; it explains when off
    at: tuple[tuple[InputRead, float], ...] = ()   # kind alternative: the inputs at the alternative's values

    def applies(self, scenario: scenarios.Scenario) -> bool:
        if self.kind == "switch":
            return not bool(self.switch.value(scenario))
        if self.kind == "alternative":
            return all(_near(read.value(scenario), v) for read, v in self.at)
        return True

    def condition(self) -> str | None:
        """The formula that is TRUE when the erratum explains the difference; None: always."""
        if self.kind == "switch":
            return f"NOT({self.switch.expr})"
        if self.kind == "alternative":
            tests = [_near_formula(read, v) for read, v in self.at]
            return tests[0] if len(tests) == 1 else f"AND({','.join(tests)})"
        return None

    @property
    def label(self) -> str:
        return f"{self.erratum.id} {self.erratum.words}"

    def note(self) -> str:
        e = self.erratum
        if self.kind == "switch":
            how = (f"Its switch {e.switch} (Inputs sheet): TRUE reproduces the printed value, FALSE gives the "
                   "consistent one.")
        elif self.kind == "alternative":
            how = f"Scenario {e.alternative} takes the other value."
        else:
            how = f"Printed {e.printed}; consistent {e.consistent}." if e.printed and e.consistent else ""
        return f"{e.id} {e.title}. {how}".strip()


@dataclass(frozen=True)
class Check:
    """One check cell of an exhibit sheet, beside the printed value ``shown`` of row ``row`` in column
    ``column``: everything its formula and its text depend on."""

    exhibit: str
    row: str
    column: str
    r: int                                # 0-based sheet row
    computed: str                         # A1 of the computed cell
    printed: str                          # A1 of the printed cell
    shown: float                          # the printed value, as the sheet holds it
    tolerance: float                      # half the printed precision's last digit
    points: bool                          # a percentage: the difference in percentage points
    reasons: tuple[_Reason, ...]          # the errata that may explain a difference, in id order
    moved: tuple[tuple[InputRead, float], ...]   # the inputs read that have a report's value, with it

    # ---------------------------------------------------------------- the engine's text
    def text(self, computed, scenario: scenarios.Scenario) -> str:
        """What the cell shows when the computed cell holds ``computed`` and the inputs are ``scenario``'s."""
        if not (isinstance(computed, (int, float)) and not isinstance(computed, bool) and math.isfinite(computed)):
            return NO_VALUE
        diff = computed - self.shown
        if abs(diff) <= self._tol:
            return OK + "".join(f" {x.erratum.id}" for x in self._switches if not x.applies(scenario))
        on = [x for x in self.reasons if x.applies(scenario)]
        if on:
            return on[0].label + "".join(f" +{x.erratum.id}" for x in on[1:])
        shown = _difference_text(diff, self.shown, self.points)
        if any(not _near(read.value(scenario), v) for read, v in self.moved):
            return f"{SCENARIO} {shown}"
        return f"{MISMATCH} {shown}"

    # ---------------------------------------------------------------- the workbook's formula
    def formula(self) -> str:
        """The cell's formula (with its =): the same conditions as :meth:`text`, computed by the spreadsheet."""
        c, p = self.computed, self.printed
        marks = "".join(f'&IF({x.switch.expr}," {x.erratum.id}","")' for x in self._switches)
        diff = _difference_formula(c, p, self.shown, self.points)
        if self.moved:
            far = [_far_formula(read, v) for read, v in self.moved]
            test = far[0] if len(far) == 1 else f"OR({','.join(far)})"
            otherwise = f'IF({test},"{SCENARIO} "&{diff},"{MISMATCH} "&{diff})'
        else:
            otherwise = f'"{MISMATCH} "&{diff}'
        explained = self._explained(list(self.reasons), otherwise)
        return (f'=IF(ISNUMBER({c}),IF(ABS({c}-{p})<={_number(self._tol)},"{OK}"{marks},{explained}),'
                f'"{NO_VALUE}")')

    def _explained(self, reasons: list[_Reason], otherwise: str) -> str:
        if not reasons:
            return otherwise
        first, rest = reasons[0], reasons[1:]
        label = _quote(first.label) + "".join(
            f'&" +{x.erratum.id}"' if x.condition() is None else f'&IF({x.condition()}," +{x.erratum.id}","")'
            for x in rest)
        condition = first.condition()
        if condition is None:
            return label
        return f"IF({condition},{label},{self._explained(rest, otherwise)})"

    # ---------------------------------------------------------------- for the layout
    @property
    def _tol(self) -> float:
        return self.tolerance * (1 + 1e-9)

    @property
    def _switches(self) -> list[_Reason]:
        return [x for x in self.reasons if x.kind == "switch"]

    def widest(self) -> tuple[list[str], list[str]]:
        """The longest texts the cell can show, for its column's width and its row's height: (texts kept on
        one line, texts that wrap: the errata's words)."""
        one = [OK + "".join(f" {x.erratum.id}" for x in self._switches), f"{MISMATCH} -100.0%", NO_VALUE]
        if self.moved:
            one.append(f"{SCENARIO} -100.0%")
        wrapped = [x.label + "".join(f" +{y.erratum.id}" for y in self.reasons[i + 1:])
                   for i, x in enumerate(self.reasons)]
        return one, wrapped

    def note(self) -> str | None:
        """The cell's comment: the errata that bear on it (None when none does)."""
        if not self.reasons:
            return None
        return "\n".join(x.note() for x in self.reasons) + "\nSee the Errata sheet."


# ------------------------------------------------------------------------------ differences
def _decimal(x: float) -> Decimal:
    """``x`` as a spreadsheet formats it: its 15 significant digits."""
    return Decimal(format(x, ".15g"))


def _signed(d: Decimal, places: int) -> str:
    """``TEXT(d, "+0.0;-0.0")`` (``places`` decimals): half away from zero, the sign always shown."""
    q = abs(d).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return ("-" if d < 0 else "+") + f"{q:.{places}f}"


def _difference_text(diff: float, shown: float, points: bool) -> str:
    if points:
        d = _decimal(diff * 100)
        return _signed(d, 1 if abs(d) >= Decimal("0.1") else 3) + " pp"
    if shown == 0:
        return "from 0"
    relative = diff / abs(shown)
    d = _decimal(relative) * 100
    return _signed(d, 1 if abs(diff) >= 0.001 * abs(shown) else 3) + "%"


def _difference_formula(c: str, p: str, shown: float, points: bool) -> str:
    if points:
        return (f'IF(ABS({c}-{p})*100>=0.1,TEXT(({c}-{p})*100,"+0.0;-0.0"),'
                f'TEXT(({c}-{p})*100,"+0.000;-0.000"))&" pp"')
    if shown == 0:
        return '"from 0"'
    return (f'IF(ABS({c}-{p})>=0.001*ABS({p}),TEXT(({c}-{p})/ABS({p}),"+0.0%;-0.0%"),'
            f'TEXT(({c}-{p})/ABS({p}),"+0.000%;-0.000%"))')


# ------------------------------------------------------------------------------ printed cells
def printed_rows(ex_id: str, n: int) -> dict[str, list[tuple[str, str | None]]]:
    """An exhibit's printed cells as its sheet shows them: row key -> one ``(cell as printed, erratum id or
    None)`` per column, ``"_"`` where nothing is printed.  The report's printed values, and the printed
    values a deviation names (a slip of the report; their check names the erratum)."""
    out = {key: [(cell, None) for cell in text.split()] for key, (_, text) in printed.cells(ex_id).items()}
    labels = scenarios.axes()[exhibits.get(ex_id).axis]
    for (ex, key, column), (shown, erratum, _) in printed.deviations().items():
        if ex != ex_id:
            continue
        row = out.setdefault(key, [("_", None)] * n)
        row[labels.index(column)] = (shown, erratum)
    return out


def printed_value(row, cell: str) -> tuple[float, float, bool] | None:
    """(value as the sheet holds it, tolerance, a percentage) of a printed cell, or None where nothing
    is printed."""
    parsed = printed.parse(cell)
    if cell == "_" or parsed is None:
        return None
    value, decimals, exponent = parsed
    if row.display.percent or cell.endswith("%"):
        return value / 100, 0.5 * 10 ** -(decimals + 2), True
    return value * 10 ** exponent, 0.5 * 10 ** (exponent - decimals), False


# ------------------------------------------------------------------------------ what a cell reads
class Reads(FormulaResolver):
    """A :class:`FormulaResolver` that notes what each cell's formula reads, and gathers the inputs a cell
    depends on through the cells it reads."""

    def __init__(self, base: FormulaResolver):
        super().__init__(base.scenario, base.layouts, base.numeric, base.inputs)
        self._noted: set | None = None
        self._memo: dict[tuple[str, str, int], frozenset[InputRead]] = {}

    def input(self, key, exhibit, col):
        expr = super().input(key, exhibit, col)
        if self._noted is not None:
            column = self.columns(exhibit)[col] if scenarios.schema()[key].axis is not None else None
            self._noted.add(InputRead(key, column, expr.text))
        return expr

    def _ref(self, exhibit_id, key, col, qualify):
        cell = super()._ref(exhibit_id, key, col, qualify)
        if self._noted is not None:
            self._noted.add((exhibit_id, key, col))
        return cell

    def inputs_of(self, exhibit_id: str, key: str, col: int) -> frozenset[InputRead]:
        """Every input the cell's value depends on."""
        at = (exhibit_id, key, col)
        if at in self._memo:
            return self._memo[at]
        self._memo[at] = frozenset()              # a cycle reads nothing more
        exhibit = exhibits.get(exhibit_id)
        noted: set = set()
        if exhibit.row(key).text is None:
            outer, self._noted = self._noted, noted
            try:
                self.formula(exhibit, key, col)
            except Blank:
                pass
            finally:
                self._noted = outer
        found: set[InputRead] = set()
        for item in noted:
            found |= {item} if isinstance(item, InputRead) else self.inputs_of(*item)
        self._memo[at] = frozenset(found)
        return self._memo[at]


# ------------------------------------------------------------------------------ the checks of a workbook
@cache
def _alternatives(report_name: str) -> dict[str, dict[tuple[str, str | None], float]]:
    """Each input-conflict erratum's alternative scenario, as the input values it sets that differ from the
    report's: erratum id -> {(key, column): value}."""
    report = scenarios.load(report_name)
    out = {}
    schema, axes = scenarios.schema(), scenarios.axes()
    for e in errata.all_errata():
        if e.alternative is None or e.alternative not in scenarios.names():
            continue
        alt = scenarios.load(e.alternative)
        differ = {}
        for key, spec in schema.items():
            if spec.is_switch:
                continue
            a, b = alt.values[key], report.values[key]
            columns = axes[spec.axis] if spec.axis is not None else (None,)
            for j, column in enumerate(columns):
                x = a[j] if spec.axis is not None else a
                y = b[j] if spec.axis is not None else b
                if x is not None and (y is None or not _near(x, y)):
                    differ[(key, column)] = float(x)
        if differ:
            out[e.id] = differ
    return out


def _values(resolver: NumericResolver, order) -> dict[tuple[str, str, int], object]:
    out = {}
    for ex_id in order:
        for key, values in resolver.run(exhibits.get(ex_id)).values.items():
            out.update({(ex_id, key, j): v for j, v in enumerate(values)})
    return out


def _readers(results) -> dict[str, set[str]]:
    """input key -> the exhibits that read it, directly or through other exhibits (from what an evaluation read)."""
    direct: dict[str, set[str]] = {}
    uses: dict[str, set[str]] = {}
    for ex_id, result in results.items():
        for items in result.reads.values():
            for item in items:
                if "." in item:
                    uses.setdefault(item.rpartition(".")[0], set()).add(ex_id)
                else:
                    direct.setdefault(item, set()).add(ex_id)
    out = {}
    for key, found in direct.items():
        todo, seen = list(found), set(found)
        while todo:
            for user in uses.get(todo.pop(), ()):
                if user not in seen:
                    seen.add(user)
                    todo.append(user)
        out[key] = seen
    return out


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-12, abs_tol=0.0)
    return type(a) is type(b) and a == b


@cache
def _affected(report_name: str) -> dict[str, frozenset[tuple[str, str, int]]]:
    """The cells of every exhibit each erratum changes in the report: its switch turned over, or its alternative
    scenario's values taken (erratum id -> cells).  A cell whose formula reads a switch only in a branch the
    report does not take (fig7 reads fig50 only when the market includes inference) is not one of them.  Only
    the exhibits that read what an erratum toggles are computed again."""
    report = scenarios.load(report_name)
    resolver = NumericResolver(report, exhibits.get)
    base = _values(resolver, [e.id for e in exhibits.all_exhibits()])
    readers = _readers(resolver.results)
    toggles = {e.id: {e.switch: tuple(0.0 if v else 1.0 for v in value) if isinstance(value, tuple)
                      else (0.0 if value else 1.0)}
               for e in errata.switches() for value in [report.values[e.switch]]}
    for eid, differ in _alternatives(report_name).items():
        alt = scenarios.load(errata.get(eid).alternative)
        toggles[eid] = {key: alt.values[key] for key, _ in differ}
    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for eid, changes in toggles.items():
            touched = sorted(set().union(*(readers.get(k, set()) for k in changes)))
            other = _values(NumericResolver(report.with_values(changes), exhibits.get), touched)
            out[eid] = frozenset(at for at, v in other.items() if not _same(base[at], v))
    return out


def switches_read(reads: Reads, order, layouts) -> dict[str, list[tuple[Erratum, InputRead]]]:
    """For each exhibit of ``order``, the errata switches that change its cells in the report (each with how a
    formula reads it), in id order."""
    by_switch = {e.switch: e for e in errata.switches()}
    out = {}
    for ex_id in order:
        affected = _affected(exhibits.get(ex_id).default_scenario)
        found: dict[str, InputRead] = {}
        for row in exhibits.get(ex_id).rows:
            for j in range(len(layouts[ex_id].columns)):
                for x in sorted(reads.inputs_of(ex_id, row.key, j), key=lambda x: (x.key, x.column or "")):
                    if x.key in by_switch and (ex_id, row.key, j) in affected[by_switch[x.key].id]:
                        found.setdefault(x.key, x)
        out[ex_id] = [(by_switch[k], found[k]) for k in sorted(found, key=lambda k: by_switch[k].id)]
    return out


def checks(reads: Reads, order, layouts, printed_cols: Callable[[str, int], tuple[int, int]]
           ) -> Iterator[tuple[Check, int, int]]:
    """The check cells of the exhibits ``order``: ``(check, printed cell's column, check's column)``.

    A check names an erratum where the erratum changes the cell in the report (:func:`_affected`) and its
    formula reads what toggles it; it says "scenario" where its formula reads an input whose value differs
    from the report's."""
    by_switch = {e.switch: e for e in errata.switches()}
    deviated = {d[0] for d in printed.deviations()}
    for ex_id in order:
        if ex_id not in printed.exhibits() and ex_id not in deviated:
            continue
        exhibit, layout = exhibits.get(ex_id), layouts[ex_id]
        n = len(layout.columns)
        p0, k0 = printed_cols(ex_id, n)
        report = scenarios.load(exhibit.default_scenario)
        alternatives = _alternatives(exhibit.default_scenario)
        affected = _affected(exhibit.default_scenario)
        for key, cells in printed_rows(ex_id, n).items():
            row = exhibit.row(key)
            r = layout.row_index(key) - 1
            for j, (cell, deviation) in enumerate(cells):
                got = printed_value(row, cell)
                if got is None:
                    continue
                shown, tolerance, points = got
                read = sorted(reads.inputs_of(ex_id, key, j), key=lambda x: (x.key, x.column or ""))
                reasons: list[_Reason] = []
                for x in read:
                    e = by_switch.get(x.key)
                    if e is not None and (ex_id, key, j) in affected[e.id]:
                        reasons.append(_Reason(e, "switch", switch=x))
                if deviation is not None:
                    reasons.append(_Reason(errata.get(deviation), "deviation"))
                for eid, differ in alternatives.items():
                    at = tuple((x, differ[(x.key, x.column)]) for x in read if (x.key, x.column) in differ)
                    if at and (ex_id, key, j) in affected[eid]:
                        reasons.append(_Reason(errata.get(eid), "alternative", at=at))
                moved = tuple((x, float(x.value(report))) for x in read
                              if x.key not in by_switch and x.value(report) is not None)
                yield (Check(ex_id, key, layout.columns[j], r, xl_rowcol_to_cell(r, FIRST_VALUE_COL + j),
                             xl_rowcol_to_cell(r, p0 + j), shown, tolerance, points,
                             tuple(sorted(reasons, key=lambda x: x.erratum.id)), moved),
                       p0 + j, k0 + j)
