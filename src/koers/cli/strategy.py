"""``koers strategy ...``: the registers in and out, and the review of the policies."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text as RichText

from koers.cli.options import Json, Lang, StudyArgument, StudyDatabase, console
from koers.i18n import translator
from koers.model import Language

if TYPE_CHECKING:
    from koers.services.strategy import PolicyReview, ReasonView, StrategyReview

__all__ = ["app", "render_review"]

app = typer.Typer(
    help="Strategy review: policies judged per scenario; keep, adapt or let go.",
    no_args_is_help=True,
)


class RegisterName(StrEnum):
    policies = "policies"
    scores = "scores"
    assumptions = "assumptions"
    initiatives = "initiatives"


RegisterOption = Annotated[
    RegisterName | None,
    typer.Option(
        "--register", help="Only this register (default: by sheet names, file name or header)."
    ),
]


@app.command("review")
def review_command(
    study: StudyArgument,
    as_json: Json = False,
    lang: Annotated[Lang | None, typer.Option(help="Language (default: the study's).")] = None,
    db: StudyDatabase = None,
) -> None:
    """Per policy: scores per scenario, robustness and a recommendation with its reasons."""
    from koers.services import strategy, targets

    with targets.open_target(study, db) as target:
        result = strategy.review_target(target)
        language: Language = lang.value if lang else target.study.language
    if as_json:
        document = strategy.review_document(result)
        typer.echo(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        render_review(result, language, console())


@app.command("import")
def import_command(
    study: StudyArgument,
    file: Annotated[Path, typer.Argument(help="An .xlsx workbook or a CSV file of a register.")],
    register: RegisterOption = None,
    db: StudyDatabase = None,
) -> None:
    """Import registers (policies, scores, assumptions, initiatives); all or nothing."""
    from koers.services import strategy, targets

    with targets.open_target(study, db) as target:
        summary = strategy.import_registers(
            target, file, register=register.value if register else None
        )
    for name, counts in summary.counts.items():
        console().print(
            f"{file}: {name}: {counts.added} added, {counts.updated} updated, "
            f"{counts.unchanged} unchanged"
        )


@app.command("export")
def export_command(
    study: StudyArgument,
    output: Annotated[
        Path, typer.Option("-o", "--output", help="FILE.xlsx (all registers) or FILE.csv.")
    ],
    register: RegisterOption = None,
    lang: Annotated[
        Lang | None, typer.Option(help="Language of headers (default: the study's).")
    ] = None,
    db: StudyDatabase = None,
) -> None:
    """Export the registers: a workbook with a sheet each, or one register as CSV."""
    from koers.services import strategy, targets

    with targets.open_target(study, db) as target:
        written = strategy.export_registers(
            target.study,
            output,
            register=register.value if register else None,
            language=lang.value if lang else None,
        )
    console().print(f"{output}: {', '.join(written)}")


def render_review(review: StrategyReview, lang: Language, console: Console) -> None:
    """The review in words: per policy its scores, measures and recommendation; the gaps."""
    _ = translator(lang)
    names = {key: name.get(lang) for key, name in review.scenarios}
    if not review.policies:
        console.print(_("No policies yet: import them with 'koers strategy import'."))
        return
    if review.source == "signals":
        console.print(_("Scenarios weighed by the signals of {month}.").format(month=review.month))
    elif review.source == "equal":
        console.print(_("Every scenario weighs the same (no signals yet)."))
    shares = "  ".join(f"{names[k]} {v:.0%}" for k, v in review.likelihoods.items())
    console.print(shares, style="dim")
    for policy in review.policies:
        console.print()
        _policy(policy, names, review.threshold, lang, console)
    if review.gaps:
        console.print()
        console.print(RichText(_("Gaps"), style="bold"))
        for gap in review.gaps:
            if gap.best is None:
                line = _("{scenario}: no policy judged").format(scenario=gap.name.get(lang))
            else:
                line = _("{scenario}: no policy reaches the threshold; closest {policy}").format(
                    scenario=gap.name.get(lang), policy=f"{gap.best} ({gap.score:+.1f})"
                )
            console.print(f"- {line}")


def _policy(
    policy: PolicyReview, names: dict[str, str], threshold: float, lang: Language, console: Console
) -> None:
    _ = translator(lang)
    verdicts = {"keep": _("keep"), "adapt": _("adapt"), "let-go": _("let go")}
    verdict = verdicts[policy.verdict] if policy.verdict else _("not judged")
    console.print(RichText(f"{policy.name.get(lang)} ({policy.key}): {verdict}", style="bold"))
    table = Table(_("scenario"), _("score"), _("range"), _("participants"), box=None)
    for cell in policy.cells:
        if cell.value is None or cell.low is None or cell.high is None:
            table.add_row(names[cell.scenario], "-", "", "0")
            continue
        mark = "" if cell.fit else " !"
        table.add_row(
            names[cell.scenario],
            f"{cell.value:+.1f}{mark}",
            f"{cell.low:+.0f}..{cell.high:+.0f}",
            str(len(cell.scores)),
        )
    console.print(table)
    console.print(
        _(
            "worst {worst}, largest regret {regret}, fit in {share} of scenarios "
            "(threshold {threshold:+.1f}), expected {expected}"
        ).format(
            worst=_number(policy.worst),
            regret=_number(policy.regret),
            share="-" if policy.satisficing is None else f"{policy.satisficing:.0%}",
            threshold=threshold,
            expected=_number(policy.expected),
        )
    )
    for reason in policy.reasons:
        console.print(f"- {_reason(reason, names, lang)}")
    if policy.decision is not None:
        decision = policy.decision
        console.print(
            _("Decided {verdict} on {date} by {who}: {reason}").format(
                verdict=verdicts[decision.verdict],
                date=decision.decided_on,
                who=decision.decided_by,
                reason=decision.reason.get(lang),
            )
        )
        if policy.overruled and policy.recommended:
            console.print(
                _("(overrules the recommendation: {verdict})").format(
                    verdict=verdicts[policy.recommended]
                )
            )


def _reason(reason: ReasonView, names: dict[str, str], lang: Language) -> str:
    _ = translator(lang)
    scenarios = ", ".join(names.get(key, key) for key in reason.scenarios)
    assumptions = ", ".join(reason.assumptions)
    texts = {
        "fit-everywhere": _("fit in every scenario it was judged in"),
        "fails-in": _("below the threshold in: {scenarios}"),
        "assumptions-break": _("load-bearing assumptions that break there: {assumptions}"),
        "fails-in-likely": _("fails in every likely scenario: {scenarios}"),
        "unjudged": _("not judged in any scenario"),
        "decided": _("a recorded decision sets the verdict"),
    }
    template = texts.get(reason.kind)
    if template is None:
        return reason.text
    return template.format(scenarios=scenarios, assumptions=assumptions)


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:+.2f}"
