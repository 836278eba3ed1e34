"""Entity linking: one key per organisation across spellings, legal forms, aliases and prefectures."""

from __future__ import annotations

from functools import lru_cache

import pytest
from rdflib import BNode, Graph, Literal, URIRef

import policy_kg.graph.builder as builder
from policy_kg.extract.detect import extract
from policy_kg.extract.entity_linking import (
    ALIASES_TTL,
    AliasTable,
    alias_table,
    canonical_org_key,
    detect_prefecture,
    link_organisations,
    printed_org_names,
    record_prefecture,
)
from policy_kg.extract.organisations import find_organisations
from policy_kg.extract.records import Amount, DocumentRecord, FundingSource, Organisation, Project, Span
from policy_kg.extract.source import read_source
from policy_kg.graph.iris import segment
from policy_kg.graph.namespace import DEFAULT_BASE, ORG, RDF, SKOS
from tests.conftest import SEED_PLAN, SEED_SHEET

L = Span.line


# --- one name --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "printed",
    [
        "みなと工業会",
        "一般財団法人みなと工業会",
        "一般財団法人　みなと工業会",
        "公益社団法人みなと工業会",
        "みなと工業会（一部）",
        "みなと工業会 (事務局)",
        "一般財団法人みなと工業会（一部）",
        " みなと　工業会 ",
    ],
)
def test_legal_forms_whitespace_and_parentheses_do_not_change_the_key(printed):
    assert canonical_org_key(printed) == "みなと工業会"


@pytest.mark.parametrize("printed", ["サクラ精機㈱", "サクラ精機(株)", "サクラ精機（株）", "株式会社サクラ精機", "（株）サクラ精機"])
def test_company_forms(printed):
    assert canonical_org_key(printed) == "サクラ精機"


def test_full_and_half_width_letters_are_one_key():
    assert canonical_org_key("ＡＢＣ研究所") == canonical_org_key("ABC研究所") == "ABC研究所"


def test_quotes_are_dropped_but_their_text_kept():
    assert canonical_org_key("「第5回みなと祭」実行委員会") == "第5回みなと祭実行委員会"


def test_legal_forms_the_base_normaliser_lacks():
    assert canonical_org_key("国立研究開発法人みなと技術研究所") == "みなと技術研究所"


def test_alias_table_abbreviations():
    assert canonical_org_key("ジェトロ") == canonical_org_key("ＪＥＴＲＯ") == "日本貿易振興機構"
    assert canonical_org_key("独立行政法人日本貿易振興機構") == "日本貿易振興機構"
    assert canonical_org_key("産総研") == "産業技術総合研究所"


def test_alias_templates_link_office_short_names_to_their_official_name():
    official = "日本貿易振興機構仙台貿易情報センター"
    assert canonical_org_key("ジェトロ仙台") == official
    assert canonical_org_key("日本貿易振興機構仙台情報センター") == official
    assert canonical_org_key(official) == official  # the canonical form is never rewritten
    assert canonical_org_key("ジェトロ仙台") != canonical_org_key("ジェトロ新潟")


def test_prefecture_rule():
    assert canonical_org_key("県工業技術センター", context_prefecture="新潟県") == "新潟県工業技術センター"
    assert canonical_org_key("新潟県工業技術センター", context_prefecture="新潟県") == "新潟県工業技術センター"
    assert canonical_org_key("県工業技術センター") == "県工業技術センター"  # no context: left as printed
    assert canonical_org_key("県工業技術センター", context_prefecture="長野県") == "長野県工業技術センター"
    # 県内 / 県外 are "in / outside the prefecture", not the start of a name
    assert canonical_org_key("県内企業協議会", context_prefecture="新潟県") == "県内企業協議会"
    # a region of the prefecture keeps its 県 word
    assert canonical_org_key("県北地域振興協議会", context_prefecture="新潟県") == "新潟県県北地域振興協議会"


def test_prefecture_rule_for_to_fu_do_only_rewrites_the_ritsu_form():
    assert canonical_org_key("府立産業技術研究所", context_prefecture="大阪府") == "大阪府立産業技術研究所"
    assert canonical_org_key("府中市商工会", context_prefecture="東京都") == "府中市商工会"
    assert canonical_org_key("道の駅みなと", context_prefecture="北海道") == "道の駅みなと"


# --- the alias table -------------------------------------------------------------------------------


def test_alias_file_entries_are_well_formed():
    g = Graph().parse(ALIASES_TTL, format="turtle")
    entries = set(g.subjects(SKOS.prefLabel, None))
    assert len(entries) >= 2
    seen: dict[str, str] = {}
    for node in entries:
        assert isinstance(node, BNode)  # lookup data, never copied into a graph
        (pref,) = list(g.objects(node, SKOS.prefLabel))
        assert isinstance(pref, Literal) and pref.language == "ja"
        alts = list(g.objects(node, SKOS.altLabel))
        assert alts, f"{pref}: an entry without aliases links nothing"
        for alt in alts:
            assert seen.setdefault(str(alt), str(pref)) == str(pref), f"{alt} is an alias of two names"
    assert alias_table().exact  # the file's exact aliases were read


def test_alias_table_from_any_graph():
    g = Graph()
    entry, office = BNode(), BNode()
    g.add((entry, SKOS.prefLabel, Literal("みなと産業振興機構", lang="ja")))
    g.add((entry, SKOS.altLabel, Literal("ＭＩＰＯ", lang="ja")))
    g.add((office, SKOS.prefLabel, Literal("みなと産業振興機構{place}支所", lang="ja")))
    g.add((office, SKOS.altLabel, Literal("MIPO{place}", lang="ja")))
    table = AliasTable.from_graph(g)
    assert table.resolve("MIPO") == "みなと産業振興機構"
    assert table.resolve("MIPO北") == "みなと産業振興機構北支所"
    assert table.resolve("みなと産業振興機構北支所") == "みなと産業振興機構北支所"
    assert table.resolve("べつの会") == "べつの会"


# --- documents -------------------------------------------------------------------------------------


def test_detect_prefecture_counts_prefecture_names():
    assert detect_prefecture(["新潟県の事業。", "長野県と新潟県が連携する。"]) == "新潟県"
    assert detect_prefecture(["長野県と新潟県"]) == "長野県"  # a tie goes to the one named first
    assert detect_prefecture(["京都府の事業", "東京都の事業", "京都府"]) == "京都府"
    assert detect_prefecture(["市の事業のみ"]) is None


def _city_record(doc_id: str, prefecture: str) -> DocumentRecord:
    r = DocumentRecord(doc_id, f"{doc_id}.txt", "evaluation_sheet", doc_id.ljust(64, "0"), 100, publisher="みなと市")
    r.projects = [
        Project("m1-p1", "1", "技術支援事業", L(10), sdg_targets=["9.5"],
                description=f"県工業技術センターと連携し、{prefecture}内の企業を支援する。",
                partners=[Organisation("県工業技術センター", "partner", L(11)), Organisation("ジェトロ", "partner", L(12))]),
    ]
    return r


def _plan_record() -> DocumentRecord:
    r = DocumentRecord("agency-plan", "agency-plan.txt", "business_plan", "1" * 64, 100)
    r.projects = [
        Project("I-1-1", "1", "技術振興事業", L(20), sdg_targets=["9.5"],
                partners=[Organisation("新潟県工業技術センター（一部）", "partner", L(21)),
                          Organisation("日本貿易振興機構", "partner", L(22))],
                amounts=[Amount("total", 1_000, "1千円", L(23),
                                funding=(FundingSource("新潟県補助金", "新潟県", "補助金", L(23)),))]),
    ]
    return r


def test_record_prefecture_and_printed_names():
    plan = _plan_record()
    assert record_prefecture(plan) == "新潟県"
    assert printed_org_names(plan) == ["新潟県工業技術センター（一部）", "日本貿易振興機構", "新潟県"]


def test_link_organisations_is_per_document():
    niigata, nagano, plan = _city_record("city-a", "新潟県"), _city_record("city-b", "長野県"), _plan_record()
    links = link_organisations([niigata, nagano, plan])
    assert links["city-a"]["県工業技術センター"] == "新潟県工業技術センター"
    assert links["city-b"]["県工業技術センター"] == "長野県工業技術センター"  # same print, other entity
    assert links["agency-plan"]["新潟県工業技術センター（一部）"] == "新潟県工業技術センター"
    assert links["city-a"]["ジェトロ"] == links["agency-plan"]["日本貿易振興機構"] == "日本貿易振興機構"


def test_builder_makes_one_entity_with_every_printed_variant():
    ds = builder.build_dataset([_city_record("city-a", "新潟県"), _plan_record()], reference=False)
    centre = URIRef(DEFAULT_BASE + "org/" + segment("新潟県工業技術センター"))
    assert (centre, RDF.type, ORG.Organization) in ds
    assert set(ds.objects(centre, SKOS.prefLabel)) == {Literal("新潟県工業技術センター", lang="ja")}
    assert set(ds.objects(centre, SKOS.altLabel)) == {
        Literal("県工業技術センター", lang="ja"), Literal("新潟県工業技術センター（一部）", lang="ja")
    }
    partners_of = {s for s in ds.subjects(URIRef("https://w3id.org/policy-kg/ontology#partner"), centre)}
    assert len(partners_of) == 2  # a project of each document


# --- the seeds -------------------------------------------------------------------------------------


@lru_cache(maxsize=2)
def _extracted(path: str):
    return extract(read_source(path))


def _technology_centre_names(path) -> list[str]:
    """Names of the prefectural technology centre (…ハイテクプラザ) as the document prints them."""
    names = []
    for line in read_source(path).lines:
        names += [name for name, _ in find_organisations(line) if name.endswith("ハイテクプラザ")]
    return names


def test_seeds_are_documents_of_one_prefecture(seed_path):
    sheet, plan = seed_path(SEED_SHEET), seed_path(SEED_PLAN)
    assert detect_prefecture(read_source(sheet).lines) == "福島県"
    assert detect_prefecture(read_source(plan).lines) == "福島県"
    assert record_prefecture(_extracted(str(sheet))) == "福島県"


def test_the_technology_centre_of_both_seeds_is_one_entity(seed_path):
    keys = set()
    printed = set()
    for name in (SEED_SHEET, SEED_PLAN):
        path = seed_path(name)
        prefecture = detect_prefecture(read_source(path).lines)
        names = _technology_centre_names(path)
        assert names, f"{name}: the technology centre is not found"
        printed |= set(names)
        keys |= {canonical_org_key(n, context_prefecture=prefecture) for n in names}
    assert len(printed) == 2  # the city writes it without the prefecture, the agency with it
    assert keys == {"福島県ハイテクプラザ"}


def test_seed_sheet_partner_links(seed_path):
    links = link_organisations([_extracted(str(seed_path(SEED_SHEET)))])
    (sheet_links,) = links.values()
    assert sheet_links["県ハイテクプラザ"] == "福島県ハイテクプラザ"
    # the JETRO office is printed two ways in the sheet (project name and overview): one entity
    jetro = {name: key for name, key in sheet_links.items() if name.startswith("日本貿易振興機構")}
    assert len(jetro) == 2
    assert set(jetro.values()) == {"日本貿易振興機構福島貿易情報センター"}
