"""SDG suggestions: explainable scores, deterministic order, RDF nodes apart from stated links, seed recall."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import replace
from decimal import Decimal
from functools import lru_cache

import pytest
from rdflib import Graph, Literal, URIRef

from policy_kg.extract.detect import extract
from policy_kg.extract.source import read_source
from policy_kg.graph.builder import build_dataset, graph_iri
from policy_kg.graph.namespace import DEFAULT_BASE, PKG, RDF, SDG, SKOS, XSD
from policy_kg.graph.query import run_query
from policy_kg.graph.sdg_suggest import (
    CONTEXT_STATED,
    LEAVE_ONE_OUT,
    METHOD,
    KeywordIndex,
    Suggestion,
    _merge,
    add_suggestions,
    enrich_dataset,
    evaluate_hidden_targets,
    project_text,
    suggest_for_record,
    suggest_targets,
    suggestion_iri,
    target_sort_key,
)
from policy_kg.graph.validate import validate
from tests.conftest import SEED_PLAN, SEED_SHEET
from tests.records_fixture import town_sheet

TOWN_DOC = URIRef(DEFAULT_BASE + "doc/town-sheet")


def reference(targets: dict[str, list[str]]) -> Graph:
    """A hand-made SDG reference: each target with its Japanese keywords."""
    g = Graph()
    for code, terms in targets.items():
        node = SDG[code]
        g.add((node, RDF.type, PKG.SdgTarget))
        g.add((node, SKOS.notation, Literal(code)))
        for term in terms:
            g.add((node, SKOS.hiddenLabel, Literal(term, lang="ja")))
    return g


SMALL = reference({"8.1": ["地域経済"], "8.3": ["中小企業", "中小企業金融"], "8.10": ["金融"]})


# --- scoring ---------------------------------------------------------------------------------------


def test_idf_counts_targets_whose_terms_contain_the_term():
    index = KeywordIndex.from_graph(SMALL)
    # N = 3 targets; 金融 sits inside 中小企業金融 (8.3) and is 8.10's own term: df = 2
    assert index.idf["金融"] == pytest.approx(math.log(1 + 3 / 2))
    assert index.idf["中小企業"] == pytest.approx(math.log(1 + 3 / 1))
    assert index.terms["8.3"] == ("中小企業金融", "中小企業")  # longest first


def test_scores_by_hand():
    text = "中小企業金融と中小企業の地域経済、金融"
    got = suggest_targets(text, reference=SMALL)
    ln4, ln25 = math.log(4), math.log(2.5)
    # 8.3: 中小企業金融 once, and 中小企業 once more outside it (the covered occurrence is not recounted)
    # 8.10: 金融 twice (its own count ignores 8.3's longer term) -> (1 + ln 2) * idf
    assert [s.target for s in got] == ["8.3", "8.10", "8.1"]
    assert got[0].score == pytest.approx(2 * ln4, abs=1e-4)
    assert got[1].score == pytest.approx((1 + math.log(2)) * ln25, abs=1e-4)
    assert got[2].score == pytest.approx(ln4, abs=1e-4)
    assert got[0].matched_terms == ("中小企業", "中小企業金融")
    assert got[1].matched_terms == ("金融",)
    assert all(s.method == METHOD for s in got)


def test_full_width_text_matches_half_width_terms():
    index = KeywordIndex.from_graph(reference({"9.c": ["DX"]}))
    assert [s.target for s in suggest_targets("企業のＤＸを支援", reference=index)] == ["9.c"]


def test_ties_break_by_natural_target_order_and_top_k_cuts():
    tie = reference({"11.4": ["観光"], "8.a": ["観光"], "8.10": ["観光"], "8.9": ["観光"]})
    got = suggest_targets("観光", reference=tie, top_k=4)
    assert [s.target for s in got] == ["8.9", "8.10", "8.a", "11.4"]
    assert len({s.score for s in got}) == 1
    assert [s.target for s in suggest_targets("観光", reference=tie, top_k=2)] == ["8.9", "8.10"]
    assert sorted(["8.a", "11.4", "8.10", "8.9", "8.1"], key=target_sort_key) == ["8.1", "8.9", "8.10", "8.a", "11.4"]


def test_no_match_no_suggestion():
    assert suggest_targets("特に関係のない文", reference=SMALL) == []


def test_bundled_reference_points_sme_finance_at_8_3():
    got = suggest_targets("市内の中小企業に対する融資制度を設け、小規模事業者の経営を支援する。")
    assert got[0].target == "8.3"
    assert {"中小企業", "融資"} <= set(got[0].matched_terms)


def test_same_text_same_suggestions():
    text = "伝統工芸の後継者を育成し、地域経済の活性化と販路拡大を図る。"
    assert suggest_targets(text) == suggest_targets(text)


# --- records ---------------------------------------------------------------------------------------


def test_project_text_takes_name_description_logic_model_indicators_and_sub_projects():
    p1, p2 = town_sheet().projects
    text1, text2 = project_text(p1), project_text(p2)
    assert "商店街イベント補助金" in text1 and "商店街のイベントを補助する。" in text1
    assert "来街者が増える。" in text1  # a logic-model statement
    assert "起業相談" in text2 and "相談件数" in text2  # sub-project name, its indicator


def test_only_projects_without_stated_targets_get_suggestions():
    record = town_sheet()  # m1-p1 states 8.3 and 11.4; m2-p1 states none
    pairs = suggest_for_record(record)
    assert pairs, "the untagged project should get a suggestion"
    assert {key for key, _ in pairs} == {"m2-p1"}
    assert pairs[0][1].target == "8.3" and "起業" in pairs[0][1].matched_terms


def test_sibling_stated_targets_come_first_and_keep_keyword_evidence():
    # m2-p1 shares parent m1 with m1-p1, which states 8.3 and 11.4. 8.3 is also matched by
    # m2-p1's own text (起業), so it is first and keeps the keyword reason; 11.4 follows from context.
    pairs = suggest_for_record(town_sheet())
    assert [(s.target, s.method) for _, s in pairs] == [("8.3", METHOD), ("11.4", CONTEXT_STATED)]
    assert pairs[1][1].matched_terms == ("m2/m1: stated for 1 of 1 other projects",)
    assert pairs[1][1].score == 1.0


def test_context_leaves_a_place_for_the_projects_own_text():
    siblings = {"8.1": 3, "11.4": 2, "9.2": 1}
    context = [Suggestion(t, n / 6, (f"m1: stated for {n} of 6 other projects",), CONTEXT_STATED) for t, n in siblings.items()]
    own = [Suggestion("4.4", 2.0, ("人材育成",))]
    assert [s.target for s in _merge(context, own, 3)] == ["8.1", "11.4", "4.4"]
    assert [s.target for s in _merge(context, [], 3)] == ["8.1", "11.4", "9.2"]  # no own match: context fills
    own_match = [Suggestion("9.2", 1.5, ("ものづくり",)), *own]
    got = _merge(context, own_match, 3)  # 9.2 is both a sibling's target and matched: first, with its terms
    assert [(s.target, s.method) for s in got] == [("9.2", METHOD), ("8.1", CONTEXT_STATED), ("4.4", METHOD)]
    all_matched = [Suggestion(t, 1.0, ("x",)) for t in ("11.4", "9.2", "8.1")]
    got = _merge(context, all_matched, 4)  # every target once, however the two lists overlap
    assert sorted(s.target for s in got) == ["11.4", "8.1", "9.2"] and all(s.method == METHOD for s in got)


# --- RDF -------------------------------------------------------------------------------------------


def _one_suggestion():
    return [("m2-p1", Suggestion("8.3", 1.23456, ("起業", "中小企業")))]


def test_suggestion_node_triples():
    record = town_sheet()
    g: set = set()
    (node,) = add_suggestions(g, record, _one_suggestion(), DEFAULT_BASE)
    project = URIRef(f"{TOWN_DOC}/project/m2-p1")
    assert node == suggestion_iri(record, "m2-p1", "8.3") == URIRef(f"{project}/sdg-suggestion/8.3")
    span = URIRef(f"{TOWN_DOC}#L120-L120")
    expected = {
        (node, RDF.type, PKG.SdgSuggestion),
        (node, PKG.suggestedFor, project),
        (node, PKG.sdgTarget, SDG["8.3"]),
        (node, PKG.score, Literal(Decimal("1.2346"), datatype=XSD.decimal)),
        (node, PKG.method, Literal(METHOD)),
        (node, PKG.matchedTerm, Literal("起業")),
        (node, PKG.matchedTerm, Literal("中小企業")),
        (node, PKG.inDocument, TOWN_DOC),
        (node, PKG.source, span),
        (SDG["8.3"], SKOS.notation, Literal("8.3")),
        (SDG["8.3"], SKOS.broader, SDG["8"]),
        (SDG["8"], SKOS.notation, Literal("8")),
        (span, PKG.lineStart, Literal(120, datatype=XSD.integer)),
    }
    assert expected <= g, expected - g


def test_dataset_sink_writes_into_the_document_graph():
    ds = build_dataset([town_sheet()])
    add_suggestions(ds, town_sheet(), _one_suggestion(), DEFAULT_BASE)
    node = URIRef(f"{TOWN_DOC}/project/m2-p1/sdg-suggestion/8.3")
    assert (node, RDF.type, PKG.SdgSuggestion) in ds.graph(graph_iri("town-sheet"))
    assert (node, RDF.type, PKG.SdgSuggestion) not in ds.default_graph


def test_enriched_graph_conforms_and_keeps_stated_links_apart():
    plain = build_dataset([town_sheet()])
    ds = build_dataset([town_sheet()])
    assert enrich_dataset(ds, [town_sheet()]) >= 1
    # the fixture has a deliberate defect (an unknown direction); suggestions must add none
    before = {(v.focus_node, v.message) for v in validate(plain).results}
    after = {(v.focus_node, v.message) for v in validate(ds).results}
    assert after == before
    links = run_query(ds, "sdg_links").as_dicts()
    stated = {(r["project"], r["target"]) for r in links if r["source"] == "stated"}
    inferred = [r for r in links if r["source"] == "inferred"]
    assert stated == {("商店街イベント補助金", "8.3"), ("商店街イベント補助金", "11.4")}
    assert inferred and {r["project"] for r in inferred} == {"起業支援事業"}
    assert {(r["target"], r["method"], r["rank"]) for r in inferred} == {("8.3", METHOD, "1"), ("11.4", CONTEXT_STATED, "2")}
    assert all(Decimal(r["score"]) > 0 for r in inferred)
    # coverage counts stated links only: the same before and after the suggestions
    assert run_query(ds, "sdg_coverage").as_dicts() == run_query(plain, "sdg_coverage").as_dicts()
    untagged = run_query(ds, "untagged_projects").as_dicts()
    assert {(r["project"], r["best_targets"]) for r in untagged} == {("起業支援事業", "8.3")}  # one row per parent


def test_enrichment_is_deterministic():
    a, b = build_dataset([town_sheet()]), build_dataset([town_sheet()])
    enrich_dataset(a, [town_sheet()])
    enrich_dataset(b, [town_sheet()])
    assert set(a.quads((None, None, None, None))) == set(b.quads((None, None, None, None)))


# --- the seeds -------------------------------------------------------------------------------------


@lru_cache(maxsize=2)
def _extracted(path: str):
    return extract(read_source(path))  # parsed once per run; tests never mutate the record


@pytest.fixture
def sheet_record(seed_path):
    return _extracted(str(seed_path(SEED_SHEET)))


def test_seed_sheet_states_the_targets_of_its_project_table(sheet_record):
    # checked by eye against the project table (事務事業一覧): 20 projects state exactly one target
    stated = Counter(t for p in sheet_record.projects for t in p.sdg_targets)
    assert stated == {"11.4": 7, "8.1": 7, "8.3": 6}
    assert all(len(p.sdg_targets) <= 1 for p in sheet_record.projects)


def test_hidden_targets_hit_rate_reaches_the_bar(sheet_record):
    # The bar: the stated target among the top 3 for >= 70% of the projects stating one.
    # All 20 hidden at once the suggester has the projects' texts only (keywords, else what the
    # siblings' texts suggest): 14 of 20 measured. bench/bench_sdg_suggest.py prints the figures.
    evaluation = evaluate_hidden_targets([sheet_record], k=3)
    assert evaluation.projects == 20
    assert evaluation.hit_rate >= 0.70, [o for o in evaluation.outcomes if not o.hits]
    # one stated target per project: recall@3 is the hit rate and precision@3 at most a third of it
    assert evaluation.recall_at_k == pytest.approx(evaluation.hit_rate)
    assert evaluation.precision_at_k <= evaluation.hit_rate / 3 + 1e-9


def test_leave_one_out_uses_the_siblings_stated_targets(sheet_record):
    # One project hidden at a time, as for the document's genuinely untagged projects: its measure's
    # other projects still state theirs. All 20 measured; the bar guards a regression below 90%.
    evaluation = evaluate_hidden_targets([sheet_record], k=3, protocol=LEAVE_ONE_OUT)
    assert evaluation.projects == 20
    assert evaluation.hit_rate >= 0.90, [o for o in evaluation.outcomes if not o.hits]
    assert all(len(o.suggested) <= 3 for o in evaluation.outcomes)


def test_unknown_protocol_is_refused(sheet_record):
    with pytest.raises(ValueError, match="leave-one-out"):
        evaluate_hidden_targets([sheet_record], protocol="peek")


def test_evaluation_does_not_see_the_stated_targets(sheet_record):
    project = next(p for p in sheet_record.projects if p.sdg_targets)
    tagged = replace(sheet_record, projects=[project])
    assert suggest_for_record(tagged) == []  # stated → nothing to suggest
    outcome = evaluate_hidden_targets([tagged]).outcomes[0]
    assert outcome.stated == tuple(project.sdg_targets)
    # alone in its record, the project has no siblings: only its own text speaks
    assert outcome.suggested == tuple(s.target for s in suggest_targets(project_text(project)))
    loo = evaluate_hidden_targets([tagged], protocol=LEAVE_ONE_OUT).outcomes[0]
    assert loo.suggested == outcome.suggested


def _projects_without_any_target(record) -> list[str]:
    suggested = {key for key, s in suggest_for_record(record) if s.matched_terms}
    return [p.key for p in record.projects if not p.sdg_targets and p.key not in suggested]


def test_every_sheet_project_has_a_stated_or_suggested_target(sheet_record):
    assert sheet_record.projects
    assert _projects_without_any_target(sheet_record) == []


def test_every_plan_project_has_a_stated_or_suggested_target(seed_path):
    record = _extracted(str(seed_path(SEED_PLAN)))
    assert record.projects
    assert _projects_without_any_target(record) == []
