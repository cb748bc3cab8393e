"""The analyst report: one self-contained HTML page over the reconciled tables.

Everything the page needs is inside it (stylesheet, the few lines of script that sort
the events table, charts drawn as SVG), and a Content-Security-Policy forbids any
network fetch, so the page reads the same offline, archived or mailed as a file.
The same database always gives the same page except for the generation time.

`queries` reads the rows, `charts` draws the SVG, `render` fills the templates
(`templates/`: the page, one event's section, the stylesheet and the sorting script).
"""

from casualties.report.queries import REPORT_EVENTS, SENTENCES_PER_FIGURE
from casualties.report.render import render_report, write_report

__all__ = ["REPORT_EVENTS", "SENTENCES_PER_FIGURE", "render_report", "write_report"]
