"""Time the badge renderer on 1,000 varied badges, A6 and A4 x 4, against reportlab alone.

    python bench/bench_badges.py [--count 1000]

Each case runs in its own process so that its peak RSS (getrusage ru_maxrss) is its own.
The baseline is reportlab alone drawing `count` plain A6 pages, each with a name in
Helvetica and a QR drawn the same way as the badges (fixed mask, integer rectangles,
no ASCII85): the floor any reportlab renderer of these pages stands on.
"image-qr" is the baseline with the QR as an image, to compare the two ways of drawing it.
Measured on a 2-core machine; no database, no Flask.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

FIRST = ["Marie-Hélène", "Nguyễn Thị", "Abd al-Rahman", "Jean-François", "Łukasz", "Ayşe", "Zoé", "Éloïse-Marguerite"]
LAST = [
    "de La Tour-d'Auvergne-Lauraguais",
    "Minh Khai",
    "ibn Khaldūn",
    "Lévesque-Gagnon",
    "Wałęsa",
    "Çağlar",
    "Bœuf",
    "Dupont",
]
ORGS = ["Ville de Clermont-Ferrand", "Hà Nội Smart City", "", "Ville de Trois-Rivières (Québec)", "Mobilités Douces SAS"]
ROLES = ["Maire", "Directrice générale des services", "", "Fondateur et président-directeur général", "Journaliste"]
CATEGORIES = [
    ("elu", "Élu"),
    ("decideur", "Décideur"),
    ("startup", "Startup"),
    ("entreprise", "Entreprise"),
    ("intervenant", "Intervenant"),
    ("presse", "Presse"),
    ("visiteur", "Visiteur"),
]


def records(count: int):
    import secrets

    from badges import BadgeRecord

    out = []
    for i in range(count):
        category, label = CATEGORIES[i % len(CATEGORIES)]
        out.append(
            BadgeRecord(
                token="b_" + secrets.token_urlsafe(16),
                first_name=FIRST[i % len(FIRST)],
                last_name=LAST[(i * 3) % len(LAST)],
                organisation=ORGS[i % len(ORGS)],
                role=ROLES[(i * 7) % len(ROLES)],
                country_code="fr",
                country_name="France",
                category=category,
                category_label=label,
                event_name="Médiane 2026 — Sommet des villes moyennes",
            )
        )
    return out


def case_badges(sheet: str, count: int) -> tuple[float, int]:
    from badges import default_layout, render

    recs = records(count)
    start = time.perf_counter()
    pdf = render(recs, default_layout(sheet))
    return time.perf_counter() - start, len(pdf)


def case_baseline(count: int) -> tuple[float, int]:
    import io

    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    from badges.render import _binary_streams, _qr_matrix, _qr_ops

    recs = records(count)
    start = time.perf_counter()
    with _binary_streams():
        out = io.BytesIO()
        c = Canvas(out, pagesize=(105 * mm, 148 * mm), pageCompression=1, invariant=1)
        for r in recs:
            c.setFont("Helvetica", 20)
            c.drawCentredString(52.5 * mm, 110 * mm, f"{r.first_name} {r.last_name}")
            matrix = _qr_matrix(r.token)
            module = 32 * mm / len(matrix)
            c.saveState()
            c.transform(module, 0, 0, -module, 36.5 * mm, 56 * mm)
            c.addLiteral(_qr_ops(matrix))
            c.restoreState()
            c.showPage()
        c.save()
    return time.perf_counter() - start, len(out.getvalue())


def case_image_qr(count: int) -> tuple[float, int]:
    """The same plain pages with the QR as a 1-bit image (qrcode + PIL) instead of vectors."""
    import io

    import qrcode
    from qrcode.constants import ERROR_CORRECT_M
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    from badges.render import QR_MASK, _binary_streams

    recs = records(count)
    start = time.perf_counter()
    with _binary_streams():
        out = io.BytesIO()
        c = Canvas(out, pagesize=(105 * mm, 148 * mm), pageCompression=1, invariant=1)
        for r in recs:
            c.setFont("Helvetica", 20)
            c.drawCentredString(52.5 * mm, 110 * mm, f"{r.first_name} {r.last_name}")
            qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0, box_size=1, mask_pattern=QR_MASK)
            qr.add_data(r.token)
            image = qr.make_image().get_image()
            c.drawImage(ImageReader(image), 36.5 * mm, 24 * mm, 32 * mm, 32 * mm)
            c.showPage()
        c.save()
    return time.perf_counter() - start, len(out.getvalue())


def run_case(name: str, count: int) -> dict:
    if name == "baseline":
        seconds, size = case_baseline(count)
    elif name == "image-qr":
        seconds, size = case_image_qr(count)
    else:
        seconds, size = case_badges(name, count)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"case": name, "seconds": seconds, "mb": size / 1e6, "peak_rss_mb": peak_mb}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--case", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        print(json.dumps(run_case(args.case, args.count)))
        return
    print(f"{args.count} badges, {os.cpu_count()}-core machine, one process per case")
    results = {}
    for name in ("baseline", "image-qr", "a6", "a4x4"):
        proc = subprocess.run(
            [sys.executable, __file__, "--count", str(args.count), "--case", name],
            check=True,
            capture_output=True,
            text=True,
        )
        results[name] = json.loads(proc.stdout)
        r = results[name]
        print(f"{name:9} {r['seconds']:6.2f} s  PDF {r['mb']:5.2f} MB  peak RSS {r['peak_rss_mb']:5.1f} MB")
    base = results["baseline"]["seconds"]
    for name in ("a6", "a4x4"):
        print(f"ours ({name}) vs baseline: {results[name]['seconds'] / base:.2f}x the time")


if __name__ == "__main__":
    main()
