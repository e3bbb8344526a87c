"""The first chapters of the board report: summary, scenarios and where the study stands.

Each function returns the blocks of one chapter (:mod:`koers.report.content`), every text
final in the reader's language; the figures come from :mod:`koers.report.figures`.

The summary's rules (docs/methods.md, "The board report"):

* *How sure*: the share of the most likely scenario in the signals assessment. From 75 %
  "fairly sure", from 50 % "more likely than not", below that "uncertain".
* *Triggers since the last report*: the alerts of periods that end on or after the
  ``since`` day (by default the first day of the month two months before the latest month
  assessed, so the last three months of data).
* *Proposed decisions* (three to five): first the response agreed in advance to each red
  alert since then that is not closed; then the policies whose standing verdict is "let go",
  then "adapt", the lowest expected score first; then, when fewer than three, keeping the
  policies judged fit everywhere.
"""

from __future__ import annotations

from koers.model import Period, Study, Variant
from koers.report import figures
from koers.report.content import (
    Block,
    Bullets,
    Figure,
    FigureGrid,
    Heading,
    Notice,
    Paragraph,
    Table,
)
from koers.services.report_words import Sources, Words
from koers.services.signal_views import AlertView, IndicatorStatus
from koers.services.strategy import PolicyReview, ReasonView

__all__ = [
    "decisions",
    "fired_since",
    "reason_text",
    "scenario_blocks",
    "standing_blocks",
    "summary_blocks",
    "synthetic_notice",
    "verdict_word",
]

SURE = 0.75
"""From this share the most likely scenario is reported as "fairly sure"."""

LIKELY = 0.5
"""From this share (below :data:`SURE`) it is "more likely than not"."""

MOST_DECISIONS = 5
FEWEST_DECISIONS = 3


def N_(message: str) -> str:
    """Mark ``message`` for translation; it is translated where it is written."""
    return message


_VERDICTS = {"keep": N_("keep"), "adapt": N_("adapt"), "let-go": N_("let go")}
_LEVELS = {"green": N_("green"), "amber": N_("amber"), "red": N_("red")}


def verdict_word(verdict: str | None, words: Words) -> str:
    _ = words.gettext
    return "\u2013" if verdict is None else _(_VERDICTS[verdict])


def synthetic_notice(study: Study, words: Words) -> str | None:
    """The warning that (some of) the data are synthetic, or ``None`` when none are."""
    _ = words.gettext
    synthetic = [i for i in study.indicators if i.synthetic]
    if not synthetic:
        return None
    if len(synthetic) == len(study.indicators):
        return _(
            "All observations in this report are synthetic demonstration data, not measurements "
            "of the municipality. Do not base decisions on them."
        )
    names = ", ".join(words.text(i.name) for i in synthetic)
    return _(
        "The observations of these indicators are synthetic demonstration data, not "
        "measurements: {names}."
    ).format(names=names)


# -- the summary --------------------------------------------------------------------------


def fired_since(sources: Sources, study: Study) -> tuple[AlertView, ...]:
    """The alerts of periods ending on or after ``sources.since``, newest first."""
    return tuple(
        alert
        for alert in sources.status.alerts
        if Period.parse(alert.period, study.indicator(alert.indicator).frequency).end()
        >= sources.since
    )


def reason_text(reason: ReasonView, words: Words) -> str:
    """A reason of the review in the reader's language, with the scenarios' names."""
    _ = words.gettext
    scenarios = ", ".join(words.scenario(key) for key in reason.scenarios)
    strategy = words.study.strategy
    known = {a.key: a.text for a in strategy.assumptions} if strategy is not None else {}
    assumptions = "; ".join(
        words.text(known[key]).rstrip(". ") if key in known else key for key in reason.assumptions
    )
    texts = {
        "fit-everywhere": _("fit in every scenario it was judged in"),
        "fails-in": _("below the threshold in: {scenarios}"),
        "assumptions-break": _("load-bearing assumptions that break there: {assumptions}"),
        "fails-in-likely": _("fails in every likely scenario: {scenarios}"),
        "unjudged": _("not judged in any scenario"),
    }
    text = texts.get(reason.kind, _("a recorded decision sets the verdict"))
    return text.format(scenarios=scenarios, assumptions=assumptions)


def decisions(sources: Sources, study: Study, words: Words) -> tuple[str, ...]:
    """The three to five decisions proposed to the college (see the module's rules)."""
    _ = words.gettext
    proposed = [
        _("Respond to the red signal on {indicator} ({period}): {response}").format(
            indicator=words.text(alert.indicator_name),
            period=words.period(alert.period),
            response=words.text(alert.response),
        )
        for alert in fired_since(sources, study)
        if alert.level == "red" and alert.status != "closed" and alert.response is not None
    ]
    policies = sources.review.policies if sources.review is not None else ()
    for verdict in ("let-go", "adapt"):
        chosen = sorted(
            (p for p in policies if p.verdict == verdict),
            key=lambda p: (p.expected if p.expected is not None else 0.0, p.key),
        )
        proposed += [_policy_decision(p, words) for p in chosen]
    if len(proposed) < FEWEST_DECISIONS:
        kept = [words.text(p.name) for p in policies if p.verdict == "keep"]
        if kept:
            proposed.append(
                _("Keep these policies, which hold up in the scenarios: {policies}.").format(
                    policies=", ".join(kept)
                )
            )
    return tuple(proposed[:MOST_DECISIONS])


def _policy_decision(policy: PolicyReview, words: Words) -> str:
    _ = words.gettext
    reasons = "; ".join(reason_text(r, words) for r in policy.reasons if r.kind != "decided")
    if policy.decision is not None:
        reasons = words.text(policy.decision.reason)
    template = (
        _("Let go of {policy}: {reasons}.")
        if policy.verdict == "let-go"
        else _("Adapt {policy}: {reasons}.")
    )
    return template.format(policy=words.text(policy.name), reasons=reasons.rstrip(". "))


def summary_blocks(sources: Sources, study: Study, words: Words) -> list[Block]:
    _ = words.gettext
    status = sources.status
    blocks: list[Block] = [Heading(_("Summary"))]
    if status.scenarios and status.month is not None:
        first = status.scenarios[0]
        share = first.likelihood
        sure = (
            _("fairly sure")
            if share >= SURE
            else _("more likely than not, but not sure")
            if share >= LIKELY
            else _("uncertain: no scenario has a majority")
        )
        blocks.append(
            Paragraph(
                _("Most likely now: {scenario} ({share}; the signals up to {month}).").format(
                    scenario=words.text(first.name),
                    share=words.percent(share),
                    month=words.period(status.month),
                ),
                strong=True,
            )
        )
        text = _("How sure we are: {sure}.").format(sure=sure)
        if len(status.scenarios) > 1:
            second = status.scenarios[1]
            text += " " + _("Next comes {scenario} ({share}).").format(
                scenario=words.text(second.name), share=words.percent(second.likelihood)
            )
        blocks.append(Paragraph(text))
    else:
        blocks.append(
            Paragraph(_("There are no observations yet, so the signals show no likely scenario."))
        )
    blocks.append(Heading(_("Triggers fired since {day}").format(day=words.date(sources.since)), 3))
    fired = fired_since(sources, study)
    blocks.append(
        Bullets(tuple(_alert_line(alert, words) for alert in fired))
        if fired
        else Paragraph(_("No trigger fired in this period."))
    )
    blocks.append(Heading(_("Proposed decisions"), 3))
    proposed = decisions(sources, study, words)
    blocks.append(
        Bullets(proposed, numbered=True)
        if proposed
        else Paragraph(_("The review proposes no decision: every policy holds up."))
    )
    return blocks


def _alert_line(alert: AlertView, words: Words) -> str:
    _ = words.gettext
    line = _("{indicator}: {level} signal in {period} (value {value})").format(
        indicator=words.text(alert.indicator_name),
        level=_(_LEVELS[alert.level]),
        period=words.period(alert.period),
        value=words.number(alert.value),
    )
    if alert.response is not None:
        response = words.text(alert.response).rstrip(". ")
        line += ". " + _("Agreed response: {response}.").format(response=response)
    return line


# -- the scenarios ------------------------------------------------------------------------


def _axes(study: Study, words: Words) -> tuple[figures.Axis, figures.Axis] | None:
    if study.framing is None:
        return None
    horizontal, vertical = study.axes()
    return (
        figures.Axis(words.text(horizontal.name), *_poles(horizontal.variants, words)),
        figures.Axis(words.text(vertical.name), *_poles(vertical.variants, words)),
    )


def _poles(variants: tuple[Variant, ...], words: Words) -> tuple[str, str]:
    return words.text(variants[0].name), words.text(variants[-1].name)


def _quadrants(study: Study, words: Words) -> dict[tuple[int, int], str]:
    if study.framing is None:
        return {}
    horizontal, vertical = study.axes()
    found = {}
    for scenario in study.scenarios:
        if scenario.quadrant is None:
            continue
        x = -1 if scenario.quadrant[horizontal.key] == horizontal.variants[0].key else 1
        y = -1 if scenario.quadrant[vertical.key] == vertical.variants[0].key else 1
        found[(x, y)] = words.text(scenario.name)
    return found


def scenario_blocks(study: Study, words: Words) -> list[Block]:
    _ = words.gettext
    blocks: list[Block] = [Heading(_("The scenarios"))]
    if study.framing is not None and study.framing.question is not None:
        blocks.append(Paragraph(words.text(study.framing.question), strong=True))
    axes = _axes(study, words)
    if axes is not None:
        blocks.append(
            Figure(
                figures.trajectory_map(
                    _quadrants(study, words),
                    [],
                    None,
                    words.language,
                    axes=axes,
                    title=_("Scenario matrix"),
                    ident="report-matrix",
                ),
                _("The scenario matrix: two uncertain factors, four futures."),
                width=0.72,
            )
        )
    for scenario in study.scenarios:
        blocks.append(Heading(words.text(scenario.name), 2))
        if scenario.summary is not None:
            blocks.append(Paragraph(words.text(scenario.summary), strong=True))
        if scenario.narrative is not None:
            blocks.append(Paragraph(words.text(scenario.narrative)))
        if scenario.leadership is not None:
            blocks += [Heading(_("Leadership role"), 3), Paragraph(words.text(scenario.leadership))]
        if scenario.focus:
            blocks += [
                Heading(_("Focus areas"), 3),
                Bullets(tuple(words.text(t) for t in scenario.focus)),
            ]
        if scenario.questions:
            blocks += [
                Heading(_("Key questions"), 3),
                Bullets(tuple(words.text(t) for t in scenario.questions)),
            ]
    return blocks


# -- where we stand -----------------------------------------------------------------------


def standing_blocks(sources: Sources, study: Study, words: Words) -> list[Block]:
    _ = words.gettext
    status = sources.status
    blocks: list[Block] = [Heading(_("Where we stand"))]
    notice = synthetic_notice(study, words)
    if notice is not None:
        blocks.append(Notice(notice))
    if status.month is None:
        blocks.append(Paragraph(_("There are no observations yet.")))
        return blocks
    blocks.append(
        Paragraph(
            _(
                "The signals up to {month} weigh the scenarios as follows. Each chart below "
                "shows one indicator with its thresholds as shaded bands."
            ).format(month=words.period(status.month))
        )
    )
    if status.scenarios:
        blocks.append(
            Figure(
                figures.likelihood_bars(
                    [(words.text(s.name), s.likelihood) for s in status.scenarios],
                    words.language,
                    ident="report-likelihoods",
                ),
                _("How likely each scenario is, by the signals."),
                width=0.8,
            )
        )
    blocks.append(Heading(_("The indicators"), 2))
    blocks.append(
        FigureGrid(tuple(_indicator_figure(item, words) for item in status.indicators), columns=2)
    )
    axes = _axes(study, words)
    if axes is not None and status.trajectory:
        blocks.append(Heading(_("The trajectory on the scenario matrix"), 2))
        blocks.append(
            Figure(
                figures.trajectory_map(
                    _quadrants(study, words),
                    [(p.month, p.x, p.y) for p in status.trajectory],
                    status.band,
                    words.language,
                    axes=axes,
                    ident="report-trajectory",
                ),
                _("The position month by month; the dashed box is the uncertainty of the last."),
                width=0.8,
            )
        )
    blocks += _moves(sources, words)
    return blocks


def _indicator_figure(item: IndicatorStatus, words: Words) -> Figure:
    _ = words.gettext
    name = words.text(item.name)
    caption = f"{name} ({item.unit}; {item.source})"
    if item.synthetic:
        caption += " \u2013 " + _("synthetic data")
    if not item.periods:
        return Figure(None, caption, _("No observations yet."))
    svg = figures.indicator_chart(
        item.periods,
        item.values,
        [
            figures.Band(t.level, t.at_least, t.at_most)
            for t in item.thresholds
            if t.measure == "level"
        ],
        item.unit,
        name,
        words.language,
        ident=f"report-chart-{item.key}",
    )
    return Figure(svg, caption)


def _moves(sources: Sources, words: Words) -> list[Block]:
    _ = words.gettext
    moved = sorted(
        (m for m in sources.status.moves if abs(m.dx) + abs(m.dy) > 1e-9),
        key=lambda m: -(abs(m.dx) + abs(m.dy)),
    )
    blocks: list[Block] = [Heading(_("Why the position moved"), 2)]
    if not moved:
        blocks.append(Paragraph(_("The position did not move since the month before.")))
        return blocks
    blocks.append(
        Table(
            (_("Indicator"), _("Speaks for"), _("Weight before → after"), _("Shift (across, up)")),
            tuple(
                (
                    words.text(m.indicator_name),
                    f"{words.descriptor(m.descriptor)}: {words.variant(m.descriptor, m.variant)}",
                    f"{words.number(m.before, 2)} → {words.number(m.after, 2)}",
                    f"{words.number(m.dx, 2)}; {words.number(m.dy, 2)}",
                )
                for m in moved[:8]
            ),
            widths=(3, 3, 2, 2),
        )
    )
    return blocks
