"""The pieces of the self-contained HTML page: inline CSS, escaped tables, figures as base64 PNG, no
scripts, no network. Every value is escaped here; the page's sections are in :mod:`report.pages`.

A page holds one block per language (``<div lang=...>``, Chinese first for ``both``), each with its
own headings, tables and figures; the ``<html lang>`` is that of the first block.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Iterable, Sequence

import pandas as pd

CSS = """
body{font-family:"Noto Sans","Noto Sans CJK SC","DejaVu Sans",Arial,sans-serif;margin:0;color:#1a1a1a;
background:#fafafa;line-height:1.45}
:lang(zh){font-family:"Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC","WenQuanYi Zen Hei",sans-serif}
main{max-width:1100px;margin:0 auto;padding:1.5rem 2rem 4rem;background:#fff}
h1{font-size:1.7rem;margin:.2rem 0 .3rem}h2{font-size:1.3rem;margin-top:2.2rem;border-bottom:2px solid #0173b2;
padding-bottom:.2rem}h3{font-size:1.05rem;margin-top:1.4rem}
.sub{color:#555;margin:0 0 1rem}
.warn{background:#fdecea;border-left:5px solid #b2182b;padding:.6rem .9rem;font-weight:600;color:#7a0c1e}
.langs{font-size:.95rem;margin:0 0 1rem}.langs a{margin-right:1rem}
div.lang+div.lang{border-top:4px double #0173b2;margin-top:3rem;padding-top:1rem}
table{border-collapse:collapse;margin:.6rem 0 1rem;font-size:.86rem}
th,td{border-bottom:1px solid #ddd;padding:.25rem .6rem;text-align:right;vertical-align:top}
th{background:#f0f4f8;text-align:center}td:first-child,th:first-child{text-align:left;white-space:nowrap}
table.kv td:first-child{font-weight:600;color:#333;white-space:nowrap}table.kv td{text-align:left}
td.ok{color:#027a3a;font-weight:600}td.no{color:#b2182b;font-weight:600}
figure{margin:1.2rem 0 2rem}figure img{max-width:100%;height:auto;border:1px solid #eee}
figcaption{font-size:.86rem;color:#444;margin-top:.3rem}
.note{font-size:.85rem;color:#555}nav a{margin-right:.8rem;font-size:.9rem}
details{margin:.8rem 0}summary{cursor:pointer;font-weight:600}
.wide{overflow-x:auto}
"""


def esc(v) -> str:
    return html.escape(str(v), quote=True)


def table(df: pd.DataFrame, table_id: str | None = None, css: str = "", cell_class=None) -> str:
    """An HTML table of already formatted cells (every cell escaped)."""
    idattr = f' id="{esc(table_id)}"' if table_id else ""
    head = "".join(f"<th>{esc(c)}</th>" for c in df.columns)
    rows = []
    for r in df.itertuples(index=False):
        cells = []
        for c, v in zip(df.columns, r, strict=True):
            cls = cell_class(c, v) if cell_class else ""
            attr = f' class="{esc(cls)}"' if cls else ""
            cells.append(f"<td{attr}>{esc(v)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<div class="wide"><table{idattr} class="{esc(css)}"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>")


def kv(pairs: Iterable[tuple[str, object]]) -> str:
    rows = "".join(f"<tr><td>{esc(k)}</td><td>{esc(v)}</td></tr>" for k, v in pairs)
    return f'<table class="kv"><tbody>{rows}</tbody></table>'


def paragraphs(texts: Sequence[str]) -> str:
    return "".join(f"<p>{esc(t)}</p>" for t in texts)


def note(text: str) -> str:
    return f'<p class="note">{esc(text)}</p>'


def notes(texts: Sequence[str]) -> str:
    return ("<ul class=\"note\">" + "".join(f"<li>{esc(n)}</li>" for n in texts) + "</ul>") if texts else ""


def block(lang: str, html_lang: str, title: str, subtitle: str, banner: str,
          sections: list[tuple[str, str, str]]) -> str:
    """One language's part of the page; sections: (anchor, heading, inner html). Anchors get the language."""
    nav = "".join(f'<a href="#{esc(lang)}-{esc(a)}">{esc(h)}</a>' for a, h, _ in sections)
    body = "".join(f'<section id="{esc(lang)}-{esc(a)}"><h2>{esc(h)}</h2>{inner}</section>'
                   for a, h, inner in sections)
    warn = f'<p class="warn" id="{esc(lang)}-incomplete">{esc(banner)}</p>' if banner else ""
    return (f'<div class="lang" lang="{esc(html_lang)}" id="lang-{esc(lang)}">{warn}<h1>{esc(title)}</h1>'
            f'<p class="sub">{esc(subtitle)}</p><nav>{nav}</nav>{body}</div>')


def page(title: str, html_lang: str, blocks: list[str], switch: list[tuple[str, str]] | None = None) -> str:
    """The whole document: ``switch`` = (language, its name) links at the top when there are several."""
    links = ('<p class="langs">' + "".join(f'<a href="#lang-{esc(la)}">{esc(name)}</a>' for la, name in switch)
             + "</p>") if switch and len(switch) > 1 else ""
    return (f"<!DOCTYPE html>\n<html lang=\"{esc(html_lang)}\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            '<link rel="icon" href="data:,">'  # no favicon request (offline, and no console error)
            f"<title>{esc(title)}</title><style>{CSS}</style></head><body><main>{links}{''.join(blocks)}"
            "</main></body></html>\n")


def figures_html(figures, skipped: Sequence[str], lang: str, w) -> str:
    """Each figure as an embedded PNG with its caption; then the list of figures not drawn."""
    parts = []
    stop = "。" if w.lang == "zh" else "."
    for f in figures:
        raw = f.png.read_bytes()
        data = base64.b64encode(raw).decode("ascii")
        # show a column-wide figure at half the page, as in a paper (width from the PNG header, 300 dpi)
        width_in = int.from_bytes(raw[16:20], "big") / 300
        pct = max(35, min(100, round(width_in / 7.0 * 100)))
        files = w("files", png=f"figures/{f.png.name}", pdf=f"figures/{f.pdf.name}")
        # a bilingual figure is captioned in the page's language
        fig_lang = w.html_lang if f.lang == "both" else "zh-CN" if f.lang == "zh" else "en"
        parts.append(f'<figure id="{esc(lang)}-fig-{esc(f.name)}" lang="{esc(fig_lang)}" '
                     f'data-font="{esc(f.font)}"><img alt="{esc(f.title)}" style="width:{pct}%" '
                     f'src="data:image/png;base64,{data}"><figcaption><b>{esc(f.title)}{stop}</b> {esc(f.caption)} '
                     f'<span class="note">{esc(files)}</span></figcaption></figure>')
    if skipped:
        parts.append(f"<h3>{esc(w('figures_not_drawn'))}</h3>" + notes(skipped))
    return "".join(parts)
