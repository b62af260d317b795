"""Reading badge PDFs back: page text with pypdfium2, QR codes with zxing-cpp."""
from __future__ import annotations

import pypdfium2 as pdfium
import pytest
import zxingcpp


class PdfPages:
    def __init__(self, pdf: bytes) -> None:
        self.doc = pdfium.PdfDocument(pdf)

    def __len__(self) -> int:
        return len(self.doc)

    def text(self, index: int) -> str:
        page = self.doc[index]
        textpage = page.get_textpage()
        try:
            return textpage.get_text_range()
        finally:
            textpage.close()
            page.close()

    def qr_codes(self, index: int, *, scale: float = 3.5, quadrants: bool = False) -> list[str]:
        """Decoded QR texts on a page; with quadrants, one decode per quarter of the page."""
        page = self.doc[index]
        image = page.render(scale=scale, grayscale=True).to_pil()
        page.close()
        if not quadrants:
            return [r.text for r in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]
        w, h = image.size
        found = []
        for left, top in ((0, 0), (w // 2, 0), (0, h // 2), (w // 2, h // 2)):
            crop = image.crop((left, top, left + w // 2, top + h // 2))
            found += [r.text for r in zxingcpp.read_barcodes(crop, formats=zxingcpp.BarcodeFormat.QRCode)]
        return found

    def close(self) -> None:
        self.doc.close()


@pytest.fixture
def read_pdf():
    opened: list[PdfPages] = []

    def _read(pdf: bytes) -> PdfPages:
        pages = PdfPages(pdf)
        opened.append(pages)
        return pages

    yield _read
    for pages in opened:
        pages.close()
