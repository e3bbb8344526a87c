"""The later chapters of the board report: the strategy review and the chain reactions.

The figures come from :mod:`koers.report.strategy_figures` (heat map, pathway map) and
:mod:`koers.report.structure_figures` (MICMAC map, impact network); the texts are final in
the reader's language.
"""

from __future__ import annotations

import datetime as dt

from koers.model import Study
from koers.model.strategy import Initiative, Pathway
from koers.report import strategy_figures, structure_figures
from koers.report.content import Block, Figure, Heading, Paragraph, Table
from koers.services.report_content import N_, reason_text, verdict_word
from koers.services.report_words import Sources, Words
from koers.services.strategy import PolicyReview, StrategyReview

__all__ = ["chain_blocks", "strategy_blocks"]

_KINDS = {"gain": N_("crisis gain"), "idea": N_("community idea")}
_ORIGINS = {
    "residents": N_("residents"),
    "entrepreneurs": N_("entrepreneurs"),
    "staff": N_("staff"),
    "partners": N_("partners"),
    "organisation": N_("organisation"),
}
_STATES = {
    "idea": N_("idea"),
    "pilot": N_("pilot"),
    "embedded": N_("embedded"),
    "stopped": N_("stopped"),
}


# -- the strategy review ------------------------------------------------------------------


def strategy_blocks(sources: Sources, study: Study, words: Words) -> list[Block]:
    _ = words.gettext
    blocks: list[Block] = [Heading(_("The strategy review"))]
    review = sources.review
    if review is None or not review.policies:
        blocks.append(Paragraph(_("The study has no policies to review yet.")))
        return blocks
    weighed = (
        _("The scenarios are weighed by the signals of {month}.").format(
            month=words.period(review.month)
        )
        if review.source == "signals" and review.month
        else _("The scenarios are weighed equally.")
    )
    blocks.append(
        Paragraph(
            _(
                "Each policy was scored per scenario from -2 (harmful) to +2 (strong); a "
                "policy is fit in a scenario from a score of {threshold}."
            ).format(threshold=words.number(review.threshold))
            + " "
            + weighed
        )
    )
    blocks.append(_heat_map(review, words))
    blocks.append(Heading(_("Keep, adapt or let go"), 2))
    blocks.append(
        Table(
            (_("Policy"), _("Recommended"), _("Verdict"), _("Reasons")),
            tuple(_verdict_row(policy, words) for policy in review.policies),
            widths=(3, 1.9, 1.9, 5),
        )
    )
    if review.gaps:
        blocks.append(
            Paragraph(
                _("No policy serves these scenarios well enough: {scenarios}.").format(
                    scenarios=", ".join(words.text(g.name) for g in review.gaps)
                )
            )
        )
    strategy = study.strategy
    if strategy is not None and strategy.pathways:
        blocks.append(Heading(_("Adaptive pathways"), 2))
        blocks += [_pathway(pathway, study, words) for pathway in strategy.pathways]
    if strategy is not None and strategy.initiatives:
        blocks.append(Heading(_("Crisis gains and community ideas"), 2))
        blocks.append(_initiatives(strategy.initiatives, words))
    return blocks


def _heat_map(review: StrategyReview, words: Words) -> Figure:
    _ = words.gettext
    cells = [
        [strategy_figures.HeatCell(c.value, c.low, c.high, len(c.scores)) for c in policy.cells]
        for policy in review.policies
    ]
    svg = strategy_figures.heat_map(
        [words.text(p.name) for p in review.policies],
        [words.text(name) for _key, name in review.scenarios],
        cells,
        words.language,
        ident="report-heat",
    )
    return Figure(svg, _("How each policy fares in each scenario (combined scores)."))


def _verdict_row(policy: PolicyReview, words: Words) -> tuple[str, str, str, str]:
    _ = words.gettext
    reasons = "; ".join(reason_text(r, words) for r in policy.reasons if r.kind != "decided")
    verdict = verdict_word(policy.verdict, words)
    if policy.decision is not None:
        reasons += ". " + _("Decided by {who} on {day}: {reason}").format(
            who=policy.decision.decided_by,
            day=words.date(_iso_day(policy.decision.decided_on)),
            reason=words.text(policy.decision.reason),
        )
    return (words.text(policy.name), verdict_word(policy.recommended, words), verdict, reasons)


def _iso_day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _pathway(pathway: Pathway, study: Study, words: Words) -> Figure:
    _ = words.gettext
    axis = None
    if pathway.signpost is not None:
        indicator = study.indicator(pathway.signpost)
        axis = f"{words.text(indicator.name)} ({indicator.unit})"
    svg = strategy_figures.pathway_map(
        [strategy_figures.MapAction(a.key, words.text(a.name)) for a in pathway.actions],
        [
            strategy_figures.MapTransition(t.source, t.target, t.tipping_point, t.trigger or "")
            for t in pathway.transitions
        ],
        pathway.start,
        words.language,
        axis=axis,
        title=words.text(pathway.name),
        ident=f"report-pathway-{pathway.key}",
    )
    return Figure(svg, words.text(pathway.name) + ": " + _("actions and their tipping points."))


def _initiatives(initiatives: tuple[Initiative, ...], words: Words) -> Table:
    _ = words.gettext
    rows = tuple(
        (
            words.text(i.name),
            _(_KINDS[i.kind]),
            _(_ORIGINS[i.origin]),
            _(_STATES[i.status]) + (f" ({words.date(i.changed)})" if i.changed else ""),
            i.owner or "\u2013",
            ", ".join(words.scenario(k) for k in i.scenarios) or "\u2013",
        )
        for i in initiatives
    )
    return Table(
        (_("Name"), _("Kind"), _("From"), _("Status"), _("Owner"), _("Scenarios")),
        rows,
        widths=(3.2, 1.5, 1.5, 1.8, 1.6, 2.4),
    )


# -- chain reactions ----------------------------------------------------------------------


def chain_blocks(sources: Sources, study: Study, words: Words) -> list[Block]:
    _ = words.gettext
    blocks: list[Block] = [Heading(_("Chain reactions"))]
    structure = sources.structure
    if structure is not None:
        analysis = structure.analysis
        blocks.append(Heading(_("The drivers"), 2))
        factors = [
            structure_figures.MapFactor(
                words.descriptor(key),
                (d.dependence_share, d.influence_share),
                (i.dependence_share, i.influence_share),
            )
            for key, d, i in zip(
                analysis.factors,
                analysis.direct.positions,
                analysis.indirect.positions,
                strict=True,
            )
        ]
        blocks.append(
            Figure(
                structure_figures.influence_map(factors, words.language, ident="report-micmac"),
                _("Influence and dependence of the factors (MICMAC), direct and indirect."),
            )
        )
        drivers = [
            words.descriptor(key)
            for key, p in zip(analysis.factors, analysis.indirect.positions, strict=True)
            if p.role == "influential"
        ]
        if drivers:
            blocks.append(
                Paragraph(
                    _("The factors that drive the others: {factors}.").format(
                        factors=", ".join(drivers)
                    )
                )
            )
        if structure.suggestions is not None and structure.suggestions.leading_indicators:
            blocks.append(
                Paragraph(
                    _("Leading indicators are best placed on: {factors}.").format(
                        factors=", ".join(
                            words.descriptor(k) for k in structure.suggestions.leading_indicators
                        )
                    )
                )
            )
    blocks += _follow_blocks(sources, words)
    return blocks


def _follow_blocks(sources: Sources, words: Words) -> list[Block]:
    _ = words.gettext
    blocks: list[Block] = [Heading(_("What may follow"), 2)]
    steps = sources.status.follow
    if not steps:
        blocks.append(
            Paragraph(_("From the state the signals show, no factor is pushed to change."))
        )
        return blocks
    blocks.append(
        Paragraph(
            _(
                "From the state the signals show, the cross-impact judgements push these "
                "factors to change, step by step (a chain worth watching):"
            )
        )
    )
    blocks.append(
        Table(
            (_("Step"), _("Factor"), _("From"), _("To")),
            tuple(
                (
                    str(step.step),
                    words.descriptor(step.descriptor),
                    words.variant(step.descriptor, step.before),
                    words.variant(step.descriptor, step.after),
                )
                for step in steps
            ),
            widths=(0.6, 3, 2.2, 2.2),
        )
    )
    chain = sources.follow
    if chain is not None and chain.network.edges:
        blocks.append(Paragraph(chain.summary))
        flipped = [flip.descriptor for step in chain.steps for flip in step.flips]
        blocks.append(
            Figure(
                structure_figures.impact_network(
                    [(key, words.descriptor(key)) for key in chain.network.nodes],
                    [
                        structure_figures.NetworkEdge(e.source, e.target, e.weight, e.step)
                        for e in chain.network.edges
                    ],
                    words.language,
                    flipped=flipped,
                    ident="report-network",
                ),
                _("Who pushes whom in this chain: solid arrows drive a change, dashed resist it."),
            )
        )
    blocks.append(
        Paragraph(
            _(
                "Watch the indicators of these factors: a change there confirms the chain "
                "has started."
            )
        )
    )
    return blocks
