"""Real small files of each kind for the evidence tests, made with the libraries the project has."""

from __future__ import annotations

import io
import zipfile

from fpdf import FPDF
from openpyxl import Workbook
from PIL import Image


def pdf_bytes(text: str = "Quyet dinh 12/QD-UBND") -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, text)
    return bytes(pdf.output())


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    book = Workbook()
    book.active["A1"] = "Danh mục dữ liệu"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def docm_like_bytes() -> bytes:
    """An OOXML document with a macro project inside."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
        archive.writestr("word/vbaProject.bin", b"\x00" * 16)
    return buffer.getvalue()


def exe_bytes() -> bytes:
    """The start of a Windows program (the MZ header and a PE signature)."""
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00" + b"\x00" * 64
