"""PDF renderer benchmark: a one-page A4-landscape certificate (title, a name with rare
characters, course, hours, date, number, a QR code as an SVG data URI) through core.pdf's
pdf_render, after warm-up, set in the subset fonts and then in the full system Noto.

    python bench/pdf_renderer.py      # no database needed; `make bench` runs it too

Last line: `pdf renderer: certificate p50 <ms> ms (subset font), full-font <ms> ms`.
"""

import base64
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saas.settings")

RUNS = int(os.environ.get("BENCH_PDF_RUNS", "30"))

FULL_FONT_CSS = """
html, h1, h2, p, td, th, .sans { font-family: "Noto Serif CJK SC", serif !important; }
h1, .name { font-family: "Noto Sans CJK SC", sans-serif !important; }
"""


def qr_data_uri(text: str) -> str:
    import segno

    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="svg", scale=3, border=1)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


def certificate_html(*, number: int, extra_css: str = "") -> str:
    qr = qr_data_uri(f"https://incubator.example.cn/verify/PX-2026-{number:05d}")
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>结业证书</title><style>
@page {{ size: A4 landscape; margin: 14mm; @bottom-center {{ content: none; }} }}
.frame {{ border: 3pt double #b71c1c; height: 178mm; padding: 12mm 20mm; position: relative;
          text-align: center; }}
h1 {{ font-size: 34pt; letter-spacing: 0.4em; color: #b71c1c; border: none; margin: 6mm 0; }}
.name {{ font-size: 26pt; font-weight: 700; margin: 8mm 0 4mm; }}
.lead {{ font-size: 14pt; line-height: 2; text-align: center; }}
.meta {{ position: absolute; left: 20mm; bottom: 14mm; text-align: left; font-size: 11pt; }}
.qr {{ position: absolute; right: 20mm; bottom: 12mm; width: 30mm; height: 30mm; }}
{extra_css}
</style></head><body><div class="frame">
<h1>结业证书</h1>
<p class="name">喆堃玥珺</p>
<p class="lead">同志于 2026 年 10 月参加“新时代基层党组织书记能力提升”专题培训，<br>
完成全部课程，共计 <strong>24</strong> 学时，考核合格，特发此证。</p>
<div class="meta">证书编号：PX-2026-{number:05d}<br>发证日期：2026年11月28日<br>
发证单位：某某区党建孵化器</div>
<img class="qr" src="{qr}" alt="">
</div></body></html>"""


def p50_ms(render, html_for) -> float:
    for n in range(3):  # warm-up: fonts registered, stylesheets parsed, caches filled
        render(html=html_for(n))
    times = []
    for n in range(RUNS):
        html = html_for(100 + n)
        started = time.perf_counter()
        render(html=html)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    import django

    django.setup()
    from core.pdf import pdf_render

    subset = p50_ms(pdf_render, lambda n: certificate_html(number=n))
    full = p50_ms(pdf_render, lambda n: certificate_html(number=n, extra_css=FULL_FONT_CSS))
    print(f"pdf renderer: certificate p50 {subset:.0f} ms (subset font), full-font {full:.0f} ms")


if __name__ == "__main__":
    main()
