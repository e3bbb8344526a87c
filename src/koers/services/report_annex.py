"""The annex of the board report: method and references, data sources with their licences,
the cross-impact matrix and its consistent scenarios, and who took part."""

from __future__ import annotations

from koers.methods.cib.from_study import study_matrix
from koers.methods.cib.matrix import CrossImpactMatrix
from koers.methods.cib.solve import solve
from koers.model import Study
from koers.model.signals import CbsTable
from koers.report.content import Block, Bullets, Heading, Notice, Paragraph, Sideways, Table
from koers.services.report_words import Sources, Words

__all__ = ["CBS_LICENCE", "SCENARIO_COLUMNS", "annex_blocks", "participants"]

CBS_LICENCE = "CBS, CC BY 4.0"
"""The attribution CBS asks for its open data (creativecommons.org/licenses/by/4.0)."""

SCENARIO_COLUMNS = 8
"""The most consistent scenarios shown in the annex (the best total impact scores first)."""

REFERENCES = (
    "Weimer-Jehle, W. (2006). Cross-impact balances: A system-theoretical approach to "
    "cross-impact analysis. Technological Forecasting and Social Change, 73(4), 334-361.",
    "Godet, M. (1994). From Anticipation to Action: A Handbook of Strategic Prospective. "
    "UNESCO Publishing (MICMAC).",
    "Haasnoot, M., Kwakkel, J. H., Walker, W. E., & ter Maat, J. (2013). Dynamic adaptive "
    "policy pathways. Global Environmental Change, 23(2), 485-498.",
    "Dewar, J. A. (2002). Assumption-Based Planning. Cambridge University Press.",
    "Lempert, R. J., Popper, S. W., & Bankes, S. C. (2003). Shaping the Next One Hundred "
    "Years. RAND (robustness, regret).",
    "Tufte, E. R. (1983). The Visual Display of Quantitative Information. Graphics Press.",
)


def participants(study: Study) -> tuple[str, ...]:
    """Everyone who scored a policy or decided on one, in alphabetical order."""
    strategy = study.strategy
    if strategy is None:
        return ()
    names = {s.participant for s in strategy.scores}
    names |= {s.participant for s in strategy.criterion_scores}
    names |= {d.decided_by for d in strategy.decisions}
    return tuple(sorted(names, key=str.casefold))


def annex_blocks(sources: Sources, study: Study, words: Words) -> list[Block]:
    _ = words.gettext
    blocks: list[Block] = [Heading(_("Annex"))]
    blocks += _method(words)
    blocks += _data_sources(sources, study, words)
    blocks += _matrix_blocks(study, words)
    blocks.append(Heading(_("Who took part"), 2))
    people = participants(study)
    blocks.append(
        Paragraph(", ".join(people) + ".")
        if people
        else Paragraph(_("No participant has scored the policies yet."))
    )
    return blocks


def _method(words: Words) -> list[Block]:
    _ = words.gettext
    return [
        Heading(_("Method"), 2),
        Paragraph(
            _(
                "The scenarios follow from a 2x2 of two uncertain factors. The cross-impact "
                "matrix says how each variant of a factor promotes or hinders those of the "
                "others; a scenario is consistent when no factor would rather take another "
                "variant (cross-impact balances, Weimer-Jehle 2006)."
            )
        ),
        Paragraph(
            _(
                "Each indicator gives evidence for variants of the factors; the evidence of "
                "the latest month weighs the four scenarios. A trigger fires when an indicator "
                "crosses a threshold agreed in advance, with the response agreed with it."
            )
        ),
        Paragraph(
            _(
                "The strategy review scores each policy per scenario, measures how robust it "
                "is (worst case, regret, expected score) and recommends to keep, adapt or let "
                "go; assumptions follow assumption-based planning (Dewar 2002), pathways the "
                "adaptive policy pathways of Haasnoot et al. (2013). The drivers come from "
                "structural analysis (MICMAC, Godet 1994)."
            )
        ),
        Paragraph(
            _(
                "The summary calls the most likely scenario fairly sure from 75%, more likely "
                "than not from 50%. Proposed decisions are, in this order: the agreed "
                "responses to red signals not yet closed, the policies to let go, then those "
                "to adapt (lowest expected score first), at most five."
            )
        ),
        Heading(_("References"), 3),
        Bullets(REFERENCES),
    ]


def _data_sources(sources: Sources, study: Study, words: Words) -> list[Block]:
    _ = words.gettext
    rows = []
    for item in sources.status.indicators:
        indicator = study.indicator(item.key)
        covered = (
            f"{words.period(item.periods[0])} \u2013 {words.period(item.periods[-1])}"
            if item.periods
            else "\u2013"
        )
        source = indicator.source
        if isinstance(source, CbsTable):
            supplier, licence = f"CBS StatLine {source.table}", CBS_LICENCE
        else:
            supplier = source.publisher or _("the team's own records")
            licence = _("as agreed with the supplier")
        if indicator.synthetic:
            licence = _("synthetic demonstration data") + f" ({licence})"
        rows.append((words.text(indicator.name), supplier, item.region, covered, licence))
    blocks: list[Block] = [
        Heading(_("Data sources"), 2),
        Table(
            (_("Indicator"), _("Supplier"), _("Region"), _("Period"), _("Licence")),
            tuple(rows),
            widths=(3, 3, 1.2, 2.3, 4),
        ),
    ]
    if any(isinstance(i.source, CbsTable) for i in study.indicators):
        blocks.append(
            Paragraph(
                _(
                    "Indicators from CBS StatLine: source CBS (Statistics Netherlands), "
                    "licensed under CC BY 4.0."
                )
            )
        )
    if study.sources:
        blocks.append(Heading(_("Publications the study relies on"), 3))
        blocks.append(
            Bullets(
                tuple(
                    ", ".join(
                        part
                        for part in (
                            source.author,
                            source.title,
                            source.publisher,
                            words.date(source.published) if source.published else None,
                        )
                        if part
                    )
                    for source in study.sources
                )
            )
        )
    return blocks


def _codes(matrix: CrossImpactMatrix) -> list[tuple[int, int, str]]:
    """Per variant: descriptor index, variant index and a short code (``3b``)."""
    return [
        (d, v, f"{d + 1}{chr(ord('a') + v)}")
        for d, variants in enumerate(matrix.variants)
        for v in range(len(variants))
    ]


def _matrix_blocks(study: Study, words: Words) -> list[Block]:
    _ = words.gettext
    if len(study.descriptors) < 2:
        return []
    matrix = study_matrix(study)
    codes = _codes(matrix)
    offsets = [int(o) for o in matrix.offsets]
    rows = []
    for d, v, code in codes:
        descriptor = matrix.descriptors[d]
        variant = words.variant(descriptor, matrix.variants[d][v])
        name = f"{code} {words.descriptor(descriptor)}: {variant}"
        cells = []
        for target, _w, _code in codes:
            if target == d:
                cells.append("·")
                continue
            value = int(matrix.judgements[offsets[d] + v, offsets[target] + _w])
            cells.append(f"{value:+d}" if value else "")
        rows.append((name, *cells))
    blocks: list[Block] = [
        Sideways(
            (
                Heading(_("The cross-impact matrix"), 2),
                Paragraph(
                    _(
                        "Rows act on columns: a judgement from -3 (strongly hinders) to +3 "
                        "(strongly promotes); empty is 0. Columns are named by the codes of "
                        "the rows; a dot marks a factor's own block."
                    )
                ),
                Table(
                    (_("Variant"), *(code for _d, _v, code in codes)),
                    tuple(rows),
                    widths=(9, *(1.0,) * len(codes)),
                    small=True,
                ),
            )
        )
    ]
    solution = solve(matrix)
    blocks.append(Heading(_("Consistent scenarios"), 2))
    if solution.count == 0:
        blocks.append(Notice(_("The matrix has no consistent scenario.")))
        return blocks
    shown = min(solution.count, SCENARIO_COLUMNS)
    order = sorted(range(solution.count), key=lambda i: -int(solution.total_impact_scores[i]))
    chosen = [solution.scenarios[i].tolist() for i in order[:shown]]
    table_rows = tuple(
        (
            words.descriptor(descriptor),
            *(words.variant(descriptor, matrix.variants[d][row[d]]) for row in chosen),
        )
        for d, descriptor in enumerate(matrix.descriptors)
    )
    blocks.append(
        Paragraph(
            _(
                "{count} consistent scenarios; {shown} shown, the highest total impact score first."
            ).format(count=solution.count, shown=shown)
        )
    )
    blocks.append(
        Table(
            (_("Factor"), *(str(i + 1) for i in range(shown))),
            table_rows,
            widths=(2.4, *(1.0,) * shown),
            small=True,
        )
    )
    return blocks
