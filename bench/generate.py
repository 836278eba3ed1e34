"""Synthetic corpus generator: evaluation sheets and business plans with the seeds' PDF-text defects.

``python bench/generate.py --cities N --seed S --out DIR`` (or :func:`generate_corpus`) writes, per
invented city, 2–5 evaluation sheets in the layout of seed 000 (2–5 measures, 3–20 projects each) and
sometimes a business plan in the layout of seed 001, each with ``<name>.expected.json``: the facts a
correct extractor must produce. Every sentence and name comes from the word lists below, written for
policy-kg; only form labels (事業名, 事業費, 担当部・課, 指 標 計画 …) are shared with the seeds.

Defects reproduced, as the seeds show them:

* evaluation sheets — a detail block whose page break and number line are lost (the line starts with
  `` 事業名``); a project whose name is missing from its table row and its block, printed instead after
  the table's column headers and after its page's blocks; a measure printed under another name on its
  detail-page headers; budgets in full-width digits; a KPI baseline printed among the notes.
* business plans — the outline printed twice (first with pillar lines displaced after their areas and
  later pillars lost); an amount line printed before its project heading; a project re-listed under a
  second area with （再掲）; indicator names wrapped over two lines with the value on a third.

Same seed → identical bytes. :func:`check_document` compares an extracted record with the expected
facts and names the defect pattern of every missed fact.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

GENERATOR_VERSION = "2"  # 2: partner organisations in project overviews
EXPECTED_SUFFIX = ".expected.json"

# =====================================================================================================
# Vocabulary (invented places, fields and names)
# =====================================================================================================

CITY_HEADS = ("みなみ", "ひがし", "あおば", "さくら", "いずみ", "かすみ", "ほしの", "つばさ", "こもれび", "ゆうなぎ",
              "しらさぎ", "はなみ", "あかね", "みずほ", "たかね", "ゆきみ", "ことぶき", "あさぎり")
CITY_TAILS = ("野", "川", "台", "ヶ丘", "浜", "原", "沢", "里")
PREFECTURES = ("東雲県", "白峰県", "青葉県", "南風県", "朝霧県", "若葉県", "銀河県", "潮見県")


@dataclass(frozen=True)
class FieldTheme:
    """A policy field: its name, the plan above it, its measures' topics and its projects' stems."""

    name: str
    goal: str
    policy: str
    vision: str
    topics: tuple[str, ...]  # a measure is "<topic>の<action>"
    stems: tuple[str, ...]  # a project is "<stem><suffix>"
    units: tuple[tuple[str, str], ...]  # (department, division)
    kpis: tuple[tuple[str, str, int], ...]  # (name, unit, typical size)


ACTIONS = ("振興", "推進", "充実", "強化", "促進", "確保", "支援", "育成")
SUFFIXES = ("事業", "推進事業", "支援事業", "補助金", "負担金", "運営事業", "整備事業", "協議会負担金",
            "預託金", "奨励金", "調査事業", "管理運営事業")

FIELDS: tuple[FieldTheme, ...] = (
    FieldTheme(
        "商工業", "活気ある産業のまちづくり", "地域経済を支える仕事の創出",
        "小さな事業所が力を伸ばし、働く場が地域に広がるまち",
        ("伝統工芸", "地域内取引", "事業承継", "創業", "商店街", "ものづくり人材"),
        ("木工品販路開拓", "工芸後継者育成", "地元産品見本市", "商店街空き店舗活用", "創業相談窓口",
         "小規模事業者経営相談", "事業承継マッチング", "産学連携試作開発", "ものづくり体験教室",
         "中小企業振興資金", "信用保証料軽減", "地場産品デザイン改良", "商工団体活動", "技能検定受検"),
        (("産業振興部", "商工課"), ("産業振興部", "工業振興課"), ("経済部", "商業労政課")),
        (("製造品出荷額（年間）", "百万円", 150000), ("新規創業件数", "件", 40), ("商店街空き店舗数", "店", 60)),
    ),
    FieldTheme(
        "観光", "人が行き交うにぎわいのまちづくり", "訪れる人を迎える地域の魅力づくり",
        "季節ごとの景色と食を求めて人が訪れ、長く滞在するまち",
        ("観光資源", "受入環境", "広域連携", "誘客宣伝", "滞在型観光"),
        ("高原散策路整備", "温泉街景観形成", "観光案内所運営", "周遊タクシー運行", "外国人旅行者受入",
         "観光協会運営", "夜間景観演出", "湖畔キャンプ場管理", "ご当地グルメ開発", "観光統計",
         "広域観光連絡会", "教育旅行誘致", "観光ボランティア育成"),
        (("観光文化部", "観光課"), ("観光文化部", "交流推進課"), ("産業観光部", "観光振興課")),
        (("観光入込客数（年間）", "千人", 1800), ("宿泊者数（年間）", "千人泊", 250), ("観光消費額", "百万円", 9000)),
    ),
    FieldTheme(
        "農林業", "自然と共に生きる豊かなまちづくり", "農と森の恵みを活かす産業の育成",
        "担い手が誇りを持って耕し、森と田畑が次の世代へ受け継がれるまち",
        ("担い手", "農地保全", "地産地消", "森林整備", "鳥獣被害対策"),
        ("新規就農者研修", "農地集積推進", "直売所運営", "学校給食地場産利用", "間伐材利用",
         "有害鳥獣捕獲", "里山林保全", "農業用水路補修", "果樹産地育成", "林道維持管理", "農業委員会運営"),
        (("農林部", "農政課"), ("農林部", "林務課"), ("産業部", "農業振興課")),
        (("新規就農者数", "人", 25), ("耕作放棄地面積", "ha", 300), ("間伐実施面積", "ha", 450)),
    ),
    FieldTheme(
        "健康づくり", "だれもが健やかに暮らせるまちづくり", "生涯を通じた健康の保持",
        "一人ひとりが自分の健康に関心を持ち、元気に年を重ねるまち",
        ("健康診査", "食育", "運動習慣", "こころの健康", "地域医療"),
        ("特定健康診査", "がん検診", "健康ポイント", "ウォーキング大会", "食生活改善推進員活動",
         "休日当番医", "自殺対策", "予防接種", "歯科健診", "健康相談", "保健推進員活動"),
        (("健康福祉部", "健康増進課"), ("健康福祉部", "保健予防課"), ("市民部", "国保年金課")),
        (("特定健診受診率", "％", 55), ("がん検診受診者数", "人", 12000), ("健康ポイント参加者数", "人", 3000)),
    ),
    FieldTheme(
        "子育て支援", "未来を担う子どもが育つまちづくり", "安心して子どもを産み育てる環境",
        "子どもの笑顔があふれ、親が子育ての喜びを感じられるまち",
        ("保育", "子育て相談", "放課後対策", "母子保健", "ひとり親支援"),
        ("保育所運営", "病児保育", "子育て支援センター運営", "放課後児童クラブ", "乳幼児健診",
         "産後ケア", "ひとり親家庭自立支援", "子ども医療費助成", "ファミリーサポート", "児童館管理運営"),
        (("こども未来部", "こども家庭課"), ("こども未来部", "保育課"), ("健康福祉部", "子育て支援課")),
        (("待機児童数", "人", 20), ("子育て支援センター利用者数", "人", 15000), ("子育て講座参加者数", "人", 800)),
    ),
    FieldTheme(
        "環境保全", "美しい自然を守り伝えるまちづくり", "循環型社会と脱炭素の推進",
        "水と緑が澄み、ごみを出さない暮らしが根づくまち",
        ("ごみ減量", "再生可能エネルギー", "水環境", "自然保護", "環境学習"),
        ("資源物回収", "生ごみ堆肥化", "太陽光発電設備導入補助", "公用車電動化", "河川水質調査",
         "浄化槽設置補助", "希少植物保護", "環境学習講座", "不法投棄監視", "省エネ家電買替支援"),
        (("市民環境部", "環境政策課"), ("市民環境部", "廃棄物対策課"), ("生活環境部", "環境保全課")),
        (("一人一日当たりごみ排出量", "グラム", 900), ("市域の温室効果ガス排出量", "千トン", 600), ("資源化率", "％", 25)),
    ),
)

SDG_TARGETS = ("2.4", "3.4", "3.8", "3.d", "4.4", "4.7", "4.a", "5.5", "6.3", "7.2", "8.1", "8.2", "8.3", "8.5",
               "8.9", "8.10", "9.1", "9.5", "10.2", "11.2", "11.3", "11.4", "11.7", "12.3", "12.5", "12.b",
               "13.1", "15.1", "15.2", "17.17")
DIRECTIONS = ("継続",) * 10 + ("新規", "終了", "拡充", "拡充", "縮小", "廃止", "統合")
PILLARS = ("暮らしを支える地域の仕事づくり", "人が集い住み続ける流れの創出", "安全で便利な生活基盤の整備",
           "子どもを産み育てる希望の実現")

# --- filler text: short clauses combined at random, so no two projects read the same ---------------
SUBJECTS = ("市内の事業者", "地域の団体", "関係機関", "市民", "参加者", "利用者", "受講者", "協力事業者")
DEEDS = ("説明会を開いた", "相談に応じた", "取組を後押しした", "情報を発信した", "研修を行った",
         "現地を調査した", "意見を交わした", "実施方法を見直した", "参加を呼びかけた", "成果を共有した")
AIMS = ("地域の活力を高める", "暮らしの安心を支える", "担い手を確保する", "交流の機会を広げる",
        "費用の負担を軽くする", "将来の需要に備える", "利用の便を高める", "次の世代へ引き継ぐ")
#: Partner organisations named in a project's overview: a place stem and a kind of organisation
#: (kanji only, as the seeds' partners are; the extractor's suffix rule must find every one).
PARTNER_STEMS = ("中央", "東部", "西部", "南部", "北部", "県央", "湖東", "山手", "港南")
PARTNER_KINDS = ("商工会議所", "観光協会", "社会福祉協議会", "医療センター", "信用金庫", "産業振興機構",
                 "農業協同組合", "工業大学", "地域振興公社")
ISSUES = ("参加者が固定化している", "担い手が不足している", "経費が年々増えている", "周知が十分でない",
          "需要の把握が遅れている", "地域による差が大きい")

# --- business plans -----------------------------------------------------------------------------------
PLAN_PILLARS = ("新たな事業の創出と技術開発への支援", "経営の悩みに応える総合的な相談支援",
                "設備と資金の調達を通じた経営基盤の強化", "次代を担う産業人材の育成",
                "公の施設を活かした交流の促進")
PLAN_AREAS = ("成長分野への参入支援", "知的財産の活用支援", "研究開発の支援", "経営相談と専門家派遣",
              "事業の再生支援", "設備投資の支援", "取引の拡大支援", "災害からの復旧支援", "人材の育成支援",
              "デジタル化の支援", "公の施設の管理運営")
PLAN_PROJECTS = ("水素関連産業参入促進事業", "創業スタートアップ支援事業", "知的財産取得助成事業",
                 "新事業応援ファンド事業", "産学共同研究推進事業", "経営相談センター運営事業",
                 "よろず相談拠点事業", "事業承継支援事業", "専門人材還流支援事業", "中小企業再生支援事業",
                 "機械設備貸与事業", "取引あっせん推進事業", "海外販路拠点運営事業", "被災事業者施設復旧支援事業",
                 "利子補給支援事業", "ものづくり人材育成事業", "デジタル化推進支援事業", "産業交流館の管理運営",
                 "工業技術センター（一部）の管理運営", "展示商談会開催事業", "輸送機械関連産業育成事業")
PLAN_SUBS = ("研究会の運営", "参入企業の掘り起こし", "起業支援助成事業", "大学発ベンチャー伴走支援",
             "新製品開発助成事業", "販路開拓助成事業", "相談窓口の運営", "専門家派遣", "経営セミナー",
             "承継支援センター事業", "支援人材の育成事業", "割賦販売", "リース", "商談会の開催", "現地事務所の運営")
PLAN_INDICATORS = (("成約件数", "件", 40), ("相談件数", "件", 600), ("支援による起業数", "件", 25),
                   ("助成金の応募件数", "件", 50), ("助成金の採択件数", "件", 20), ("研究会会員数", "者", 800),
                   ("企業訪問件数", "件", 300), ("経営課題の解決件数", "件", 90), ("専門家派遣件数", "件", 250),
                   ("セミナー受講者数", "人", 400), ("設備貸与件数", "件", 35), ("施設稼働率", "％", 55),
                   ("受講者の満足度", "％", 90), ("商談会参加企業数", "社", 150))
FUNDERS = ("{pref}受託金", "{pref}補助金", "経済産業局受託金", "経済産業局補助金", "{pref}補助金ほか",
           "受講料ほか", "{pref}指定管理料")


# =====================================================================================================
# Text helpers
# =====================================================================================================

_FULL_WIDTH = str.maketrans("0123456789,", "０１２３４５６７８９，")


def fullwidth(text: str) -> str:
    """Digits and commas as the full-width characters PDF dumps often carry."""
    return text.translate(_FULL_WIDTH)


def reiwa(year: int) -> str:
    """令和 era label of a Gregorian fiscal year, full-width digits (令和元年度 for 2019)."""
    n = year - 2018
    return "令和" + ("元" if n == 1 else fullwidth(str(n))) + "年度"


def wrap(text: str, width: int) -> list[str]:
    """Cut ``text`` into lines of ``width`` characters, as a PDF text layer does (no kinsoku rules)."""
    return [text[i:i + width] for i in range(0, len(text), width)] or [""]


def money(thousands: int, full: bool) -> str:
    """A 千円 cell: ``2,500`` or ``２，５００``."""
    s = f"{thousands:,}"
    return fullwidth(s) if full else s


def plain_number(value: Decimal) -> str:
    """A decimal without exponent or thousands separator, as expected files write values."""
    return format(value, "f")


def sentence(rng: random.Random) -> str:
    return f"{rng.choice(SUBJECTS)}とともに{rng.choice(AIMS)}ため、{rng.choice(DEEDS)}。"


def bullets(rng: random.Random, n: int, width: int = 40, *, years: bool = True) -> list[str]:
    """``n`` bullet points wrapped at ``width``; with ``years`` some cite a past year's figure."""
    out: list[str] = []
    for _ in range(n):
        text = "・" + sentence(rng)
        if years and rng.random() < 0.4:
            text += f"令和{fullwidth(str(rng.randint(2, 5)))}年度は{rng.randint(2, 90)}件の実績があった。"
        out.extend(wrap(text, width))
    return out


# =====================================================================================================
# Evaluation sheets (the layout of seed 000)
# =====================================================================================================

CATEGORIES = (("total", "事業費"), ("general_fund", "所要一般財源"), ("personnel", "概算人件費"))


@dataclass
class SheetProject:
    measure: int
    number: int
    name: str
    sdg: str | None
    pillar: int | None
    priority: bool
    direction: str
    statutory: bool
    unit: tuple[str, str]
    amounts: dict[str, tuple[int, int]]  # category -> (budget year, estimate year), 千円
    full_width: bool
    partners: tuple[str, ...] = ()  # named in the overview: "A、Bと連携した。"
    lost_name: bool = False
    lost_number: bool = False


@dataclass
class SheetMeasure:
    number: int
    name: str
    header_name: str  # as printed on the detail pages (differs from ``name`` when renamed)
    content: str
    projects: list[SheetProject] = field(default_factory=list)


@dataclass
class Kpi:
    name: str
    unit: str
    targets: list[Decimal]
    final: Decimal
    actuals: list[Decimal | None]
    baseline: tuple[Decimal, int] | None


@dataclass
class Sheet:
    city: str
    theme: FieldTheme
    field_number: int
    goal_number: int
    policy_number: int
    unit: tuple[str, str]
    year: int  # budget fiscal year (Gregorian); the estimate is year + 1
    kpi_years: list[int]
    measures: list[SheetMeasure]
    kpis: list[Kpi]
    related: list[tuple[str, str, tuple[str, str]]]
    logic_model: bool


def _unique(rng: random.Random, make, taken: set[str]) -> str:
    for _ in range(50):
        name = make()
        if name not in taken:
            taken.add(name)
            return name
    name = make() + f"（第{fullwidth(str(len(taken)))}期）"
    taken.add(name)
    return name


def _amounts(rng: random.Random, direction: str) -> dict[str, tuple[int, int]]:
    total = int(math.exp(rng.uniform(math.log(20), math.log(600_000))))
    share = rng.choice((1.0, 1.0, 1.0, 0.5, 0.75, 0.3))
    personnel = int(math.exp(rng.uniform(math.log(38), math.log(7_500))))
    growth = rng.choice((1.0, 1.0, 1.0, 1.1, 0.9, 1.25))
    out = {}
    for category, base in (("total", total), ("general_fund", int(total * share)), ("personnel", personnel)):
        first, second = base, int(base * growth) if category != "personnel" else base
        if direction == "新規":
            first = 0
        if direction in ("終了", "廃止"):
            second = 0
        out[category] = (first, second)
    return out


def make_sheet(rng: random.Random, city: str, theme: FieldTheme, field_number: int) -> Sheet:
    """Draw the facts of one evaluation sheet."""
    year = rng.choice((2022, 2023, 2024))
    kpi_years = [year + d for d in rng.choice(((-1, 0, 1), (-2, -1, 0)))]
    taken: set[str] = set()
    topics = rng.sample(theme.topics, k=min(len(theme.topics), rng.randint(2, 5)))
    measures: list[SheetMeasure] = []
    for m, topic in enumerate(topics, 1):
        action, other = rng.sample(ACTIONS, 2)
        name = f"{topic}の{action}"
        measure = SheetMeasure(m, name, name, f"{topic}について、{rng.choice(AIMS)}ため、{sentence(rng)}")
        for n in range(1, rng.randint(3, 20) + 1):
            direction = rng.choice(DIRECTIONS)
            pname = _unique(rng, lambda: _project_name(rng, theme, city), taken)
            measure.projects.append(SheetProject(
                m, n, pname,
                sdg=rng.choice(SDG_TARGETS) if rng.random() < 0.7 else None,
                pillar=rng.randint(1, 4) if rng.random() < 0.4 else None,
                priority=rng.random() < 0.1,
                direction=direction,
                statutory=rng.random() < 0.1,
                unit=rng.choice(theme.units),
                amounts=_amounts(rng, direction),
                full_width=rng.random() < 0.15,
                partners=_partners(rng) if rng.random() < 0.3 else (),
            ))
        measures.append(measure)
    # --- the seeds' defects ---
    if rng.random() < 0.6:  # one measure's detail pages print another name
        m = rng.choice(measures)
        topic = m.name.rsplit("の", 1)[0]
        m.header_name = f"{topic}の{rng.choice([a for a in ACTIONS if not m.name.endswith(a)])}"
    if rng.random() < 0.6:  # a project's name is lost from its row and block, printed after the legend
        rng.choice(rng.choice(measures).projects).lost_name = True
    kpis = [_kpi(rng, theme, i, year, kpi_years) for i in range(rng.randint(1, 3))]
    related = [(f"{rng.randint(1, 20)}-{rng.randint(1, 4)}", _project_name(rng, rng.choice(FIELDS), city),
                rng.choice(rng.choice(FIELDS).units)) for _ in range(rng.randint(1, 3))]
    return Sheet(city, theme, field_number, rng.randint(1, 5), rng.randint(1, 9), rng.choice(theme.units), year,
                 kpi_years, measures, kpis, related, logic_model=rng.random() < 0.5)


def _partners(rng: random.Random) -> tuple[str, ...]:
    names = {rng.choice(PARTNER_STEMS) + rng.choice(PARTNER_KINDS) for _ in range(rng.randint(1, 3))}
    return tuple(sorted(names))


def _partner_sentence(p: SheetProject) -> str:
    return "、".join(p.partners) + "と連携した。" if p.partners else ""


def _project_name(rng: random.Random, theme: FieldTheme, city: str) -> str:
    stem = rng.choice(theme.stems)
    if rng.random() < 0.15:
        stem = city + stem
    name = stem + rng.choice(SUFFIXES)
    if rng.random() < 0.05:
        name = f"{stem}事業費（{rng.choice(theme.stems)}補助金）"
    return name


def _kpi(rng: random.Random, theme: FieldTheme, i: int, year: int, years: list[int]) -> Kpi:
    name, unit, size = theme.kpis[i % len(theme.kpis)]
    percent = unit == "％"
    step = Decimal("0.1") if percent else Decimal(1)

    def value(scale: float) -> Decimal:
        v = Decimal(str(round(size * scale * rng.uniform(0.9, 1.1), 1 if percent else 0)))
        return v.quantize(step)

    targets = sorted(value(1.0) for _ in years)
    actuals: list[Decimal | None] = [value(0.97) if rng.random() < 0.6 else None
                                     for _ in range(rng.randint(1, len(years)))]
    baseline = (value(0.9), year - rng.choice((3, 4))) if i == 0 else None
    return Kpi(name, unit, targets, value(1.1), actuals, baseline)


def _kpi_cell(v: Decimal | None) -> str:
    """A value cell as printed: thousands separators, "－" for no value."""
    return "－" if v is None else f"{v:,}"


def render_sheet(doc: Sheet, rng: random.Random) -> str:
    """The sheet as a PDF text dump: header, KPIs, evaluations, project table, detail pages."""
    dept, div = doc.unit
    out: list[str] = [f" 主管部局・課 {dept}　{div}", "", "目指す姿", "", doc.theme.vision, "", "施策", "",
                      "施策番号", "名称", "", "施策の内容", ""]
    for m in doc.measures:
        out += [f"施策{fullwidth(str(m.number))}", "", m.name, ""]
    out += ["１　政策分野の進捗状況", "重要業績評価指標の達成状況", "", "指標名 単位 説明又は計算式", ""]
    header = "".join(reiwa(y) for y in doc.kpi_years)
    for k, kpi in enumerate(doc.kpis, 1):
        out += [str(k), "", f"{kpi.name} {kpi.unit} －", "", f"年度 {header} 最終目標 検証", "",
                "目標 " + " ".join(_kpi_cell(v) for v in kpi.targets), "", _kpi_cell(kpi.final),
                "実績 " + " ".join(_kpi_cell(v) for v in kpi.actuals), ""]
    out += [f"政策目標{fullwidth(str(doc.goal_number))}．{doc.theme.goal}/政策{fullwidth(str(doc.policy_number))}．"
            f"{doc.theme.policy}", "", f"政策分野{doc.field_number}　{doc.theme.name}", "", "関連するSDGs17のゴール", ""]
    for m in doc.measures:
        out += wrap(m.content, 41) + [""]
    for kpi in doc.kpis:
        out += wrap(f"{kpi.name}の実績は{rng.choice(ISSUES)}ため、集計が終わりしだい記載する", 21) + [""]
        if kpi.baseline is not None:
            value, year = kpi.baseline
            out += [_kpi_cell(value), f"（{reiwa(year)}）", ""]
    out += ["", ""]
    out += _evaluations(doc, rng)
    out += _related(doc)
    out += _final_evaluation(doc, rng)
    out += _table(doc, rng)
    out += _detail_pages(doc, rng)
    return "\n".join(out) + "\n"


def _evaluations(doc: Sheet, rng: random.Random) -> list[str]:
    out = ["２　施策の評価"]
    for m in doc.measures:
        heads = [f"{rng.choice(doc.theme.topics)}の{rng.choice(ACTIONS)}" for _ in range(rng.randint(1, 3))]
        out += [f"施策{fullwidth(str(m.number))} {m.name}", "", "取組状況", "",
                *rng.choice((["今年度の", "重点方針"], ["今年度の重", "点方針"])), "", "（方向性）", "",
                *wrap(m.content, 41), ""]
        for i, head in enumerate(heads, 1):
            out += [f"【{i}】{head}", *bullets(rng, rng.randint(1, 2), 41), ""]
        out += ["課題認識と", "今後の方針", "・改善点", ""]
        for i, head in enumerate(heads, 1):
            out += [f"【{i}】{head}", *bullets(rng, rng.randint(1, 2), 41), ""]
        out += ["", ""]
    return out


def _related(doc: Sheet) -> list[str]:
    out = ["３　関連する政策分野と事務事業", "政策分野 事務事業名 担当部・課名", ""]
    for code, name, (dept, div) in doc.related:
        out += [f"{code} {name} {dept}　{div}", ""]
    return out


def _final_evaluation(doc: Sheet, rng: random.Random) -> list[str]:
    out = ["４　施策の最終評価", "",
           f"・政策分野{doc.field_number}「{doc.theme.name}」は、「２　施策の評価」に沿って取組を進めること。", ""]
    for m in doc.measures:
        out += wrap(f"・施策{fullwidth(str(m.number))}「{m.name}」では、{rng.choice(AIMS)}ため、{sentence(rng)}", 49)
    return out + ["", "", "", "５　事務事業一覧", "", "番号 事務事業名 担当部・課", ""]


def _table(doc: Sheet, rng: random.Random) -> list[str]:
    out: list[str] = []
    lost: list[str] = []
    for m in doc.measures:
        out += [f"施策{fullwidth(str(m.number))}　{m.name}", ""]
        for p in m.projects:
            cells = [str(p.number)]
            if p.priority:
                cells.append("◎")
            if p.pillar is not None:
                cells.append(f"柱{fullwidth(str(p.pillar))}")
            if p.sdg:
                cells.append(p.sdg)
            if p.lost_name:
                lost.append(p.name)
            else:
                cells.append(p.name)
            cells += [p.direction, p.unit[0] + p.unit[1]]
            out += [" ".join(cells), ""]
    out += ["ロジック", "モデル", "", "重点", "事業", "", "人口減", "少対策", "※", "", "SDGs", "ターゲ", "ット", "",
            "次年度", "方針", ""]
    for name in lost:
        out += [name, ""]
    out += wrap(f"※人口減少対策として位置づける事業を「{doc.city}まち・ひと・しごと総合戦略」の４つの柱に分けて示しています。", 50)
    out += [f"柱{fullwidth(str(i))}　{name}" for i, name in enumerate(PILLARS, 1)]
    return out + ["", "", ""]


def _pages(doc: Sheet, m: SheetMeasure, rng: random.Random) -> list[list[SheetProject]]:
    projects = list(m.projects)
    pages: list[list[SheetProject]] = []
    if doc.logic_model and m.number == 1:
        pages.append([projects.pop(0)])
    while projects:
        size = 3 if rng.random() < 0.85 else 2
        pages.append(projects[:size])
        projects = projects[size:]
    return pages


def _detail_pages(doc: Sheet, rng: random.Random) -> list[str]:
    out: list[str] = []
    for m in doc.measures:
        for i, page in enumerate(_pages(doc, m, rng)):
            if i == 0:
                if out:
                    out += ["", "", ""]
                out += [f"施策{fullwidth(str(m.number))}　{m.header_name}", ""]
            elif rng.random() < 0.45:
                page[0].lost_number = True  # the page break and the number line are lost
            else:
                out += ["", "", ""]
            if doc.logic_model and m.number == 1 and i == 0:
                out += _logic_model_page(doc, page[0], rng)
                continue
            for p in page:
                out += _block(p, rng)
            for p in page:
                if p.lost_name:
                    out += [p.name, ""]
            for n, p in enumerate(page):
                out += _overview(doc, p, rng, last=n == len(page) - 1)
    return out


def _unit_text(p: SheetProject, rng: random.Random) -> str:
    return p.unit[0] + rng.choice(("・", "　", "・", "・")) + p.unit[1]


def _money_lines(p: SheetProject, spaced: bool) -> list[str]:
    out = []
    for category, label in CATEGORIES:
        first, second = p.amounts[category]
        out.append(f"{label} {money(first, p.full_width)} {money(second, p.full_width)}")
        if spaced:
            out.append("")
    return out if spaced else out + [""]


def _block(p: SheetProject, rng: random.Random) -> list[str]:
    legal = "法定" if p.statutory else "自主"
    name_line = f"事業名 {p.name} 法定／自主 {legal}" if not p.lost_name else f"事業名 法定／自主 {legal}"
    head = [" " + name_line] if p.lost_number else [str(p.number), "", name_line]
    return head + ["", f"担当部・課 {_unit_text(p, rng)} 次年度方針 {p.direction}", "",
                   *_money_lines(p, spaced=rng.random() < 0.4)]


def _finance_labels(doc: Sheet) -> list[str]:
    return [reiwa(doc.year), "（予算）", "", reiwa(doc.year + 1), "（見込み）", ""]


def _overview(doc: Sheet, p: SheetProject, rng: random.Random, *, last: bool) -> list[str]:
    overview = "　" + sentence(rng) + sentence(rng) + _partner_sentence(p)
    out = ["概要", "(目的と内容)", "", *wrap(overview, 21), "", "財務内容", "単位(千円)", "",
           *_finance_labels(doc), "これまでの", "取組状況", "", "（主な取組と", "成果）", "",
           *bullets(rng, rng.randint(1, 3)), "", "事業の検証", "（課題認識/", "今後の方針・", "改善点）", "",
           *bullets(rng, rng.randint(1, 3))]
    return out if last else out + [""]


def _logic_model_page(doc: Sheet, p: SheetProject, rng: random.Random) -> list[str]:
    legal = "法定" if p.statutory else "自主"
    r = doc.year - 2018
    out = [str(p.number), "", f"事業名 {p.name} {legal}", "", f"担当部・課 {p.unit[0]}　{p.unit[1]} 次年度方針 {p.direction}",
           "", *_money_lines(p, spaced=True), "－", "", "事業実績 短期成果 中期成果 最終成果", "",
           "項　目 " + " ".join(f"R{r + d}" for d in range(-1, 4)), "",
           f"{rng.randint(5, 120)} - - - -", "", f"{rng.choice(SUBJECTS)}の参加数（人） {rng.randint(10, 900)} - - - -", "",
           "法定/自主", "", "概要", "（目的と内容", "", "）", "",
           *wrap(sentence(rng) + sentence(rng) + _partner_sentence(p), 21), "",
           "財務内容", "単位（千円）", "", *_finance_labels(doc), "これまでの", "取組状況", "", "（主な取組と", "成果）", "",
           "ロジック", "モデル", "", "（政策の設計", "図）", ""]
    for _ in range(4):
        out += wrap(sentence(rng), 10) + [""]
    out += ["成果の推移", "（中期成果）", "", f"{rng.choice(SUBJECTS)}の協力件数（件）", "", "事業の検証",
            "（課題認識/今", "後の方針・改", "", "善点）", "", *bullets(rng, 2)]
    return out


def sheet_expected(doc: Sheet) -> dict[str, Any]:
    """The facts a correct extractor must produce from ``render_sheet(doc)``."""
    dept, div = doc.unit
    return {
        "_notes": [
            "Generated by bench/generate.py together with the document; same conventions as samples/*.expected.json.",
            "defects: lost_number = blocks printed without their number (line starts ' 事業名'); lost_name = the "
            "project printed without its name in its table row and block, the name printed after the legend headers "
            "and after its page's blocks; renamed_measure = a measure printed with another name on its detail pages.",
        ],
        "layout": "evaluation_sheet",
        "policy_goal": {"number": str(doc.goal_number), "name": doc.theme.goal},
        "policy": {"number": str(doc.policy_number), "name": doc.theme.policy},
        "policy_field": {"number": str(doc.field_number), "name": doc.theme.name, "vision": doc.theme.vision,
                         "department": dept, "division": div},
        "measures": [{"number": str(m.number), "name": m.name,
                      "alt_names": [m.header_name] if m.header_name != m.name else []} for m in doc.measures],
        "kpis": [_kpi_expected(k, doc.kpi_years) for k in doc.kpis],
        "strategy_pillars": {str(i): name for i, name in enumerate(PILLARS, 1)},
        "projects": [_project_expected(doc, p) for m in doc.measures for p in m.projects],
        "defects": {
            "lost_number": [[str(p.measure), str(p.number)] for m in doc.measures for p in m.projects if p.lost_number],
            "lost_name": [[str(p.measure), str(p.number)] for m in doc.measures for p in m.projects if p.lost_name],
            "renamed_measure": [str(m.number) for m in doc.measures if m.header_name != m.name],
            "full_width_budgets": [[str(p.measure), str(p.number)] for m in doc.measures for p in m.projects
                                   if p.full_width],
        },
    }


def _kpi_expected(k: Kpi, years: list[int]) -> dict[str, Any]:
    values: list[dict[str, Any]] = [
        {"role": "target", "fiscal_year": y, "value": plain_number(v), "printed": _kpi_cell(v)}
        for y, v in zip(years, k.targets)
    ]
    values.append({"role": "final_target", "fiscal_year": None, "value": plain_number(k.final),
                   "printed": _kpi_cell(k.final)})
    values += [{"role": "actual", "fiscal_year": y, "value": None if v is None else plain_number(v),
                "printed": _kpi_cell(v)} for y, v in zip(years, k.actuals)]
    if k.baseline is not None:
        v, y = k.baseline
        values.append({"role": "baseline", "fiscal_year": y, "value": plain_number(v), "printed": _kpi_cell(v)})
    return {"name": k.name, "unit": k.unit, "values": values}


def _project_expected(doc: Sheet, p: SheetProject) -> dict[str, Any]:
    budgets = []
    for category, _label in CATEGORIES:
        first, second = p.amounts[category]
        budgets += [{"fiscal_year": doc.year, "category": category, "status": "budget", "amount_jpy": first * 1000},
                    {"fiscal_year": doc.year + 1, "category": category, "status": "estimate",
                     "amount_jpy": second * 1000}]
    return {"measure": str(p.measure), "number": str(p.number), "name": p.name,
            "sdg_targets": [p.sdg] if p.sdg else [], "pillar": p.pillar, "priority": p.priority,
            "direction": p.direction, "legal_basis": "statutory" if p.statutory else "discretionary",
            "department": p.unit[0], "division": p.unit[1], "partners": list(p.partners), "budgets": budgets}


# =====================================================================================================
# Business plans (the layout of seed 001)
# =====================================================================================================

ROMAN = "ⅠⅡⅢⅣⅤ"
CIRCLED = "①②③④⑤"


@dataclass
class PlanAmount:
    category: str
    jpy: int
    printed: str
    funding: list[str]


@dataclass
class PlanIndicator:
    kind: str
    name: str
    unit: str
    value: Decimal | None


@dataclass
class PlanSub:
    number: str
    name: str
    amounts: list[PlanAmount] = field(default_factory=list)


@dataclass
class PlanProject:
    pillar: int
    area: int
    number: int
    name: str
    amounts: list[PlanAmount]
    subs: list[PlanSub]
    indicators: list[PlanIndicator]
    relisted: tuple[int, int, int] | None = None  # (pillar, area, number) of its second listing
    amount_first: bool = False
    amount_above_parts: bool = False  # its amount line is directly followed by its ① heading


@dataclass
class Plan:
    prefecture: str
    year: int
    pillars: list[str]
    areas: list[list[str]]  # per pillar
    projects: list[PlanProject]


def _yen_amount(rng: random.Random, funding: str | None, category: str = "total") -> PlanAmount:
    thousands = int(math.exp(rng.uniform(math.log(800), math.log(260_000))))
    printed = fullwidth(f"{thousands:,}") + "千円"
    return PlanAmount(category, thousands * 1000, printed, [funding] if funding else [])


def _plan_amounts(rng: random.Random, pref: str) -> list[PlanAmount]:
    kind = rng.random()
    if kind < 0.1:  # a fund: its size, then the year's cost paid from its income
        oku = rng.randint(1, 9)
        return [PlanAmount("fund_size", oku * 10**8, f"基金{fullwidth(str(oku))}億円", []),
                _yen_amount(rng, "基金運用益")]
    if kind < 0.2:  # a loan frame borrowed from the prefecture, then the running cost
        oku, man = rng.randint(1, 9), rng.randint(1, 9) * 1000
        frame = PlanAmount("loan_frame", oku * 10**8 + man * 10**4,
                           f"{fullwidth(str(oku))}億{fullwidth(f'{man:,}')}万円", [f"{pref}借入金"])
        return [frame, _yen_amount(rng, None)]
    return [_yen_amount(rng, rng.choice(FUNDERS).format(pref=pref))]


def make_plan(rng: random.Random, prefecture: str) -> Plan:
    """Draw the facts of one business plan."""
    n_pillars = rng.randint(2, 4)
    pillars = rng.sample(PLAN_PILLARS, n_pillars)
    area_pool = list(PLAN_AREAS)
    rng.shuffle(area_pool)
    project_pool = list(PLAN_PROJECTS)
    rng.shuffle(project_pool)
    areas: list[list[str]] = []
    projects: list[PlanProject] = []
    for p in range(1, n_pillars + 1):
        names = [area_pool.pop() for _ in range(rng.randint(1, 2))]
        areas.append(names)
        for a in range(1, len(names) + 1):
            for n in range(1, rng.randint(1, 3) + 1):
                if not project_pool:
                    break
                # parts come in twos and threes (a lone ① is not a pattern of the seeds)
                n_subs = rng.choice((0, 0, 2, 3))
                subs = [PlanSub(CIRCLED[i], s) for i, s in enumerate(rng.sample(PLAN_SUBS, n_subs))]
                pools = rng.sample(PLAN_INDICATORS, rng.randint(2, 4))
                inds = [PlanIndicator("key" if i == 0 else "activity", name, unit, _plan_value(rng, unit, size))
                        for i, (name, unit, size) in enumerate(pools)]
                if rng.random() < 0.2:
                    name, unit, _size = rng.choice([x for x in PLAN_INDICATORS if x not in pools])
                    inds.append(PlanIndicator("reference", name, unit, None))
                projects.append(PlanProject(p, a, n, project_pool.pop(), _plan_amounts(rng, prefecture), subs, inds,
                                            amount_first=rng.random() < 0.35))
    projects[0].amount_first = True  # the first page prints its amount before its heading (see _plan_page)
    for pr in projects:  # some parts print their own cost: a share of the project's, from the same source
        total = pr.amounts[-1]
        for s in pr.subs:
            if rng.random() < 0.25 and total.jpy >= 10_000_000:
                thousands = int(total.jpy // 1000 * rng.uniform(0.05, 0.3))
                s.amounts.append(PlanAmount("total", thousands * 1000, fullwidth(f"{thousands:,}") + "千円",
                                            list(total.funding) or [f"{prefecture}受託金"]))
    late = [(p, a) for p in range(2, n_pillars + 1) for a in range(1, len(areas[p - 1]) + 1)]
    if late and rng.random() < 0.4:  # a project listed again under a later area with （再掲）
        pr = rng.choice([x for x in projects if x.pillar == 1])
        p, a = rng.choice(late)
        number = 1 + sum(1 for x in projects if (x.pillar, x.area) == (p, a))
        pr.relisted = (p, a, number)
    return Plan(prefecture, rng.choice((2023, 2024, 2025)), pillars, areas, projects)


def _plan_value(rng: random.Random, unit: str, size: int) -> Decimal:
    if unit == "％":
        return Decimal(str(round(size * rng.uniform(0.8, 1.05), 1))).quantize(Decimal("0.1"))
    return Decimal(max(1, int(size * rng.uniform(0.5, 1.5))))


_plan_cell = _kpi_cell


def render_plan(plan: Plan, rng: random.Random) -> str:
    """The plan as a PDF text dump: a displaced outline, the clean outline, one page per project."""
    out: list[str] = []
    for p, names in enumerate(plan.areas[:2], 1):  # first outline: pillar lines displaced, later ones lost
        for a, area in enumerate(names, 1):
            out += [f"{' ' * 11}{fullwidth(str(a))} {area} ", ""]
            for pr in (x for x in plan.projects if (x.pillar, x.area) == (p, a)):
                out += [f"{' ' * 11}（{fullwidth(str(pr.number))}）{pr.name} ", ""]
        if p == 1:
            out += [" ", "", " ", ""]
    out += [f"{ROMAN[0]} {plan.pillars[0]} ", "", f"{ROMAN[1]} {plan.pillars[1]} "]  # displaced pillar lines
    out += [" ◆ 事業体系"]
    for p, name in enumerate(plan.pillars, 1):
        if p == 3:
            out += list("公益目的事業会計") + [fullwidth(str(rng.randint(1, 3))), ""]
        out += [(" " if p == 1 else "") + f"{ROMAN[p - 1]} {name}", ""]
        for a, area in enumerate(plan.areas[p - 1], 1):
            out += [f"{fullwidth(str(a))} {area}", ""]
            for pr in (x for x in plan.projects if (x.pillar, x.area) == (p, a)):
                out += [f"（{fullwidth(str(pr.number))}）{pr.name}", ""]
            for pr in (x for x in plan.projects if x.relisted and x.relisted[:2] == (p, a)):
                out += [f"（{fullwidth(str(pr.relisted[2]))}）{pr.name}（再掲）", ""]
    out += [f"{plan.prefecture}の産業振興の取組"]
    for i, pr in enumerate(plan.projects):
        out += _plan_page(plan, pr, rng, first=i == 0)
    out += _summary_page(plan, rng)
    return "\n".join(out) + "\n"


def _amount_line(amounts: list[PlanAmount]) -> str:
    if len(amounts) == 2 and amounts[0].category == "fund_size":
        return f"{amounts[0].printed}／事業費{amounts[1].printed} （{amounts[1].funding[0]}）"
    if len(amounts) == 2:
        return f"貸付予算枠{amounts[0].printed}（{amounts[0].funding[0]}）／事業費{amounts[1].printed}"
    a = amounts[0]
    return f"{a.printed} （{a.funding[0]}）" if a.funding else a.printed


def _indicator_lines(ind: PlanIndicator, rng: random.Random) -> list[str]:
    label, value = f"{ind.name}（{ind.unit}）", _plan_cell(ind.value)
    style = rng.random()
    if style < 0.5:
        return [f"{label} {value}", ""]
    if style < 0.8 or len(ind.name) < 6:
        return [label, value, ""]
    cut = len(ind.name) // 2
    return [ind.name[:cut], f"{ind.name[cut:]}（{ind.unit}）", "", value, ""]


def _indicator_block(pr: PlanProject, rng: random.Random) -> list[str]:
    out: list[str] = []
    for kind, label in (("key", ["重", "点"]), ("activity", ["活", "動"]), ("reference", ["参", "考"])):
        inds = [i for i in pr.indicators if i.kind == kind]
        if not inds:
            continue
        if kind != "activity":
            out += [rng.choice(("指 標 計画", "指標 計画")), ""]
        out += label + [""]
        for ind in inds:
            out += _indicator_lines(ind, rng)
    return out


def _plan_page(plan: Plan, pr: PlanProject, rng: random.Random, *, first: bool) -> list[str]:
    p_roman = ROMAN[pr.pillar - 1]
    crumb = [f"{p_roman} {plan.pillars[pr.pillar - 1]} {fullwidth(str(pr.area))} {plan.areas[pr.pillar - 1][pr.area - 1]}", ""]
    heading = [f"({pr.number}) {pr.name}", ""]
    amount = [_amount_line(pr.amounts), ""]
    description = wrap(f"{rng.choice(SUBJECTS)}に対し、{rng.choice(AIMS)}ため、{sentence(rng)}{sentence(rng)}", 27) + [""]
    subs: list[str] = []
    for s in pr.subs:
        subs += [f"{s.number} {s.name}", ""]
        if s.amounts:
            subs += wrap(sentence(rng), 27) + ["", _amount_line(s.amounts), ""]
    point = bullets(rng, rng.randint(1, 3), 24, years=False) + ["", "POINTG"]
    indicators = _indicator_block(pr, rng)
    if first:  # the first page after the outline opens with its description, as in the seeds
        body = description + subs + amount + heading + indicators + crumb + point
    elif pr.amount_first:  # the amount printed before its heading (the page starts with it)
        body = amount + heading + subs + description + indicators + crumb + point
    elif rng.random() < 0.5:
        body = crumb + heading + amount + description + subs + indicators + point
    else:
        body = heading + amount + subs + crumb + indicators + point + [""] + description[:-1]
        pr.amount_above_parts = bool(subs)
    body[0] = " " + body[0]  # a new page: its first line starts with a space
    return body


def _summary_page(plan: Plan, rng: random.Random) -> list[str]:
    n = plan.year - 2018
    out = [f" １ 令和{fullwidth(str(n))}年度 収支予算の概要", "", "当初予算", f"（令和{fullwidth(str(n))}年度）", "",
           "前年度予算", f"（令和{fullwidth(str(n - 1))}年度)", "", "増 減", ""]
    for item in ("経常収益", "経常費用", "当期経常増減額", "経常外収益", "経常外費用"):
        a, b = rng.randint(-90_000, 3_000_000), rng.randint(-90_000, 3_000_000)
        cells = [f"{abs(v):,}" if v >= 0 else f"▲{abs(v):,}" for v in (a, b, a - b)]
        out += [f"{item} {' '.join(cells)}", ""]
    return out + ["(千円)"]


def plan_expected(plan: Plan) -> dict[str, Any]:
    """The facts a correct extractor must produce from ``render_plan(plan)``."""
    return {
        "_notes": [
            "Generated by bench/generate.py together with the document; same conventions as samples/*.expected.json.",
            "Parents are written <pillar>-<area>; amount_first projects print their amount line before their heading.",
        ],
        "layout": "business_plan",
        "fiscal_year": plan.year,
        "pillars": [{"number": ROMAN[i], "name": name} for i, name in enumerate(plan.pillars)],
        "areas": [{"pillar": ROMAN[p], "number": str(a), "name": name}
                  for p, names in enumerate(plan.areas) for a, name in enumerate(names, 1)],
        "projects": [_plan_project_expected(pr) for pr in plan.projects],
        "defects": {
            "amount_before_heading": [_plan_path(pr) for pr in plan.projects if pr.amount_first],
            "relisted": [_plan_path(pr) for pr in plan.projects if pr.relisted],
            "amount_above_parts": [_plan_path(pr) for pr in plan.projects if pr.amount_above_parts],
        },
    }


def _plan_path(pr: PlanProject) -> str:
    return f"{ROMAN[pr.pillar - 1]}-{pr.area}-{pr.number}"


def _amount_expected(a: PlanAmount) -> dict[str, Any]:
    return {"category": a.category, "amount_jpy": a.jpy, "printed": a.printed, "funding": list(a.funding)}


def _plan_project_expected(pr: PlanProject) -> dict[str, Any]:
    parents = [f"{ROMAN[pr.pillar - 1]}-{pr.area}"]
    if pr.relisted:
        parents.append(f"{ROMAN[pr.relisted[0] - 1]}-{pr.relisted[1]}")
    return {
        "number": str(pr.number), "name": pr.name, "parents": parents,
        "amounts": [_amount_expected(a) for a in pr.amounts],
        "sub_projects": [{"number": s.number, "name": s.name, "amounts": [_amount_expected(a) for a in s.amounts]}
                         for s in pr.subs],
        "indicators": [{"kind": i.kind, "name": i.name, "unit": i.unit,
                        "value": None if i.value is None else plain_number(i.value)} for i in pr.indicators],
    }


# =====================================================================================================
# Corpus
# =====================================================================================================


def city_name(rng: random.Random) -> str:
    return rng.choice(CITY_HEADS) + rng.choice(CITY_TAILS) + "市"


def city_documents(seed: int, city: int) -> list[tuple[str, str, dict[str, Any]]]:
    """(file stem, text, expected facts) of every document of one city; depends only on (seed, city)."""
    rng = random.Random(f"policy-kg/{GENERATOR_VERSION}/{seed}/{city}")
    name = city_name(rng)
    docs: list[tuple[str, str, dict[str, Any]]] = []
    themes = rng.sample(range(len(FIELDS)), rng.randint(2, 5))
    for k, t in enumerate(themes, 1):
        sheet = make_sheet(rng, name, FIELDS[t], field_number=t * 2 + rng.randint(1, 2))
        text = render_sheet(sheet, rng)
        docs.append((f"c{city:05d}_sheet{k:02d}", text, sheet_expected(sheet)))
    if rng.random() < 0.3:
        plan = make_plan(rng, rng.choice(PREFECTURES))
        docs.append((f"c{city:05d}_plan", render_plan(plan, rng), plan_expected(plan)))
    return docs


def generate_corpus(out: str | Path, cities: int, seed: int, *, max_documents: int | None = None,
                    expected: bool = True) -> list[Path]:
    """Write the documents of ``cities`` cities (and their ``.expected.json``) into ``out``.

    Same ``seed`` → identical bytes; city ``k`` is the same whatever ``cities`` is, so a larger
    corpus extends a smaller one. Returns the document paths in order.
    """
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for city in range(1, cities + 1):
        for stem, text, facts in city_documents(seed, city):
            if max_documents is not None and len(paths) >= max_documents:
                return paths
            path = folder / f"{stem}.txt"
            path.write_bytes(text.encode("utf-8"))
            if expected:
                (folder / f"{stem}{EXPECTED_SUFFIX}").write_text(
                    json.dumps(facts, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            paths.append(path)
    return paths


def cities_for(documents: int) -> int:
    """A number of cities whose corpus has at least ``documents`` documents (about 4 per city)."""
    return documents // 3 + 10


# =====================================================================================================
# Checking an extractor against the expected facts
# =====================================================================================================


def _norm(text: Any) -> str:
    """Compare form: NFKC, no spaces, no brackets around numbers ((1) → 1)."""
    s = unicodedata.normalize("NFKC", str(text)).replace(" ", "")
    return re.sub(r"^\((\d+)\)$", r"\1", s)


def _dec(value: Any) -> str | None:
    return None if value is None else plain_number(Decimal(str(value)).normalize())


def expected_facts(expected: dict[str, Any]) -> dict[tuple, str]:
    """Flat facts of an expected file → the defect pattern each one exercises ("" for none)."""
    if expected["layout"] == "evaluation_sheet":
        return _sheet_facts(expected)
    return _plan_facts(expected)


def _sheet_facts(e: dict[str, Any]) -> dict[tuple, str]:
    d = e["defects"]
    lost_number = {tuple(x) for x in d["lost_number"]}
    lost_name = {tuple(x) for x in d["lost_name"]}
    full = {tuple(x) for x in d["full_width_budgets"]}
    facts: dict[tuple, str] = {("field", _norm(e["policy_field"]["number"]), _norm(e["policy_field"]["name"])): ""}
    for m in e["measures"]:
        facts[("measure", _norm(m["number"]), _norm(m["name"]))] = ""
        for alt in m["alt_names"]:
            facts[("measure-alt", _norm(m["number"]), _norm(alt))] = "renamed measure on detail pages"
    for k in e["kpis"]:
        facts[("kpi", _norm(k["name"]), _norm(k["unit"]))] = ""
        for v in k["values"]:
            facts[("kpi-value", _norm(k["name"]), v["role"], v["fiscal_year"], _dec(v["value"]))] = (
                "baseline printed among the notes" if v["role"] == "baseline" else "")
    for p in e["projects"]:
        key = (p["measure"], p["number"])
        defect = "; ".join(x for x, hit in (("number lost (' 事業名' block)", key in lost_number),
                                            ("name displaced after the legend", key in lost_name),
                                            ("full-width budget digits", key in full)) if hit)
        pid = ("project", _norm(p["measure"]), _norm(p["number"]))
        facts[pid + ("name", _norm(p["name"]))] = defect
        facts[pid + ("sdg", tuple(sorted(p["sdg_targets"])))] = defect
        facts[pid + ("pillar", p["pillar"])] = defect
        facts[pid + ("priority", p["priority"])] = defect
        facts[pid + ("direction", p["direction"])] = defect
        facts[pid + ("legal_basis", p["legal_basis"])] = defect
        facts[pid + ("unit", _norm(p["department"]), _norm(p["division"]))] = defect
        for b in p["budgets"]:
            facts[pid + ("amount", b["category"], b["fiscal_year"], b["status"], b["amount_jpy"])] = defect
        for name in p.get("partners", []):
            facts[pid + ("partner", _norm(name))] = defect
    return facts


def _plan_facts(e: dict[str, Any]) -> dict[tuple, str]:
    d = e["defects"]
    first = set(d["amount_before_heading"])
    relisted = set(d["relisted"])
    above_parts = set(d.get("amount_above_parts", []))
    facts: dict[tuple, str] = {("fiscal_year", e["fiscal_year"]): ""}
    for p in e["pillars"]:
        facts[("pillar", _norm(p["number"]), _norm(p["name"]))] = ""
    for a in e["areas"]:
        facts[("area", _norm(a["pillar"]), _norm(a["number"]), _norm(a["name"]))] = ""
    for pr in e["projects"]:
        path = f"{pr['parents'][0]}-{pr['number']}"
        defect = "; ".join(x for x, hit in (("amount printed before its heading", path in first),
                                            ("re-listed （再掲）", path in relisted),
                                            ("project amount directly above its ① heading", path in above_parts))
                           if hit)
        pid = ("project", _norm(pr["parents"][0]), _norm(pr["number"]))
        facts[pid + ("name", _norm(pr["name"]))] = ""
        for parent in pr["parents"][1:]:
            facts[pid + ("parent", _norm(parent))] = "re-listed （再掲）"
        for a in pr["amounts"]:
            facts[pid + ("amount", a["category"], a["amount_jpy"], tuple(sorted(_norm(f) for f in a["funding"])))] = defect
        for s in pr["sub_projects"]:
            facts[pid + ("sub", _norm(s["number"]), _norm(s["name"]))] = ""
            for a in s["amounts"]:
                facts[pid + ("sub-amount", _norm(s["number"]), a["category"], a["amount_jpy"],
                             tuple(sorted(_norm(f) for f in a["funding"])))] = "part's amount printed below its ① heading"
        parts = "project indicators printed after its parts ①②…" if pr["sub_projects"] else ""
        for i in pr["indicators"]:
            facts[pid + ("indicator", i["kind"], _norm(i["name"]), _norm(i["unit"]), _dec(i["value"]))] = parts
    return facts


def record_facts(record: Any) -> set[tuple]:
    """The same flat facts, read from an extracted ``DocumentRecord``."""
    if record.layout == "evaluation_sheet":
        return _record_sheet_facts(record)
    return _record_plan_facts(record)


def _strip_unit(name: str, unit: str | None) -> str:
    n = _norm(name)
    if unit and n.endswith(f"({_norm(unit)})"):
        n = n[: -len(_norm(unit)) - 2]
    return n


def _record_sheet_facts(r: Any) -> set[tuple]:
    facts: set[tuple] = set()
    numbers = {e.key: _norm(e.number) for e in r.elements}
    for e in r.elements:
        if e.level == "policy_field":
            facts.add(("field", _norm(e.number), _norm(e.name)))
        if e.level == "measure":
            facts.add(("measure", _norm(e.number), _norm(e.name)))
            facts.update(("measure-alt", _norm(e.number), _norm(a)) for a in e.alt_names)
    for k in r.indicators:
        facts.add(("kpi", _norm(k.name), _norm(k.unit)))
        for v in k.values:
            facts.add(("kpi-value", _norm(k.name), v.role, v.fiscal_year, _dec(v.value)))
    for p in r.projects:
        for parent in p.parents:
            pid = ("project", numbers.get(parent, "?"), _norm(p.number))
            facts.add(pid + ("name", _norm(p.name)))
            facts.add(pid + ("sdg", tuple(sorted(p.sdg_targets))))
            facts.add(pid + ("pillar", p.pillar))
            facts.add(pid + ("priority", p.priority))
            facts.add(pid + ("direction", p.direction))
            facts.add(pid + ("legal_basis", p.legal_basis))
            if p.unit is not None:
                facts.add(pid + ("unit", _norm(p.unit.department), _norm(p.unit.division)))
            for a in p.amounts:
                facts.add(pid + ("amount", a.category, a.fiscal_year, a.status, a.jpy))
            facts.update(pid + ("partner", _norm(o.name)) for o in p.partners)
    return facts


def _record_plan_facts(r: Any) -> set[tuple]:
    facts: set[tuple] = set()
    if r.fiscal_year is not None:
        facts.add(("fiscal_year", r.fiscal_year))
    by_key = {e.key: e for e in r.elements}

    def path(key: str) -> str:
        e = by_key.get(key)
        if e is None:
            return "?"
        parent = by_key.get(e.parent) if e.parent else None
        return f"{_norm(parent.number)}-{_norm(e.number)}" if parent else _norm(e.number)

    for e in r.elements:
        if e.level == "programme":
            facts.add(("pillar", _norm(e.number), _norm(e.name)))
        elif e.level == "measure" and e.parent in by_key:
            facts.add(("area", _norm(by_key[e.parent].number), _norm(e.number), _norm(e.name)))
    for p in r.projects:
        if not p.parents:
            continue
        pid = ("project", path(p.parents[0]), _norm(p.number))
        facts.add(pid + ("name", _norm(p.name)))
        facts.update(pid + ("parent", path(parent)) for parent in p.parents[1:])
        for a in p.amounts:
            facts.add(pid + ("amount", a.category, a.jpy, tuple(sorted(_norm(f.label) for f in a.funding))))
        for s in p.sub_projects:
            facts.add(pid + ("sub", _norm(s.number), _norm(s.name)))
            for a in s.amounts:
                facts.add(pid + ("sub-amount", _norm(s.number), a.category, a.jpy,
                                 tuple(sorted(_norm(f.label) for f in a.funding))))
        for i in p.indicators:
            for v in i.values or [None]:
                value = None if v is None else _dec(v.value)
                facts.add(pid + ("indicator", i.kind, _strip_unit(i.name, i.unit), _norm(i.unit), value))
    return facts


@dataclass(frozen=True)
class Miss:
    """An expected fact the extractor did not produce, with the defect pattern it exercises."""

    document: str
    fact: tuple
    defect: str

    def __str__(self) -> str:
        return f"{self.document}: {self.fact}" + (f"  [{self.defect}]" if self.defect else "")


def check_document(path: Path, record: Any) -> tuple[int, list[Miss]]:
    """(number of expected facts, those missing from ``record``) for the document at ``path``."""
    expected = json.loads(path.with_name(path.stem + EXPECTED_SUFFIX).read_text(encoding="utf-8"))
    facts = expected_facts(expected)
    got = record_facts(record)
    return len(facts), [Miss(path.name, f, d) for f, d in facts.items() if f not in got]


# =====================================================================================================
# Command line
# =====================================================================================================


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description="Write a synthetic corpus of policy documents with expected facts.")
    add_arguments(parser)
    return parser


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--cities", type=int, required=True, help="number of cities (about 4 documents each)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: %(default)s)")
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument("--max-documents", type=int, default=None, help="stop after this many documents")
    parser.add_argument("--no-expected", action="store_true", help="do not write <name>.expected.json files")


def run(args: argparse.Namespace) -> int:
    paths = generate_corpus(args.out, args.cities, args.seed, max_documents=args.max_documents,
                            expected=not args.no_expected)
    print(f"wrote {len(paths)} documents to {args.out}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    return run(build_parser().parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
