"""The upload page's report as HTML: the files held, and their problems in a table whose every message
wraps (none is cut), one row per problem, and on a narrow screen one block of labelled lines per problem."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from render.html import join, tag

# A data table's cells clip long messages; these wrap. Where the table's box is narrow (a phone, or a
# projector's 1024 px beside the sidebar) each row is a block and each cell carries its column's name
# (data-label): a container query, for the page's column is narrower than the window.
PROBLEMS_CSS = """<style>
div.atlas-problems-box { container-type: inline-size; }
table.atlas-problems { border-collapse: collapse; width: 100%; font-size: .9rem; margin: .25rem 0 1rem; }
table.atlas-problems th, table.atlas-problems td { border: 1px solid #d9d9de; padding: .35rem .5rem;
  text-align: left; vertical-align: top; white-space: normal; overflow-wrap: break-word; }
table.atlas-problems th { background: #f4f4f6; font-weight: 600; }
table.atlas-problems th, table.atlas-problems td.line, table.atlas-problems td.severity { word-break: keep-all; }
table.atlas-problems td.message { min-width: 16rem; overflow-wrap: anywhere; }
@container (max-width: 760px) {
  table.atlas-problems thead { position: absolute; left: -10000px; }
  table.atlas-problems tr { display: block; border: 1px solid #d9d9de; margin-bottom: .5rem; }
  table.atlas-problems td { display: block; border: 0; padding: .15rem .5rem; min-width: 0; overflow-wrap: anywhere; }
  table.atlas-problems td.message { min-width: 0; }
  table.atlas-problems td::before { content: attr(data-label) ": "; font-weight: 600; }
}
</style>"""

# What a column shows of a problem (datafiles.problems.Problem): its attribute.
COLUMNS = ("path", "line", "item", "field", "severity", "message")


def _cell(problem, column: str, translate: Callable[[str], str]) -> str:
    value = getattr(problem, column)
    if column == "severity":
        return translate(value)
    return "" if value is None or value == "-" else str(value)


def problems_table(problems: Iterable, headings: dict[str, str], translate: Callable[[str], str]) -> str:
    """The problems as a table: one column per entry of `headings` (a Problem attribute in COLUMNS ->
    its heading, in order); a severity is shown through `translate`. Every value is escaped."""
    columns = [c for c in headings if c in COLUMNS]
    head = tag("thead", join(tag("tr", join(*(tag("th", headings[c], scope="col") for c in columns)))))
    rows = (
        tag("tr", join(*(tag("td", _cell(p, c, translate), data_label=headings[c], class_=c) for c in columns)))
        for p in problems
    )
    table = tag("table", join(head, tag("tbody", join(*rows))), class_="atlas-problems")
    return tag("div", join(table), class_="atlas-problems-box")


def held_file(name: str, summary: str) -> str:
    """One held file: its name (the reader's, escaped) and what came of it."""
    return tag("p", join(tag("strong", name), " · ", tag("span", summary)), class_="atlas-held-file")
