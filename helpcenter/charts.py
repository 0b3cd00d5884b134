"""Small line charts drawn on the server as SVG: readable without JavaScript, nothing fetched."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from markupsafe import Markup, escape

WIDTH, HEIGHT, PAD = 640, 180, 32


def line_chart(points: list[tuple[str, float]], title: str, percent: bool = False) -> Markup:
    """An SVG line over (label, value) points, with a <title> and axis labels."""
    if not points:
        return Markup("")
    values = [v for _l, v in points]
    top = max(values) or 1.0
    step = (WIDTH - 2 * PAD) / max(1, len(points) - 1)

    def y(value: float) -> float:
        return HEIGHT - PAD - (value / top) * (HEIGHT - 2 * PAD)

    coords = " ".join(f"{PAD + i * step:.1f},{y(v):.1f}" for i, v in enumerate(values))
    label = (lambda v: f"{v * 100:.0f}%") if percent else (lambda v: f"{v:.0f}")
    dots = "".join(
        f'<circle cx="{PAD + i * step:.1f}" cy="{y(v):.1f}" r="2.5"><title>{escape(name)}: {label(v)}</title></circle>'
        for i, (name, v) in enumerate(points)
    )
    return Markup(  # noqa: S704 - every value inserted is a number or escaped above
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>"
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" class="axis"/>'
        f'<text x="{PAD}" y="{PAD - 10}" class="tick">{label(top)}</text>'
        f'<text x="{PAD}" y="{HEIGHT - 8}" class="tick">{escape(points[0][0])}</text>'
        f'<text x="{WIDTH - PAD}" y="{HEIGHT - 8}" class="tick" text-anchor="end">{escape(points[-1][0])}</text>'
        f'<polyline points="{coords}" class="line"/>{dots}</svg>'
    )


SPARK_WIDTH, SPARK_HEIGHT, SPARK_PAD = 120, 28, 3


def sparkline(points: Sequence[tuple[str, float]], label: str) -> Markup:
    """A small line without axes, for one row of a table; `label` is its text alternative
    (read out by screen readers, shown as a tooltip) and should carry the numbers."""
    if not points:
        return Markup("")
    values = [v for _l, v in points]
    top = max(values) or 1.0
    step = (SPARK_WIDTH - 2 * SPARK_PAD) / max(1, len(points) - 1)
    peak = values.index(max(values))

    def x(i: int) -> float:
        return SPARK_PAD + i * step if len(points) > 1 else SPARK_WIDTH / 2

    def y(value: float) -> float:
        return SPARK_HEIGHT - SPARK_PAD - (value / top) * (SPARK_HEIGHT - 2 * SPARK_PAD)

    coords = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
    return Markup(  # noqa: S704 - every value inserted is a number or escaped here
        f'<svg class="sparkline" viewBox="0 0 {SPARK_WIDTH} {SPARK_HEIGHT}" width="{SPARK_WIDTH}" '
        f'height="{SPARK_HEIGHT}" role="img" aria-label="{escape(label)}"><title>{escape(label)}</title>'
        f'<polyline points="{coords}" class="line"/>'
        f'<circle cx="{x(peak):.1f}" cy="{y(values[peak]):.1f}" r="2"/></svg>'
    )


def target_chart(
    points: list[tuple[str, float | None]],
    guide: list[float | None],
    title: str,
    label: Callable[[float], str],
) -> Markup:
    """A goal's weekly values (a gap where a week had nothing to measure) over the dashed
    straight line staff expect them to follow (`guide`, one value per point)."""
    values = [v for _l, v in points if v is not None] + [g for g in guide if g is not None]
    if not points or not values:
        return Markup("")
    top = max(values) or 1.0
    step = (WIDTH - 2 * PAD) / max(1, len(points) - 1)

    def xy(i: int, value: float) -> str:
        return f"{PAD + i * step:.1f},{HEIGHT - PAD - (value / top) * (HEIGHT - 2 * PAD):.1f}"

    runs: list[list[str]] = []
    run: list[str] = []
    for i, (_name, value) in enumerate(points):
        if value is None:
            runs, run = runs + [run] if run else runs, []
        else:
            run.append(xy(i, value))
    runs += [run] if run else []
    lines = "".join(f'<polyline points="{" ".join(r)}" class="line"/>' for r in runs)
    guide_xy = " ".join(xy(i, g) for i, g in enumerate(guide) if g is not None)
    dots = "".join(
        f'<circle cx="{xy(i, v).split(",")[0]}" cy="{xy(i, v).split(",")[1]}" r="2.5">'
        f"<title>{escape(name)}: {escape(label(v))}</title></circle>"
        for i, (name, v) in enumerate(points)
        if v is not None
    )
    return Markup(  # noqa: S704 - every value inserted is a number or escaped above
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>"
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" class="axis"/>'
        f'<text x="{PAD}" y="{PAD - 10}" class="tick">{escape(label(top))}</text>'
        f'<text x="{PAD}" y="{HEIGHT - 8}" class="tick">{escape(points[0][0])}</text>'
        f'<text x="{WIDTH - PAD}" y="{HEIGHT - 8}" class="tick" text-anchor="end">{escape(points[-1][0])}</text>'
        f'<polyline points="{guide_xy}" class="guide"/>{lines}{dots}</svg>'
    )
