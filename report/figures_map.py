"""The archipelago map: islands, sea links, facilities, care homes, AEDs and boats (no tile server).

Drawn from the run's ``run_meta.json`` (:class:`report.meta.Meta`: places, resources under the run's
policy) and a :class:`report.vocab.Words`. Coordinates are plain longitude/latitude with the aspect
ratio of the map's mean latitude, which is true to shape at this scale (about 100 km across).
"""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch
from matplotlib.transforms import Bbox, offset_copy

from report import style
from report.figkit import NoData
from report.labels import LabelSpec, place_labels
from report.meta import Meta, name_in
from report.vocab import BOTH, Words
from report.vocab_both import Both

KM_PER_DEG_LAT = 111.2
MODE_STYLE = {  # link mode -> (linestyle, width, colour index in the palette)
    "ferry": ("-", 1.1, 0),
    "small_ferry": ("--", 0.9, 2),
    "fast_boat": ("-.", 1.0, 4),
    "ambulance_boat": (":", 1.4, 3),
    "road": ("-", 1.8, 7),
}
FACILITY_MARKERS = {  # highest level of care on an island (run_meta 'level') -> (marker, size pt)
    "hospital": ("P", 8.0),
    "health_centre": ("s", 5.0),
    "clinic": ("^", 4.5),
}
CARE_MARKER = ("D", 4.5)
CARE_COLOUR = "#e69f00"
DEST_MARKER = ("*", 9.0)


def _diameter_pt(pop: float, pop_max: float) -> float:
    return 4.0 + 22.0 * math.sqrt(max(pop, 0.0) / pop_max) if pop_max > 0 else 6.0


def _frame(points: list[tuple[float, float]], extra: list[tuple[float, float]]):
    """Island extent with a margin; destinations close to it are drawn inside, far ones at the edge."""
    lons, lats = zip(*points, strict=True)
    span = max(max(lons) - min(lons), max(lats) - min(lats), 0.05)
    x0, x1 = min(lons) - 0.06 * span, max(lons) + 0.06 * span
    y0, y1 = min(lats) - 0.09 * span, max(lats) + 0.08 * span
    for lon, lat in extra:
        if x0 - 0.25 * span <= lon <= x1 + 0.25 * span and y0 - 0.25 * span <= lat <= y1 + 0.25 * span:
            x0, x1 = min(x0, lon - 0.05 * span), max(x1, lon + 0.05 * span)
            y0, y1 = min(y0, lat - 0.05 * span), max(y1, lat + 0.05 * span)
    return x0, x1, y0, y1


def _edge_point(cx, cy, tx, ty, frame, inset=0.03):
    """Where the segment from the centre towards (tx, ty) leaves the frame (slightly inside it)."""
    x0, x1, y0, y1 = frame
    best = 1.0
    dx, dy = tx - cx, ty - cy
    for lim, d, c in ((x0, dx, cx), (x1, dx, cx), (y0, dy, cy), (y1, dy, cy)):
        if d != 0:
            t = (lim - c) / d
            if 0 < t < best:
                best = t
    best *= 1 - inset
    return cx + best * dx, cy + best * dy


@style.styled
def archipelago_map(meta: Meta, w: Words | None = None) -> Figure:
    """Islands sized by population and coloured by the share aged 60+, with links and resources
    (AEDs, boats and care-home beds under the run's policy)."""
    w = w or Words()
    islands = meta.islands
    if not meta.has_map:
        raise NoData("no geography (synthetic validation scenario, or no run_meta.json)")
    destinations = meta.get("destinations", [])
    pos = {i["id"]: (i["lon"], i["lat"]) for i in islands}
    dest_pos = {d["id"]: (d["lon"], d["lat"]) for d in destinations}
    frame = _frame(list(pos.values()), list(dest_pos.values()))
    x0, x1, y0, y1 = frame
    inside = {d: p for d, p in dest_pos.items() if x0 <= p[0] <= x1 and y0 <= p[1] <= y1}
    lat0 = (y0 + y1) / 2

    width = style.FULL_IN
    map_h = width * 0.78 * (y1 - y0) / ((x1 - x0) * math.cos(math.radians(lat0)))
    fig = style.new_figure(width, max(3.4, map_h + 1.55))
    grid = fig.add_gridspec(2, 1, height_ratios=[max(2.4, map_h), 0.75])
    ax = fig.add_subplot(grid[0])
    legend_ax = fig.add_subplot(grid[1])
    legend_ax.axis("off")
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect(1 / math.cos(math.radians(lat0)))
    ax.set_facecolor("#eef4f8")  # sea
    ax.set_xlabel(w("lon"))
    ax.set_ylabel(w("lat"))
    pal = style.palette(8)
    used_modes = _links(ax, meta.get("links", []), {**pos, **dest_pos}, pal)

    # --- islands ---------------------------------------------------------------------------------
    pops = np.array([i["population"] for i in islands], dtype=float)
    pop_max = float(pops.max()) if len(pops) else 0.0
    shares = np.array([i["elderly"] / i["population"] if i["population"] else np.nan for i in islands])
    diam = np.array([_diameter_pt(p, pop_max) for p in pops])
    xs = np.array([i["lon"] for i in islands])
    ys = np.array([i["lat"] for i in islands])
    finite = ~np.isnan(shares)
    vmin = 0.2 if np.all(shares[finite] >= 0.2) else float(np.floor(np.nanmin(shares) * 10) / 10) if finite.any() else 0
    vmax = 0.8 if np.all(shares[finite] <= 0.8) else 1.0
    sc = ax.scatter(xs[finite], ys[finite], s=diam[finite] ** 2, c=shares[finite] * 100, cmap=style.SEQUENTIAL,
                    vmin=vmin * 100, vmax=vmax * 100, edgecolors="black", linewidths=0.6, zorder=3)
    if (~finite).any():  # no residents: an open grey ring
        ax.scatter(xs[~finite], ys[~finite], s=diam[~finite] ** 2, facecolors="white", edgecolors="0.4",
                   linewidths=0.8, zorder=3)
    cbar = fig.colorbar(sc, ax=ax, shrink=0.7, pad=0.01, aspect=25)
    cbar.set_label(w("elderly_pct"))

    # --- facilities, care homes, destinations ----------------------------------------------------
    marker_pts: list[tuple[float, float, float, float, float]] = []  # x, y, dx_pt, dy_pt, size_pt
    for k, isl in enumerate(islands):
        d = (diam[k] / 2 + 1.5) * 0.72
        for shown, (m, size), dx, face in ((isl.get("level"), FACILITY_MARKERS.get(isl.get("level"), (None, 0)), -d,
                                            "white"),
                                           (isl.get("care_beds", 0) > 0, CARE_MARKER, d, CARE_COLOUR)):
            if not shown:
                continue
            tr = offset_copy(ax.transData, fig=fig, x=dx, y=-dx, units="points")
            ax.plot(isl["lon"], isl["lat"], marker=m, ms=size, mfc=face, mec="black", mew=0.7, ls="none",
                    transform=tr, zorder=5)
            marker_pts.append((isl["lon"], isl["lat"], dx, -dx, size))
    for p in inside.values():
        ax.plot(*p, marker=DEST_MARKER[0], ms=DEST_MARKER[1], color="black", ls="none", zorder=4)
        marker_pts.append((*p, 0.0, 0.0, DEST_MARKER[1]))

    _scale_bar(ax, frame, lat0, w)
    _legend(legend_ax, pop_max, used_modes, pal, {i.get("level") for i in islands} - {None},
            any(i.get("care_beds", 0) > 0 for i in islands), bool(destinations), w)

    # Freeze the layout, then place labels in the final geometry.
    fig.draw_without_rendering()
    fig.set_layout_engine("none")
    obstacles = _obstacles(ax, fig, xs, ys, diam, marker_pts)
    renderer = fig.canvas.get_renderer()
    obstacles += [t.get_window_extent(renderer).padded(2) for t in ax.texts]  # the scale bar's text
    cx, cy = float(np.mean(xs)), float(np.mean(ys))
    main = next((i for i in islands if i["id"] == meta.get("main_island")), islands[int(np.argmax(pops))])
    for d in destinations:
        if d["id"] not in inside:
            ex, ey = _edge_point(cx, cy, d["lon"], d["lat"], frame)
            text = w("to_dest", dest=_short(name_in(d, w.lang)), km=f"{d.get('km') or 0:.0f}", main=name_in(main, w.lang))
            edge = ax.annotate(text, (ex, ey), xytext=(0, 0), textcoords="offset points", ha="center",
                               va="bottom" if ey < cy else "top", fontsize=6.5, color="0.2",
                               style="italic" if w.lang == "en" else "normal",
                               bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "0.6", "lw": 0.5}, zorder=6)
            obstacles.append(edge.get_window_extent(renderer).padded(3))
    specs = []
    for k in np.argsort(-pops, kind="stable"):
        isl = islands[k]
        n_aeds, n_boats = isl.get("aeds", 0), isl.get("boats", 0)
        if not (isl["population"] or n_aeds):
            detail = w("no_residents")
        elif w.lang == BOTH:  # the numbers once: 'AED 6 · 急救艇 boat 1'
            detail = " · ".join([f"AED {n_aeds}"] + ([f"{w('boat_word')} {n_boats}"] if n_boats else []))
        else:
            parts = [w("aed_1") if n_aeds == 1 else w("aeds_n", n=n_aeds)]
            if n_boats:
                parts.append(w("boat_1") if n_boats == 1 else w("boats_n", n=n_boats))
            detail = w.join(parts)
        specs.append(LabelSpec(isl["lon"], isl["lat"], f"{name_in(isl, w.lang)}\n{detail}", diam[k] / 2 + 1.0))
    for d in destinations:
        if d["id"] in inside:
            specs.append(LabelSpec(*inside[d["id"]], _short(name_in(d, w.lang)), DEST_MARKER[1] / 2))
    place_labels(ax, specs, obstacles, fontsize=6.5, linespacing=1.05, zorder=7,
                 bbox={"boxstyle": "round,pad=0.12", "fc": "white", "ec": "none", "alpha": 0.75})
    return fig


def _links(ax, links: list[dict], every: dict, pal) -> list[str]:
    """One line per unordered pair and mode; parallel modes on one pair curve apart. Returns the modes drawn."""
    pairs: dict[tuple[str, str], list[str]] = defaultdict(list)
    for link in links:
        a, b = sorted((link["origin"], link["dest"]))
        if link["mode"] not in pairs[(a, b)] and a in every and b in every:
            pairs[(a, b)].append(link["mode"])
    used_modes = []
    for (a, b), modes in sorted(pairs.items()):
        for k, mode in enumerate(sorted(modes, key=lambda m: list(MODE_STYLE).index(m) if m in MODE_STYLE else 99)):
            ls, lw, ci = MODE_STYLE.get(mode, ("-", 1.0, 7))
            # short links curve more, so that a second mode on the same pair stays visible
            length = math.dist(every[a], every[b])
            bend = min(0.5, 0.12 * max(1.0, 0.25 / max(length, 1e-6)))
            rad = 0.0 if k == 0 else (bend if k % 2 else -bend) * ((k + 1) // 2)
            ax.add_patch(FancyArrowPatch(every[a], every[b], arrowstyle="-", connectionstyle=f"arc3,rad={rad}",
                                         linestyle=ls, linewidth=lw, color=pal[ci], zorder=1, shrinkA=0, shrinkB=0))
            if mode not in used_modes:
                used_modes.append(mode)
    return used_modes


def _short(name: str, limit: int = 34) -> str:
    """Destination names can be long; cut at a bracket (each language of a bilingual name)."""
    if isinstance(name, Both):
        return Both.of(_short(name.zh, limit), _short(name.en, limit), sep=" ")
    base = name.split("(")[0].strip()
    return base if len(base) <= limit else base[: limit - 1] + "…"


def _obstacles(ax, fig, xs, ys, diam, marker_pts) -> list[Bbox]:
    px = fig.dpi / 72.0
    out = []
    for x, y, d in zip(xs, ys, diam, strict=True):
        cx, cy = ax.transData.transform((x, y))
        r = d / 2 * px
        out.append(Bbox.from_extents(cx - r, cy - r, cx + r, cy + r))
    for x, y, dx, dy, size in marker_pts:
        cx, cy = ax.transData.transform((x, y))
        cx, cy = cx + dx * px, cy + dy * px
        h = size / 2 * px
        out.append(Bbox.from_extents(cx - h, cy - h, cx + h, cy + h))
    return out


def _scale_bar(ax, frame, lat0, w: Words) -> None:
    x0, x1, y0, y1 = frame
    km_per_deg_lon = KM_PER_DEG_LAT * math.cos(math.radians(lat0))
    width_km = (x1 - x0) * km_per_deg_lon
    bar = 20 if width_km > 80 else 10 if width_km > 30 else 5
    bx, by = x0 + 0.03 * (x1 - x0), y0 + 0.05 * (y1 - y0)
    ax.plot([bx, bx + bar / km_per_deg_lon], [by, by], color="black", lw=2, solid_capstyle="butt", zorder=6)
    ax.text(bx + bar / km_per_deg_lon / 2, by + 0.015 * (y1 - y0), w("km_unit", n=bar), ha="center", va="bottom",
            fontsize=6.5, zorder=6, gid="scale_bar")


def _legend(lax, pop_max, used_modes, pal, levels, has_homes, has_dest, w: Words) -> None:
    sizes = [Line2D([], [], marker="o", ls="none", ms=_diameter_pt(p, pop_max), mfc="0.85", mec="black", mew=0.6,
                    label=w("residents", n=f"{p:,.0f}")) for p in _nice_populations(pop_max)]
    handles = []
    for mode in used_modes:
        ls, lw, ci = MODE_STYLE.get(mode, ("-", 1.0, 7))
        handles.append(Line2D([], [], ls=ls, lw=lw, color=pal[ci], label=w.mode(mode)))
    for level, (m, size) in FACILITY_MARKERS.items():
        if level in levels:
            handles.append(Line2D([], [], marker=m, ms=size, mfc="white", mec="black", ls="none", label=w(level)))
    if has_homes:
        handles.append(Line2D([], [], marker=CARE_MARKER[0], ms=CARE_MARKER[1], mfc=CARE_COLOUR, mec="black",
                              ls="none", label=w("care_home")))
    if has_dest:
        handles.append(Line2D([], [], marker=DEST_MARKER[0], ms=DEST_MARKER[1] * 0.8, color="black", ls="none",
                              label=w("dest_outside")))
    common = {"fontsize": 6.5, "handletextpad": 0.4, "columnspacing": 1.0, "borderaxespad": 0.0}
    if sizes:
        big = max(h.get_markersize() for h in sizes) / 6.5  # handle wide enough for the largest circle
        first = lax.legend(handles=sizes, loc="upper center", ncol=len(sizes), fontsize=6.5, borderaxespad=0.0,
                           handlelength=big, handletextpad=0.6, columnspacing=1.6)
        lax.add_artist(first)
    rows = 3 if w.lang == BOTH else 2  # bilingual entries are wider
    lax.legend(handles=handles, loc="lower center", ncol=(len(handles) + rows - 1) // rows, **common)


def _nice_populations(pop_max: float) -> list[float]:
    if pop_max <= 0:
        return []
    out = [v for v in (500, 1_000, 5_000, 10_000, 20_000, 50_000, 100_000) if v <= pop_max]
    return out[-3:] if len(out) > 3 else out
