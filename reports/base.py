"""What every PDF shares: an embedded Unicode font with full Vietnamese coverage, NFC text,
headings, paragraphs, simple tables and chart images.

DejaVu Sans ships inside the package (reports/fonts, free licence), so a fresh machine needs no
system font. Text is normalised to NFC because Vietnamese typed on some keyboards arrives
decomposed, which renders the tone marks apart from their letters.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import date
from io import BytesIO
from pathlib import Path

import vl_convert
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_REGULAR = FONT_DIR / "DejaVuSans.ttf"
FONT_BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"
FONT_FAMILY = "DejaVu"
_fonts_registered_for_charts = False


def nfc(text: object) -> str:
    return unicodedata.normalize("NFC", "" if text is None else str(text))


def chart_png(spec: dict, scale: float = 2.0) -> bytes:
    """A Vega-Lite spec (e.g. `altair.Chart.to_dict()`) as PNG, drawn with the shipped font."""
    global _fonts_registered_for_charts
    if not _fonts_registered_for_charts:
        vl_convert.register_font_directory(str(FONT_DIR))
        _fonts_registered_for_charts = True
    spec = dict(spec)
    config = dict(spec.get("config", {}))
    config["font"] = "DejaVu Sans"
    spec["config"] = config
    return vl_convert.vegalite_to_png(spec, scale=scale)


def chart_svg(spec: dict) -> str:
    global _fonts_registered_for_charts
    if not _fonts_registered_for_charts:
        vl_convert.register_font_directory(str(FONT_DIR))
        _fonts_registered_for_charts = True
    return vl_convert.vegalite_to_svg({**spec, "config": {**spec.get("config", {}), "font": "DejaVu Sans"}})


class ReportPDF(FPDF):
    """An A4 document with the shipped font, a running footer and a few layout helpers."""

    def __init__(self, title: str, subtitle: str = "", footer_note: str = "", orientation: str = "P",
                 lang: str | None = None):
        super().__init__(orientation=orientation, unit="mm", format="A4")
        self.lang = lang  # when given, the footer's date is in that language's one format (reports.dates)
        self.add_font(FONT_FAMILY, "", str(FONT_REGULAR))
        self.add_font(FONT_FAMILY, "B", str(FONT_BOLD))
        self.doc_title = nfc(title)
        self.footer_note = nfc(footer_note)
        self.set_title(self.doc_title)
        self.set_creator("dmm-vn")
        self.set_auto_page_break(auto=True, margin=16)
        self.set_margins(15, 15, 15)
        self.add_page()
        self.set_font(FONT_FAMILY, "B", 16)
        self.multi_cell(0, 8, self.doc_title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if subtitle:
            self.set_font(FONT_FAMILY, "", 10)
            self.multi_cell(0, 5, nfc(subtitle), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(3)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT_FAMILY, "", 7)
        self.set_text_color(110)
        note = f"{self.footer_note} · " if self.footer_note else ""
        if self.lang is None:
            today = date.today().isoformat()
        else:
            from reports.dates import format_date

            today = format_date(date.today(), self.lang)
        page = "Trang" if self.lang == "vi" else "Page"
        numbers = f"{page} {self.page_no()}/{{nb}}" if self.lang else f"{self.page_no()}/{{nb}}"
        self.cell(0, 5, f"{note}{today} · {numbers}", align="R")
        self.set_text_color(0)

    def heading(self, text: str, size: int = 13) -> None:
        if self.get_y() > self.h - 40:
            self.add_page()
        self.ln(2)
        self.set_font(FONT_FAMILY, "B", size)
        self.multi_cell(0, size * 0.5, nfc(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    def section(self, text: str, level: int = 0, size: float = 13) -> None:
        """A heading that is also an entry of the table of contents and of the PDF's outline."""
        if self.get_y() > self.h - 40:
            self.add_page()
        self.start_section(nfc(text), level=level)
        self.heading(text, size=int(size))

    def table_of_contents(self, title: str) -> None:
        """One page reserved here for the contents, filled in when the document is finished."""

        def render(pdf: FPDF, outline: list) -> None:
            pdf.set_xy(pdf.l_margin, pdf.t_margin)
            pdf.set_font(FONT_FAMILY, "B", 13)
            pdf.multi_cell(0, 7, nfc(title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(2)
            for entry in outline:
                pdf.set_font(FONT_FAMILY, "B" if entry.level == 0 else "", 9.5 if entry.level == 0 else 8.5)
                indent = 6 * entry.level
                pdf.set_x(pdf.l_margin + indent)
                width = pdf.w - pdf.l_margin - pdf.r_margin - indent
                link = pdf.add_link(page=entry.page_number)
                pdf.cell(width - 14, 5.2, nfc(entry.name), link=link)
                pdf.cell(14, 5.2, str(entry.page_number), align="R", link=link, new_x=XPos.LMARGIN,
                         new_y=YPos.NEXT)

        self.insert_toc_placeholder(render, pages=1)

    def paragraph(self, text: str, size: float = 9.5, bold: bool = False) -> None:
        self.set_font(FONT_FAMILY, "B" if bold else "", size)
        self.multi_cell(0, size * 0.5, nfc(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def key_values(self, pairs: Sequence[tuple[str, str]], size: float = 9.5, key_width: float = 55) -> None:
        for key, value in pairs:
            self.set_font(FONT_FAMILY, "B", size)
            self.cell(key_width, size * 0.55, nfc(key))
            self.set_font(FONT_FAMILY, "", size)
            self.multi_cell(0, size * 0.55, nfc(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def data_table(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[object]],
        widths: Sequence[float] | None = None,
        size: float = 8.5,
    ) -> None:
        """A bordered table with a shaded bold header row; cells wrap. A cell too long for half a page
        (a 2,400-character agency name, a long evidence note) is cut with a note of what was left
        out: a table row cannot run over a page break."""
        self.set_font(FONT_FAMILY, "", size)
        weights = list(widths) if widths else [1.0] * max(len(header), 1)
        column_mm = [self.epw * w / sum(weights) for w in weights]
        with self.table(
            col_widths=tuple(widths) if widths else None,
            line_height=size * 0.55,
            headings_style=FontFace(family=FONT_FAMILY, emphasis="BOLD", fill_color=(230, 236, 245)),
            text_align="LEFT",
        ) as table:
            row = table.row()
            for cell in header:
                row.cell(nfc(cell))
            for values in rows:
                row = table.row()
                for index, value in enumerate(values):
                    row.cell(self._fit_cell(nfc(value), column_mm[min(index, len(column_mm) - 1)], size))
        self.ln(2)

    def _fit_cell(self, text: str, column_mm: float, size: float) -> str:
        """`text` cut so that, wrapped in a column `column_mm` wide, it fills at most half a page."""
        lines = max(1, int((self.h - self.t_margin - self.b_margin) * 0.5 / (size * 0.55)))
        room = max(column_mm - 2 * self.c_margin - 1, 1) * lines * 0.8  # 0.8: room lost at line ends
        if self.get_string_width(text) <= room:
            return text
        keep = len(text)
        while keep > 1 and self.get_string_width(text[:keep]) > room:
            keep = int(keep * room / self.get_string_width(text[:keep]) * 0.95)
        return f"{text[:keep]}… (+{len(text) - keep:,})"

    def image_png(self, png: bytes, width: float | None = None) -> None:
        width = width or (self.w - self.l_margin - self.r_margin)
        self.image(BytesIO(png), w=width)
        self.ln(2)

    def to_bytes(self) -> bytes:
        return bytes(self.output())
