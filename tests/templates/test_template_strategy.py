"""The Corona template's worked strategy review, checked against a hand computation.

Scores per scenario (overbruggen, overleven, aanpassen, transformeren) of the two
participants, adviseur / controller, and their mean (threshold 1):

    policy                    adviseur       controller      mean
    schuldhulpverlening       2  2  2  2     1  2  2  1      1.5  2    2    1.5
    lokale-economie           2  1  1  0     1  1  0 -1      1.5  1    0.5 -0.5
    sportaccommodaties        1 -1  0 -1     0 -2  1 -1      0.5 -1.5  0.5 -1
    woningbouwprogramma       2  0  2  1     1 -1  2  1      1.5 -0.5  2    1
    jeugdzorg-veilig-thuis    1  2  1  2     1  2  1  1      1    2    1    1.5
    digitale-dienstverlening  0  1  2  2     1  0  2  2      0.5  0.5  2    2
    energietransitie          1 -1  2  1     2 -1  1  0      1.5 -1    1.5  0.5
    evenementen-cultuur       1 -2  0 -1     1 -2 -1 -2      1   -2   -0.5 -1.5
    wijkgericht-werken        0  1  1  2     0  2  1  2      0    1.5  1    2
    begrotingsreserves        1  2  0  1     2  2 -1  0      1.5  2   -0.5  0.5

Best per scenario: overbruggen 1.5, overleven 2, aanpassen 2, transformeren 2.

    policy                    worst (where)       regret per scenario   max regret (where)
    schuldhulpverlening        1.5 (ob, tf)       0    0    0    0.5    0.5 (tf)
    lokale-economie           -0.5 (tf)           0    1    1.5  2.5    2.5 (tf)
    sportaccommodaties        -1.5 (ol)           1    3.5  1.5  3      3.5 (ol)
    woningbouwprogramma       -0.5 (ol)           0    2.5  0    1      2.5 (ol)
    jeugdzorg-veilig-thuis     1   (ob, ap)       0.5  0    1    0.5    1   (ap)
    digitale-dienstverlening   0.5 (ob, ol)       1    1.5  0    0      1.5 (ol)
    energietransitie          -1   (ol)           0    3    0.5  1.5    3   (ol)
    evenementen-cultuur       -2   (ol)           0.5  4    2.5  3.5    4   (ol)
    wijkgericht-werken         0   (ob)           1.5  0.5  1    0      1.5 (ob)
    begrotingsreserves        -0.5 (ap)           0    0    2.5  1.5    2.5 (ap)

Satisficing share (mean >= 1) and expected value, equal likelihoods (sum / 4) and with the
likelihoods ob 0.2, ol 0.4, ap 0.1, tf 0.3:

    policy                    share   sum   E equal   E likelihoods
    schuldhulpverlening       4/4     7     1.75      0.3 + 0.8 + 0.2 + 0.45   =  1.75
    lokale-economie           2/4     2.5   0.625     0.3 + 0.4 + 0.05 - 0.15  =  0.6
    sportaccommodaties        0/4    -1.5  -0.375     0.1 - 0.6 + 0.05 - 0.3   = -0.75
    woningbouwprogramma       3/4     4     1         0.3 - 0.2 + 0.2 + 0.3    =  0.6
    jeugdzorg-veilig-thuis    4/4     5.5   1.375     0.2 + 0.8 + 0.1 + 0.45   =  1.55
    digitale-dienstverlening  2/4     5     1.25      0.1 + 0.2 + 0.2 + 0.6    =  1.1
    energietransitie          2/4     2.5   0.625     0.3 - 0.4 + 0.15 + 0.15  =  0.2
    evenementen-cultuur       1/4    -3    -0.75      0.2 - 0.8 - 0.05 - 0.45  = -1.1
    wijkgericht-werken        3/4     4.5   1.125     0   + 0.6 + 0.1 + 0.6    =  1.3
    begrotingsreserves        2/4     3.5   0.875     0.3 + 0.8 - 0.05 + 0.15  =  1.2
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from koers.io import study_yaml
from koers.methods.recommendation import Breaking, review
from koers.methods.scores import score_table
from koers.model import Study

TEMPLATE = Path(str(resources.files("koers.templates") / "corona-lokale-besturen.yaml"))
OB, OL, AP, TF = "overbruggen", "overleven", "aanpassen", "transformeren"
LIKELIHOODS = {OB: 0.2, OL: 0.4, AP: 0.1, TF: 0.3}

# policy: (means, worst, worst_in, max regret, regret_in, share, E equal, E likelihoods)
HAND = {
    "schuldhulpverlening": ([1.5, 2, 2, 1.5], 1.5, (OB, TF), 0.5, (TF,), 1, 1.75, 1.75),
    "lokale-economie": ([1.5, 1, 0.5, -0.5], -0.5, (TF,), 2.5, (TF,), 0.5, 0.625, 0.6),
    "sportaccommodaties": ([0.5, -1.5, 0.5, -1], -1.5, (OL,), 3.5, (OL,), 0, -0.375, -0.75),
    "woningbouwprogramma": ([1.5, -0.5, 2, 1], -0.5, (OL,), 2.5, (OL,), 0.75, 1, 0.6),
    "jeugdzorg-veilig-thuis": ([1, 2, 1, 1.5], 1, (OB, AP), 1, (AP,), 1, 1.375, 1.55),
    "digitale-dienstverlening": ([0.5, 0.5, 2, 2], 0.5, (OB, OL), 1.5, (OL,), 0.5, 1.25, 1.1),
    "energietransitie": ([1.5, -1, 1.5, 0.5], -1, (OL,), 3, (OL,), 0.5, 0.625, 0.2),
    "evenementen-cultuur": ([1, -2, -0.5, -1.5], -2, (OL,), 4, (OL,), 0.25, -0.75, -1.1),
    "wijkgericht-werken": ([0, 1.5, 1, 2], 0, (OB,), 1.5, (OB,), 0.75, 1.125, 1.3),
    "begrotingsreserves": ([1.5, 2, -0.5, 0.5], -0.5, (AP,), 2.5, (AP,), 0.5, 0.875, 1.2),
}


@pytest.fixture(scope="module")
def study() -> Study:
    return study_yaml.load(TEMPLATE)


def test_ten_policies_judged_by_two_participants_in_every_scenario(study: Study) -> None:
    strategy = study.strategy
    assert strategy is not None
    assert [p.key for p in strategy.policies] == list(HAND)
    for policy in strategy.policies:
        assert policy.programme and policy.portfolio and policy.goals, policy.key
        assert policy.budget is not None and policy.start and policy.end, policy.key
    assert len(strategy.scores) == 10 * 4 * 2
    assert {s.participant for s in strategy.scores} == {"adviseur", "controller"}
    table = score_table(study)
    disagreements = [cell for cell in table.cells if cell.spread.low != cell.spread.high]
    assert len(disagreements) >= 10  # the two participants often differ


def test_the_score_table_matches_the_hand_computation(study: Study) -> None:
    table = score_table(study)
    assert table.scenarios == (OB, OL, AP, TF)
    assert table.values.tolist() == [row[0] for row in HAND.values()]


@pytest.mark.parametrize("likelihoods", [None, LIKELIHOODS])
def test_the_robustness_figures_match_the_hand_computation(
    study: Study, likelihoods: dict[str, float] | None
) -> None:
    result = review(study, likelihoods=likelihoods)
    for measures, hand in zip(result.robustness, HAND.items(), strict=True):
        key, (_, worst, worst_in, regret, regret_in, share, equal, weighted) = hand
        assert measures.policy == key
        assert (measures.worst, measures.worst_in) == (worst, worst_in), key
        assert (measures.regret, measures.regret_in) == (regret, regret_in), key
        assert measures.satisficing == share, key
        expected = equal if likelihoods is None else weighted
        assert measures.expected == pytest.approx(expected), key
    assert result.gaps == ()


def test_recommendations_with_equal_likelihoods(study: Study) -> None:
    # every scenario is likely: only a policy fit nowhere is let go
    result = review(study)
    verdicts = {r.policy: r.recommended for r in result.recommendations}
    assert verdicts == {
        "schuldhulpverlening": "keep",
        "lokale-economie": "adapt",
        "sportaccommodaties": "let-go",
        "woningbouwprogramma": "adapt",
        "jeugdzorg-veilig-thuis": "keep",
        "digitale-dienstverlening": "adapt",
        "energietransitie": "adapt",
        "evenementen-cultuur": "adapt",
        "wijkgericht-werken": "adapt",
        "begrotingsreserves": "adapt",
    }
    breaking = {r.policy: r.breaking for r in result.recommendations if r.breaking}
    assert breaking == {
        "lokale-economie": (Breaking("ondernemers-overbruggen", (TF,)),),
        "woningbouwprogramma": (Breaking("bouwproductie", (OL,)),),
        "digitale-dienstverlening": (Breaking("online-blijven", (OB,)),),
        # no fails_in, vulnerable: breaks wherever the policy fails
        "energietransitie": (Breaking("geld-voor-verduurzaming", (OL, TF)),),
        "evenementen-cultuur": (Breaking("evenementen-toegestaan", (OL, TF)),),
        "begrotingsreserves": (Breaking("rijkscompensatie", (AP,)),),
    }
    sport = result.recommendations[2]
    assert (sport.recommended, sport.verdict, sport.overruled) == ("let-go", "adapt", True)
    events = result.recommendations[7]
    assert (events.recommended, events.verdict, events.overruled) == ("adapt", "adapt", False)


def test_recommendations_with_the_likelihoods_of_the_signals(study: Study) -> None:
    # ranked overleven 0.4, transformeren 0.3: together 0.7 >= 0.5, so these two are likely;
    # a policy that fails in both is let go
    result = review(study, likelihoods=LIKELIHOODS)
    assert result.likely == (OL, TF)
    let_go = [r.policy for r in result.recommendations if r.recommended == "let-go"]
    assert let_go == ["sportaccommodaties", "energietransitie", "evenementen-cultuur"]
    events = result.recommendations[7]
    assert (events.verdict, events.overruled) == ("adapt", True)


def test_multipol_of_the_template(study: Study) -> None:
    # schuldhulpverlening in overleven, weights effect 2, kosten 4, draagvlak 1, uitvoering 3:
    # adviseur (2*2 + 0*4 + 2*1 + 1*3) / 10 = 0.9; controller (4 - 4 + 2 + 3) / 10 = 0.5
    # sportaccommodaties in transformeren, weights 4, 1, 3, 2:
    # adviseur (0 - 2 + 3 + 2) / 10 = 0.3; controller (0 - 2 + 0 + 2) / 10 = 0
    table = score_table(study, method="multipol")
    cell = table.cell("schuldhulpverlening", OL)
    assert cell is not None
    assert cell.scores == pytest.approx((0.9, 0.5))
    assert cell.spread.value == pytest.approx(0.7)
    assert cell.spread.deviation == pytest.approx(0.2)
    sport = table.cell("sportaccommodaties", TF)
    assert sport is not None
    assert sport.spread.value == pytest.approx(0.15)
    assert len(table.cells) == 40


def test_assumptions_pathway_and_initiatives_are_worked_out(study: Study) -> None:
    strategy = study.strategy
    assert strategy is not None
    assert len(strategy.assumptions) >= 6
    assert all(a.signpost and a.trigger for a in strategy.assumptions)
    assert any(a.load_bearing and a.vulnerable for a in strategy.assumptions)
    (pathway,) = strategy.pathways
    assert 3 <= len(pathway.actions) <= 4
    assert pathway.signpost == "schuldhulp-aanmeldingen"
    assert all(t.trigger for t in pathway.transitions)
    assert 4 <= len(strategy.initiatives) <= 6
    assert {i.kind for i in strategy.initiatives} == {"gain", "idea"}
    assert {i.status for i in strategy.initiatives} == {"idea", "pilot", "embedded", "stopped"}
    assert len(strategy.decisions) == 2
