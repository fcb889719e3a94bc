"""Print an HTML page to PDF with headless Chromium, as a therapist would, and measure it.

`print_and_measure` makes a test copy of the page with a small script (the page itself has
none) that, once laid out at the printable width of A4 portrait, lists every element that
reaches past the right edge and every table cell whose content overflows it, and puts the
answer in the document's title; Chromium prints that copy to PDF, and `pdfinfo` reads the
title and the page size back. One Chromium start per page (about a second).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PDFINFO = shutil.which("pdfinfo")
PDFTOTEXT = shutil.which("pdftotext")
MISSING = None if CHROMIUM and PDFINFO and PDFTOTEXT else (
    "needs Debian's chromium and poppler-utils (pdfinfo, pdftotext): .ci/install-system installs them"
)  # fmt: skip

# The narrowest printable width of the pages under test: A4 (210 mm) less 2 × 13 mm margins
# (the handout's; the report's 12 mm leaves more), at CSS's 96 px per inch.
PRINT_WIDTH_PX = round((210 - 2 * 13) / 25.4 * 96)  # 695

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-pdf-header-footer",
]  # fmt: skip

_SCRIPT = """<script>
addEventListener("load", () => {
  const limit = %d, found = [];
  const name = (e) => e.tagName.toLowerCase() + (e.className ? "." + e.className : "")
    + ":" + (e.textContent || "").trim().slice(0, 30);
  for (const e of document.body.querySelectorAll("*")) {
    const r = e.getBoundingClientRect();
    if (r.width && r.right > limit + 0.5) found.push("past the edge " + name(e));
    if ((e.tagName === "TD" || e.tagName === "TH") && e.scrollWidth > e.clientWidth + 1)
      found.push("overflows its cell " + name(e));
  }
  const page = document.documentElement.scrollWidth;
  if (page > limit) found.push("page " + page);
  document.title = "MEASURED " + innerWidth + " " + JSON.stringify(found.slice(0, 5));
});
</script>"""


@dataclass(frozen=True)
class Printed:
    """What printing a page gave: the page size in points, the number of pages, the PDF's
    text (`pdftotext -layout`), the viewport width the page was measured at, and what was
    found too wide (empty when everything fits)."""

    page_size: tuple[float, float]
    pages: int
    text: str
    viewport: int
    too_wide: list[str]


def print_and_measure(page: str, folder: Path, name: str = "page") -> Printed:
    """Print `page` (HTML text) to `folder/name.pdf` from a measuring test copy; see the module."""
    assert CHROMIUM and PDFINFO and PDFTOTEXT, MISSING
    # The print rules apply on the screen too, so the measured layout is the printed one.
    copy = page.replace("@media print {", "@media all {").replace(
        "</body>", _SCRIPT % PRINT_WIDTH_PX + "</body>"
    )
    source = folder / f"{name}-measured.html"
    source.write_text(copy, "utf-8")
    pdf = folder / f"{name}.pdf"
    subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={folder / 'chromium-profile'}",
         f"--window-size={PRINT_WIDTH_PX},1000", f"--print-to-pdf={pdf}", source.as_uri()],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    info = subprocess.run([PDFINFO, str(pdf)], check=True, capture_output=True, text=True).stdout
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    pages = re.search(r"Pages:\s+(\d+)", info)
    title = re.search(r"Title:\s+MEASURED (\d+) (.*)", info)
    assert size and pages and title, info
    text = subprocess.run(
        [PDFTOTEXT, "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return Printed((float(size[1]), float(size[2])), int(pages[1]), text, int(title[1]), json.loads(title[2]))
