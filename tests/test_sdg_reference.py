"""``ontology/sdg.ttl``: 17 goals and 169 targets at their UN IRIs, labelled in English and Japanese."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from rdflib import Graph, Literal, URIRef

from policy_kg.graph.namespace import PKG, RDF, SDG, SKOS, WD
from policy_kg.graph.validate import load_sdg_reference, validate

# Targets per goal as (numbered targets, letter targets), from the 2030 Agenda.
TARGET_COUNTS = {
    1: (5, 2), 2: (5, 3), 3: (9, 4), 4: (7, 3), 5: (6, 3), 6: (6, 2), 7: (3, 2), 8: (10, 2), 9: (5, 3),
    10: (7, 3), 11: (7, 3), 12: (8, 3), 13: (3, 2), 14: (7, 3), 15: (9, 3), 16: (10, 2), 17: (19, 0),
}
TARGET_NOTATION = re.compile(r"^([1-9]|1[0-7])\.([1-9][0-9]?|[a-z])$")


@pytest.fixture(scope="module")
def sdg() -> Graph:
    return load_sdg_reference()


def _goals(sdg: Graph) -> list[URIRef]:
    return sorted(s for s in sdg.subjects(RDF.type, PKG.SdgGoal) if isinstance(s, URIRef))


def _targets(sdg: Graph) -> list[URIRef]:
    return sorted(s for s in sdg.subjects(RDF.type, PKG.SdgTarget) if isinstance(s, URIRef))


def _label(sdg: Graph, node: URIRef, lang: str) -> list[str]:
    labels = sdg.objects(node, SKOS.prefLabel)
    return [str(o) for o in labels if isinstance(o, Literal) and o.language == lang]


def _expected_target_codes() -> set[str]:
    codes = set()
    for goal, (numbered, letters) in TARGET_COUNTS.items():
        codes |= {f"{goal}.{n}" for n in range(1, numbered + 1)}
        codes |= {f"{goal}.{chr(ord('a') + i)}" for i in range(letters)}
    return codes


def test_each_goal_matches_one_distinct_wikidata_item(sdg: Graph) -> None:
    matches = {goal: list(sdg.objects(goal, SKOS.exactMatch)) for goal in _goals(sdg)}
    assert len(matches) == 17 and all(len(m) == 1 for m in matches.values())
    items = [m[0] for m in matches.values()]
    assert all(re.fullmatch(re.escape(str(WD)) + r"Q[1-9][0-9]*", str(i)) for i in items)
    assert len(set(items)) == 17  # no two goals share an item
    # spot checks against the UN Statistics Division's mapping (UNStats/LOD4Stats)
    assert matches[SDG["1"]] == [WD.Q50214636] and matches[SDG["17"]] == [WD.Q53581254]
    assert [m for t in _targets(sdg) for m in sdg.objects(t, SKOS.exactMatch)] == []  # the mapping links goals only


def test_expected_table_adds_up_to_169() -> None:
    assert len(_expected_target_codes()) == 169


def test_seventeen_goals(sdg: Graph) -> None:
    goals = _goals(sdg)
    assert [str(sdg.value(g, SKOS.notation)) for g in goals] == sorted(str(n) for n in range(1, 18))
    assert {str(g) for g in goals} == {str(SDG[str(n)]) for n in range(1, 18)}
    for goal in goals:
        assert (goal, RDF.type, SKOS.Concept) in sdg
        assert (goal, SKOS.inScheme, PKG.SdgScheme) in sdg
        assert (goal, SKOS.topConceptOf, PKG.SdgScheme) in sdg


def test_169_unique_targets_at_their_un_iris(sdg: Graph) -> None:
    targets = _targets(sdg)
    notations = Counter(str(sdg.value(t, SKOS.notation)) for t in targets)
    assert len(targets) == 169
    assert max(notations.values()) == 1
    assert set(notations) == _expected_target_codes()
    for target in targets:
        notation = str(sdg.value(target, SKOS.notation))
        assert TARGET_NOTATION.match(notation), notation
        assert target == SDG[notation]
        assert (target, RDF.type, SKOS.Concept) in sdg
        assert (target, SKOS.inScheme, PKG.SdgScheme) in sdg


def test_each_target_is_under_the_goal_its_prefix_names(sdg: Graph) -> None:
    for target in _targets(sdg):
        broader = list(sdg.objects(target, SKOS.broader))
        assert len(broader) == 1, target
        prefix = str(sdg.value(target, SKOS.notation)).split(".")[0]
        assert str(sdg.value(broader[0], SKOS.notation)) == prefix
        assert (broader[0], RDF.type, PKG.SdgGoal) in sdg


def test_every_goal_and_target_has_one_english_and_one_japanese_label(sdg: Graph) -> None:
    for node in [*_goals(sdg), *_targets(sdg)]:
        en, ja = _label(sdg, node, "en"), _label(sdg, node, "ja")
        assert len(en) == 1 and en[0].strip(), node
        assert len(ja) == 1 and ja[0].strip(), node
        assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", ja[0]), f"{node}: @ja label has no Japanese"


def test_target_labels_are_distinct(sdg: Graph) -> None:
    targets = _targets(sdg)
    assert len({_label(sdg, t, "en")[0] for t in targets}) == 169
    assert len({_label(sdg, t, "ja")[0] for t in targets}) == 169


def test_goal_titles(sdg: Graph) -> None:
    assert _label(sdg, SDG["8"], "en") == ["Decent Work and Economic Growth"]
    assert _label(sdg, SDG["8"], "ja") == ["働きがいも経済成長も"]
    assert _label(sdg, SDG["11"], "ja") == ["住み続けられるまちづくりを"]
    assert _label(sdg, SDG["17"], "en") == ["Partnerships for the Goals"]


def test_8_10_is_not_8_1(sdg: Graph) -> None:
    t81, t810 = SDG["8.1"], SDG["8.10"]
    assert t81 != t810
    assert str(sdg.value(t81, SKOS.notation)) == "8.1"
    assert str(sdg.value(t810, SKOS.notation)) == "8.10"
    assert _label(sdg, t81, "en") != _label(sdg, t810, "en")
    assert set(sdg.objects(t81, SKOS.hiddenLabel)) != set(sdg.objects(t810, SKOS.hiddenLabel))


def test_letter_targets_exist(sdg: Graph) -> None:
    letters = {str(sdg.value(t, SKOS.notation)) for t in _targets(sdg)} - {
        f"{g}.{n}" for g in range(1, 18) for n in range(1, 20)
    }
    assert {"1.a", "4.a", "4.c", "16.b"} <= letters
    assert len(letters) == sum(n for _, n in TARGET_COUNTS.values()) == 43
    assert (SDG["4.a"], SKOS.broader, SDG["4"]) in sdg


def test_every_target_has_three_to_eight_japanese_keywords(sdg: Graph) -> None:
    for target in _targets(sdg):
        keywords = list(sdg.objects(target, SKOS.hiddenLabel))
        assert 3 <= len(keywords) <= 8, f"{target}: {len(keywords)} keywords"
        assert all(isinstance(k, Literal) and k.language == "ja" for k in keywords), target
        assert all(str(k).strip() for k in keywords), target


@pytest.mark.parametrize(
    ("notation", "keyword"),
    [("8.3", "中小企業"), ("8.3", "創業"), ("11.4", "伝統工芸"), ("11.4", "文化財"), ("9.5", "研究開発"),
     ("8.9", "観光"), ("7.2", "再生可能エネルギー"), ("12.3", "食品ロス")],
)
def test_keywords_point_at_the_right_target(sdg: Graph, notation: str, keyword: str) -> None:
    assert Literal(keyword, lang="ja") in set(sdg.objects(SDG[notation], SKOS.hiddenLabel))


def test_reference_passes_the_shapes(sdg: Graph) -> None:
    result = validate(sdg)
    assert result.conforms, result.text
