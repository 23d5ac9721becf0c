"""Helpers shared by the search tests: a synthetic Arabic corpus and running Node.

The corpus is made here rather than shipped: a few hundred sentences composed from news
phrases, plus a long tail of person names and numbers so the term list looks like an archive's
(a handful of very common words, many rare ones). Same seed, same corpus.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from arshif.search import SearchDoc, SearchIndex

REPO = Path(__file__).resolve().parent.parent

_SUBJECTS = (
    "الحكومة العراقية", "وزارة الدفاع", "حلف الناتو", "الأمين العام للأمم المتحدة",
    "رئيس الوزراء", "البرلمان", "المفوضية العليا للانتخابات", "وزير الخارجية",
    "قيادة العمليات المشتركة", "مجلس الأمن", "البنك المركزي", "وزارة النفط",
    "محافظ البصرة", "الاتحاد الأوروبي", "منظمة الصحة العالمية", "وزارة الصحة",
)  # fmt: skip
_VERBS = (
    "أعلنت", "أكدت", "نفت", "بحثت", "رفضت", "قررت", "ناقشت", "دعت", "طالبت", "وقّعت",
    "استعرضت", "تابعت",
)  # fmt: skip
_OBJECTS = (
    "زيادة عدد القوات", "خطة لإعادة الإعمار", "اتفاقية للتعاون الأمني", "موازنة العام المقبل",
    "إجراءات لمكافحة الفساد", "مشروعًا لتأهيل الكهرباء", "تمديد مهمة التدريب",
    "رفع أسعار الوقود", "إطلاق سراح المعتقلين", "تشكيل لجنة تحقيق", "تعزيز الحدود",
    "دعم النازحين", "إصلاح القطاع المصرفي", "حماية المواقع الأثرية", "تأمين الانتخابات",
)  # fmt: skip
_PLACES = (
    "في بغداد", "في البصرة", "في الموصل", "في أربيل", "في كركوك", "في الأنبار", "في بروكسل",
    "في واشنطن", "في طهران", "في عمّان", "بالعراق", "للعاصمة", "في النجف", "في كربلاء",
)  # fmt: skip
_TIMES = (
    "اليوم الخميس", "يوم الأحد الماضي", "خلال الأسبوع الجاري", "مساء الثلاثاء",
    "في ختام اجتماعها", "بعد مشاورات طويلة", "وسط انتقادات واسعة", "رغم التحفظات",
)  # fmt: skip
_CLOSERS = (
    "وأشار المتحدث إلى أن القرار يدخل حيز التنفيذ الشهر المقبل.",
    "ولم تصدر أي تعليقات رسمية من الجهات المعنية حتى الآن.",
    "وقال مراقبون إن الخطوة تأتي في سياق التوتر الإقليمي.",
    "وأضاف البيان أن اللجنة ستقدم تقريرها خلال ثلاثين يومًا.",
    "ويأتي ذلك بعد أسابيع من المفاوضات الشاقة بين الأطراف.",
    "وأكد مصدر مطلع أن الاجتماع المقبل سيُعقد في العاصمة.",
)  # fmt: skip
_GIVEN = (
    "محمد", "أحمد", "علي", "حسين", "مصطفى", "قاسم", "فؤاد", "نوري", "حيدر", "عادل", "برهم",
    "هوشيار", "إياد", "سليم", "جعفر", "عمار", "مقتدى", "هادي", "فالح", "خالد", "ينس", "أنطونيو",
)  # fmt: skip
# Syllables for invented family names: a long tail of rare words, like an archive's names.
_SYLLABLES = ("الـ", "كا", "ظم", "ربي", "عي", "سا", "مر", "دي", "نا", "جبو", "ري", "ها", "شم")


def arabic_sentences(count: int = 300, seed: int = 2021) -> list[str]:
    """`count` distinct news-style sentences."""
    rng = random.Random(seed)
    sentences: dict[str, None] = {}
    while len(sentences) < count:
        sentence = (
            f"{rng.choice(_VERBS)} {rng.choice(_SUBJECTS)} {rng.choice(_TIMES)} "
            f"{rng.choice(_OBJECTS)} {rng.choice(_PLACES)}."
        )
        if rng.random() < 0.3:
            sentence += " " + rng.choice(_CLOSERS)
        sentences[sentence] = None
    return list(sentences)


def _family_names(count: int, rng: random.Random) -> list[str]:
    names: dict[str, None] = {}
    while len(names) < count:
        parts = [rng.choice(_SYLLABLES).replace("ـ", "") for _ in range(rng.randint(2, 4))]
        names["".join(parts) + rng.choice(("ي", "ان", "وي", ""))] = None
    return list(names)


def synthetic_corpus(count: int = 10_000, seed: int = 7) -> list[SearchDoc]:
    """`count` articles of 6-14 sentences each, with names, figures and dates."""
    rng = random.Random(seed)
    sentences = arabic_sentences()
    families = _family_names(3_000, rng)
    docs = []
    for number in range(count):
        body = rng.sample(sentences, rng.randint(6, 14))
        person = f"{rng.choice(_GIVEN)} {rng.choice(families)}"
        body.insert(
            rng.randint(0, len(body)), f"وصرح {person} بأن العدد بلغ {rng.randint(2, 99999)}."
        )
        year, month, day = rng.randint(2003, 2023), rng.randint(1, 12), rng.randint(1, 28)
        docs.append(
            SearchDoc(
                url=f"articles/{year}/{number:05d}.html",
                title=body[0].rstrip("."),
                date=f"{year}-{month:02d}-{day:02d}",
                date_text=f"{day} / {month} / {year}",
                source=rng.choice(("الفرات نيوز", "السومرية", "شفق نيوز")),
                body=" ".join(body[1:]),
            )
        )
    return docs


def write_index(index: SearchIndex, site: Path) -> None:
    """Write the built files and the static scripts where a built site would have them."""
    for relative, data in index.files.items():
        path = site / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (site / "static").mkdir(parents=True, exist_ok=True)
    for script in ("arabic.js", "search.js"):
        shutil.copyfile(REPO / "static" / script, site / "static" / script)


def node_or_skip() -> str:
    """Path to node; skip without it, except under CI where a missing node is a failure."""
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI") == "true":
            pytest.fail("node is required under CI=true but was not found on PATH")
        pytest.skip("node is not installed")
    return node


def run_query(site: Path, query: str, page: int = 1) -> dict[str, Any]:
    """Ask static/search.js (under Node) what the browser would show for `query`."""
    result = subprocess.run(
        [
            node_or_skip(),
            str(REPO / "tests" / "js" / "query_index.js"),
            str(site),
            query,
            str(page),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    answer: dict[str, Any] = json.loads(result.stdout)
    return answer
