"""Tests for ``extract.organisations``: the structural organisation-name rule, and the publisher."""

from __future__ import annotations

import pytest

from policy_kg.extract.evaluation_sheet import parse_evaluation_sheet
from policy_kg.extract.organisations import find_organisations, find_places, find_publisher, normalise_org_name
from policy_kg.extract.source import read_source

SEED_SHEET = "000_27ae6de2eb66d617.txt"


def names(text: str) -> list[str]:
    return [name for name, _ in find_organisations(text)]


# --- synthetic sentences (written for these tests) ---------------------------------------------------


def test_name_and_offset() -> None:
    text = "市は北山木工協同組合と協力した。"
    assert find_organisations(text) == [("北山木工協同組合", 2)]
    assert text[2:2 + len("北山木工協同組合")] == "北山木工協同組合"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("東野商工会議所と連携して相談会を開いた。", ["東野商工会議所"]),
        ("東野工業大学の学生が参加した。", ["東野工業大学"]),
        ("県産業技術センターの支援を得た。", ["県産業技術センター"]),
        ("運営は東野観光物産協会へ委託した。", ["東野観光物産協会"]),
        ("東野リサイクル推進協議会負担金を支出する。", ["東野リサイクル推進協議会"]),
        ("中小企業基盤整備機構の制度を使う。", ["中小企業基盤整備機構"]),
    ],
)
def test_suffix_ends_the_name(text: str, expected: list[str]) -> None:
    assert names(text) == expected


def test_text_after_the_last_suffix_is_cut() -> None:
    # 組合員数 = the union's member count: the name ends at 協同組合.
    assert names("東野木工協同組合員数が減った。") == ["東野木工協同組合"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("公益社団法人東野工芸会が主催した。", ["公益社団法人東野工芸会"]),
        ("一般財団法人東野文化振興財団に委託。", ["一般財団法人東野文化振興財団"]),
        ("流通大手のサクラ㈱と協定を結んだ。", ["サクラ㈱"]),
        ("（株）東野ABCと㈱XYZ商事が出展した。", ["（株）東野ABC", "㈱XYZ商事"]),
        ("株式会社ミナミが参加した。", ["株式会社ミナミ"]),
    ],
)
def test_legal_forms(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # after a legal form, a hiragana name keeps its particle-like kana (が, も)
        ("公益財団法人さくらがわ文化振興財団の事業計画", ["公益財団法人さくらがわ文化振興財団"]),
        ("社会福祉法人こもれび福祉会が運営する。", ["社会福祉法人こもれび福祉会"]),
        ("社会福祉法人が運営する福祉センター", ["福祉センター"]),  # a particle after the form: no name there
    ],
)
def test_a_legal_form_opens_a_hiragana_name(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("観光の顔であるみなみ野市観光協会の運営費を補助する。", ["みなみ野市観光協会"]),
        ("予約は一般社団法人みなみ野DMOに一本化する。", ["一般社団法人みなみ野DMO"]),
        ("・みなみ野大学の学生が調査した。", ["みなみ野大学"]),
        ("運行はバス会社であるみなみ野交通㈱に委託する。", ["みなみ野交通㈱"]),
    ],
)
def test_hiragana_led_names(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "本市は商工会議所や商工会と連携する。",  # bare type words
        "協議会内で情報を共有する。",
        "実行委員会の設立を支援した。",  # deictic: "the executive committee"
        "同協議会が事業を行う。",
        "組合側と協議のうえ見直した。",
        "事業を検証するため協議会を開く。",  # ため is grammar, not part of a name
        "取りまとめ協議会",  # okurigana of 取り, not a name start
        "一般財団法人が運営する。",  # a legal form alone
        "本市の地場産業を支援する。",
    ],
)
def test_generic_words_are_not_organisations(text: str) -> None:
    assert names(text) == []


def test_bullet_and_list_item_before_a_legal_form() -> None:
    assert names("取組の推進・一般社団法人みなみ野DMOとの連携") == ["一般社団法人みなみ野DMO"]


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("一般財団法人　伝統工芸振興協会", "伝統工芸振興協会"),
        ("サクラ㈱", "サクラ"),
        ("株式会社ミナミ", "ミナミ"),
        ("ミナミ株式会社", "ミナミ"),
        ("（株）東野ABC", "東野ABC"),
        ("ＡＢＣ協会", "ABC協会"),
        ("公益社団法人 東野工芸会", "東野工芸会"),
    ],
)
def test_normalise_org_name(name: str, key: str) -> None:
    assert normalise_org_name(name) == key


def test_normalise_links_spellings() -> None:
    assert normalise_org_name("一般財団法人伝統工芸振興協会") == normalise_org_name("伝統工芸振興協会")


def test_places_and_publisher() -> None:
    lines = ["東野市の計画", "本市は東野市少年団を支援", "提携先の西川町と北風県", "本市と本市"]
    assert find_publisher(lines) == "東野市"
    assert [n for n, _ in find_places("提携先の西川町と北風県の補助", standalone=True)] == ["西川町", "北風県"]
    assert find_places("市町村が連携", standalone=True) == []
    assert find_places("計量特定市に指定", standalone=True) == []
    assert find_publisher(["本市の事業", "県内の企業"]) is None


# --- on seed 000 -----------------------------------------------------------------------------------


def test_seed_partners(seed_path) -> None:
    record = parse_evaluation_sheet(read_source(seed_path(SEED_SHEET)))
    partners = {p.key: [o.name for o in p.partners] for p in record.projects}
    # The union is named in the verification text of m1-p1 and the overview of m1-p13.
    assert "会津漆器協同組合" in partners["m1-p1"]
    assert "会津漆器協同組合" in partners["m1-p13"]
    assert partners["m2-p1"] == ["イオン㈱"]
    assert partners["m1-p11"] == ["公益社団法人日本工芸会"]
    assert partners["m1-p16"] == ["会津大学"]
    assert partners["m2-p4"] == ["福島県貿易促進協議会"]
    all_names = {n for ns in partners.values() for n in ns} | {o.name for o in record.organisations}
    assert not all_names & {"本市", "市", "県", "協議会", "商工会議所", "商工会", "会議所", "組合", "実行委員会"}


def test_seed_partner_spans_point_at_the_name(seed_path) -> None:
    src = read_source(seed_path(SEED_SHEET))
    record = parse_evaluation_sheet(src)
    for project in record.projects:
        for org in project.partners:
            printed = "".join(src.line(n).strip() for n in range(org.span.start, org.span.end + 1))
            assert org.name in printed, (project.key, org)


def test_seed_publisher(seed_path) -> None:
    record = parse_evaluation_sheet(read_source(seed_path(SEED_SHEET)))
    assert record.publisher == "会津若松市"
    assert ("会津若松市", "publisher") in {(o.name, o.role) for o in record.organisations}


@pytest.mark.parametrize("name", ["一般社団法人もみじ観光協会", "公益財団法人やまびこ文化財団"])
def test_a_name_after_a_legal_form_may_open_with_a_particles_character(name):
    assert [found for found, _ in find_organisations(f"本事業は{name}に委託する。")] == [name]


def test_a_particle_after_a_legal_form_opens_no_name():
    assert [found for found, _ in find_organisations("社会福祉法人が運営する施設と、公益財団法人との協定")] == []
