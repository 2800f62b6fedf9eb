"""Counts of people (and a few other counted things) with their qualifier, in English and Arabic.

:func:`find_counts` reads every number of :func:`dhakira.extract.numbers.find_numbers` and keeps
those that count something:

* **What is counted** comes from a lexicon of counted nouns, lemma-normalised ("detainees",
  "معتقلين", "موقوفاً" → ``detainees``; "inmates", "سجناء" → ``prisoners``; "حالات اختناق",
  "cases of suffocation" → ``suffocation_cases``), read in the few words after the number (or before
  it: "death toll rose to 25", "عدد المعتقلين … سبعة آلاف", "شخص واحد"). When the clause also says
  what happened to generic people ("killed at least 25 prisoners", "مقتل نحو 25 سجيناً",
  "73 people were released"), ``what`` names the event instead (``killed``, ``dead``, ``released``,
  ``arrested``, ``died_under_torture`` ...); specific nouns (``hostages``, ``injured``,
  ``suffocation_cases``, ``missing`` ...) always win.
* **Qualifier**: ``at_least`` (at least, no fewer than, ما لا يقل عن، على الأقل, "25+"), ``over``
  (more than, over, exceeded, أكثر من، تجاوز، ما يزيد على), ``about`` (about, around, nearly, an
  estimated, نحو، حوالي، قرابة) and ``exact``. Upper bounds ("up to", "as many as", "no more than",
  "لا يتعدى") are reported as ``about`` (:data:`UPPER_BOUND_QUALIFIER`), the convention of the
  evaluation gold; the contract's ``up_to`` stays available to callers that want to map them back.
* **Not counts**: dates and years, times, ages ("aged 31", "66-year-old"), durations and distances
  ("30-year sentences", "10 km"), ordinals, percentages, money, phone numbers, and identifiers after
  "No.", "Decree", "Article", "Branch", "رقم", "المرسوم", "الفرع", "المادة" ...
* **Vague quantities** ("dozens", "hundreds", "عشرات", "آلاف") are not returned: they have no integer.
* A number with no counted noun is returned (``what=None``) only when a qualifier marks it as a
  count ("more than 30") or when it closes a "label: number" list line ("Government forces: 231"),
  where it takes the ``what`` of the count that introduces the list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dhakira.extract.numbers import DIACRITICS, NumberMention, find_numbers, fold
from dhakira.text.dates import DateMention, find_dates

__all__ = ["CountMention", "UPPER_BOUND_QUALIFIER", "find_counts"]

UPPER_BOUND_QUALIFIER = "about"


@dataclass(frozen=True)
class CountMention:
    """A count: span of the whole phrase (qualifier included), value, qualifier and what is counted."""

    start: int
    end: int
    value: int
    qualifier: str
    what: str | None
    what_span: tuple[int, int] | None


_D = f"[{DIACRITICS}]*"
_AR_TAIL = rf"(?![\w{DIACRITICS}])"

# --- Qualifiers (matched on folded text, immediately before the number) ---------------------------------

_QUALIFIERS_BEFORE: list[tuple[str, str]] = [
    ("at_least", r"at\s+least|no\s+fewer\s+than|no\s+less\s+than|not\s+less\s+than|a\s+minimum\s+of|minimum\s+of"),
    ("at_least", r"(?:ما\s+)?لا\s+(?:يقل|تقل)\s+(?:عددهم\s+|عددهن\s+)?(?:عن|على)|علي\s+الاقل|بما\s+لا\s+يقل\s+عن"),
    ("over", r"more\s+than|over|upwards\s+of|in\s+excess\s+of|exceeding|exceeded|exceeds|surpassed|topped|above"),
    ("over", r"(?:ما\s+)?(?:يزيد|تزيد|يربو)\s+(?:عددهم\s+)?(?:علي|عن)|اكثر\s+من|ازيد\s+من|ما\s+يفوق|يفوق|فاق"
             r"|تجاوز(?:ت|وا)?|يتجاوز|تخطي|يتخطي|تخطت|تجاوز\s+عددهم|زاد\s+عددهم\s+عن|زاد\s+عن|نيف\s+و"),
    ("about", r"about|around|some|nearly|almost|approximately|roughly|an\s+estimated|estimated|close\s+to|"
              r"an\s+approximate|approx\.?"),
    ("about", r"نحو|حوالي|حوالى|قرابه|زهاء|(?:ما\s+)?يقارب|(?:ما\s+)?يقرب\s+من|(?:ما\s+)?يناهز|تقريبا\s+"),
    (UPPER_BOUND_QUALIFIER, r"up\s+to|as\s+many\s+as|no\s+more\s+than|not\s+more\s+than|fewer\s+than|less\s+than|"
                            r"at\s+most|a\s+maximum\s+of|maximum\s+of"),
    (UPPER_BOUND_QUALIFIER, r"(?:ما\s+)?لا\s+(?:يتعدي|تتعدي|يتجاوز|تتجاوز|يزيد\s+عن|يزيد\s+علي|تزيد\s+عن)|اقل\s+من"
                            r"|حتي"),
]
_QUALIFIER_GROUPS = [f"q{index}" for index in range(len(_QUALIFIERS_BEFORE))]
_QUALIFIER_BEFORE = re.compile(
    "(?:" + "|".join(f"(?P<q{index}>(?<![\\w]){pattern})" for index, (_, pattern) in enumerate(_QUALIFIERS_BEFORE))
    + r")[\s:]*$"
)
_QUALIFIER_AFTER = re.compile(rf"^\s*(?:[,،]\s*)?(?P<q>at\s+least|على\s+الاقل|علي\s+الاقل|تقريبا|or\s+more|and\s+more|ونيف|"
                              rf"او\s+اكثر|or\s+so){_AR_TAIL}")

# --- Not counts ------------------------------------------------------------------------------------------

_ID_BEFORE = re.compile(
    r"(?:(?<![\w])(?:no|nos|nr|number|num|#|decree|decrees|law|laws|resolution|article|articles|art|paragraph|para|"
    r"clause|item|section|chapter|page|pages|p|pp|branch|division|brigade|regiment|battalion|unit|room|cell|ward|"
    r"wing|block|dormitory|building|floor|gate|bus|route|road|highway|file|case|tel|phone|fax|mobile|"
    r"code|volume|vol|issue|session|version|grade|class|level|category|term|round|batch|part|step|phase|"
    r"aged|age|ages|of\s+age|age\s+of|zone|sector|district|lot|plot|"
    r"appendix|annex|figure|table|footnote|protocol)\b\.?"
    r"|(?<![\w])[وفبل]?(?:رقم|المرسوم|مرسوم|بالمرسوم|للمرسوم|القانون|قانون|المواد|الماده|ماده|للماده|بالماده|الفقره|فقره|البند|بند|"
    r"الفرع|فرع|بالفرع|للفرع|الفرقه|فرقه|اللواء|لواء|الكتيبه|كتيبه|الجناح|جناح|المهجع|مهجع|الزنزانه|زنزانه|"
    r"المنفرده|الغرفه|غرفه|القرار|قرار|الصفحه|صفحه|هاتف|الهاتف|جوال|الجوال|الباب|عمره|عمرها|عمرهم|"
    r"العمر|عمر|سن|السن|الدفعه|دفعه|المرحله|مرحله|الجوله|جوله|قطاع|القطاع|الطابق|طابق|المبني|مبني|"
    r"الجلسه|جلسه|الدوره|دوره))\s*[:#/\-]?\s*$"
)
_UNIT_AFTER = re.compile(
    r"\s*(?:-\s*)?(?:%|٪|percent|per\s*cent|pc\b|percentage|am\b|pm\b|a\.m|p\.m|o'clock|gmt|utc|h\b|hrs?\b|"
    r"years?|yrs?|months?|weeks?|days?|hours?|minutes?|mins?|seconds?|decades?|centuries|century|nights?|"
    r"km|kms|kilomet(?:er|re)s?|met(?:er|re)s?|miles?|m\b|cm|mm|kg|kilos?|kilograms?|grams?|tons?|tonnes?|"
    r"litres?|liters?|square|sq\b|times|fold|st\b|nd\b|rd\b|th\b|per\b|"
    r"dollars?|usd|us\$|\$|euros?|eur\b|€|pounds?|£|lira|liras|lire|syp|s\.p|"
    r"-year|-month|-day|-week|-hour|-minute|-metre|-meter|-mile|-km)"
    r"|\s*(?:عام(?:ا|ًا|اً)?|اعوام|سنه|سنوات|سنين|سنتين|شهر(?:ا|ًا|اً)?|اشهر|شهور|يوم(?:ا|ًا|اً)?|ايام|اسبوع(?:ا|ًا|اً)?|"
    r"اسابيع|ساعه|ساعات|دقيقه|دقائق|ثانيه|ثوان|عقد|عقود|قرن|كم|كلم|كيلومتر(?:ا|ات)?|كيلو|متر(?:ا|ًا|اً)?|امتار|ميل|"
    r"كغ|كيلوغرام|غرام|طن|اطنان|لتر|مره|مرات|ضعف|اضعاف|بالمئه|بالمائه|في\s*المئه|في\s*المائه|بالميه|"
    r"دولار(?:ا|ًا|اً)?|دولارات|ليره|ليرات|يورو|جنيه|درهم|دينار|ريال|ل\.س|مليار\s+دولار|"
    r"درجه|درجات|صفحه|صفحات|طابق|طوابق|جناح(?:ا|ًا|اً)?|اجنحه|مهجع(?:ا|ًا|اً)?|زنزانه|زنزانات|غرفه|غرف|"
    r"مبني|مباني|كتله|سيار(?:ه|ات)|حافل(?:ه|ات)|منظمه|منظمات|مدينه|مدن|قريه|قري|بلد(?:ه|ات)|"
    r"سجن(?:ا|ًا|اً)?|سجون|فرع(?:ا|ًا|اً)?|فروع|مركز(?:ا|ًا|اً)?|مراكز|غاره|غارات|قذيفه|قذائف|صاروخ|صواريخ)"
    rf"{_AR_TAIL}",
    re.IGNORECASE,
)
_UNIT_BEFORE = re.compile(
    r"(?:السنوات|الاعوام|الاشهر|الشهور|الايام|الاسابيع|الساعات|الدقائق|العقود|الكيلومترات)\s+(?:الـ|ال)?\s*$"
    r"|(?:the\s+)?(?:past|last|next|first|previous|coming)\s+$"
)
_MONEY_BEFORE = re.compile(r"(?:[$€£]|usd|us\$|syp|eur)\s*$", re.IGNORECASE)
_AGE_AFTER = re.compile(r"\s*(?:-?\s*years?\s*-?\s*old|-year-old|yo\b)", re.IGNORECASE)
_PHONE = re.compile(r"\+?\d[\d\s\-()]{6,}\d")
# A family told about, not people counted: "her five children", «أطفالها الخمسة».
_OWNER_BEFORE = re.compile(r"\b(?:her|his|their|my|our|your)\s+$")
_KIN_BEFORE = re.compile(r"(?:ابناء|اطفال|اولاد|بنات|اخوه|اخوات|اشقاء|شقيقات)(?:ه|ها|هم|ي|نا)\s+(?:ال)?$")
# What a prison or a cell is built to hold is no count of people: "can accommodate as many as 10,000",
# "a cell holding over 50 people", «طاقته الاستيعابية 2500».
_CAPACITY_BEFORE = re.compile(
    r"(?:\b(?:capacity|accommodate|designed\s+for|built\s+for|built\s+to\s+hold|meant\s+to\s+hold)"
    r"(?:\s+(?:of|is|was|for|up\s+to|as\s+many\s+as|around|about|some|nearly|only|just|more\s+than)){0,3}"
    r"|\b(?:cell|cells|room|rooms|dormitory|ward)\s+(?:holding|housing|crammed\s+with|packed\s+with)"
    r"(?:\s+(?:over|more\s+than|about|around|some|nearly|up\s+to|as\s+many\s+as)){0,2}"
    r"|(?:طاق|قدر)\w*\s+(?:ال)?استيعابي\w*(?:\s+\S+){0,3})\s*$")
_KIN_AFTER = re.compile(r"\s*(?:young\s+)?(?:children|sons|daughters|kids|brothers|sisters|siblings|grandchildren)\b")

# --- Counted nouns ---------------------------------------------------------------------------------------

# (label, pattern) — English patterns on lower-cased text; Arabic ones on folded text.
# Order matters: the first pattern matching at a position wins.
_SPECIFIC = "specific"
_GENERIC = "generic"
_NOUNS: list[tuple[str, str, str]] = [
    ("suffocation_cases", r"cases?\s+of\s+(?:suffocation|asphyxia(?:tion)?)|suffocation\s+cases?", _SPECIFIC),
    ("suffocation_cases", r"حال(?:ه|ات)\s+(?:ال)?اختناق", _SPECIFIC),
    ("fainting_cases", r"cases?\s+of\s+fainting|حال(?:ه|ات)\s+(?:ال)?اغماء", _SPECIFIC),
    ("hostages", r"hostages?|رهين(?:ه|ا|اً|ًا)?|رهائن|كرهائن", _SPECIFIC),
    ("injured", r"injured|wounded|injuries|جريح(?:ا|اً|ًا)?|جرحي|مصاب(?:ين|ون|ا|اً|ًا)?|اصابات", _SPECIFIC),
    ("killed", r"killed|fatalities|قتيل(?:ا|اً|ًا)?|قتلي", _SPECIFIC),
    ("dead", r"dead|deaths|bodies|corpses|جث(?:ه|ث)|وفيات|حالات\s+وفاه|حالات\s+الوفاه", _SPECIFIC),
    ("executed", r"executions|executed|اعدامات|حالات\s+اعدام", _SPECIFIC),
    ("missing", r"missing|disappeared|مفقود(?:ين|ون|ا|اً|ًا)?|مختف(?:ين|ون|يا|ي|ًا)?|مغيب(?:ين|ون)?", _SPECIFIC),
    ("mass_graves", r"mass\s+graves?|مقابر\s+جماعيه|مقبره\s+جماعيه", _SPECIFIC),
    ("casualties", r"casualties|ضحي(?:ه)?|ضحايا", _SPECIFIC),
    ("victims", r"victims", _SPECIFIC),
    ("votes", r"votes?|اصوات|صوت(?:ا|اً|ًا)?", _SPECIFIC),
    ("abstentions", r"abstentions?|abstained|abstaining|ممتنع(?:ين|ون)?|امتنع(?:ت)?\s+عن\s+التصويت", _SPECIFIC),
    ("votes_against", r"(?:votes?\s+)?against(?=\s*(?:,|and|with|\.|;))|صوت(?:ا|اً|ًا)?\s+ضد|ضد(?=\s*[,،و])",
     _SPECIFIC),
    ("votes_in_favour", r"(?:votes?\s+)?in\s+favou?r|صوت(?:ا|اً|ًا)?\s+(?:مؤيد|لصالح)", _SPECIFIC),
    ("force_size", r"strong(?=\s|[,.])|-strong", _SPECIFIC),
    ("states", r"states|countries|member\s+states|دوله|دول", _SPECIFIC),
    ("participants", r"strikers|hunger\s+strikers|protesters|demonstrators|participants|rioters|"
                     r"مضرب(?:ين|ون|ا)?|متظاهر(?:ين|ون|ا)?|مشارك(?:ين|ون|ا)?|محتج(?:ين|ون|ا)?", _SPECIFIC),
    ("surrendered", r"surrendered", _SPECIFIC),
    ("released", r"released|freed|مفرج\s+عنهم|مطلق\s+سراحهم", _SPECIFIC),
    ("detainees", r"detainees?|political\s+prisoners|معتقل(?:ين|ون|ا|اً|ًا|ه|ات|ي)?|معتلق(?:ين|ي)?|"
                  r"محتجز(?:ين|ون|ا|اً|ًا|ه|ات|ي)?|موقوف(?:ين|ون|ا|اً|ًا|ه|ات|ي)?|مخطوف(?:ين|ون|ا)?|مختطف(?:ين|ون|ا)?",
     _GENERIC),
    ("prisoners", r"prisoners?|inmates?|convicts|سجين(?:ا|اً|ًا|ه|ات)?|سجناء|مسجون(?:ين|ا)?|نزيل(?:ا|اً|ًا|ه)?|نزلاء",
     _GENERIC),
    ("fighters", r"fighters|militants|rebels|gunmen|jihadists|combatants|insurgents|"
                 r"مقاتل(?:ين|ون|ا|اً|ًا|ي)?|مسلح(?:ين|ون|ا|اً|ًا|ي)?|عنصر(?:ا|اً|ًا)?|عناصر|جهادي(?:ين|ا)?", _GENERIC),
    ("soldiers", r"soldiers|troops|officers|policemen|جندي(?:ا|اً|ًا)?|جنود|عسكري(?:ين|ون|ا|اً|ًا)?|ضابط(?:ا|اً|ًا)?|"
                 r"ضباط|شرطي(?:ا|ًا)?", _GENERIC),
    ("guards", r"guards|warders|jailers|حارس(?:ا|اً|ًا)?|حراس|سجان(?:ا|ين)?", _GENERIC),
    ("children", r"children|minors|boys|girls|طفل(?:ا|اً|ًا|ه)?|اطفال|قاصر(?:ين|ا)?", _GENERIC),
    ("women", r"women|females|امراه|نساء|سيد(?:ه|ات)|فتا(?:ه|ات)", _GENERIC),
    ("men", r"men|males|رجل(?:ا|اً|ًا)?|رجال|شاب(?:ا|اً|ًا)?|شبان", _GENERIC),
    ("members", r"members|عضو(?:ا|اً|ًا)?|اعضاء", _GENERIC),
    ("families", r"families|households|relatives|عائل(?:ه|ات)|اسر(?:ه)?|ذوي", _GENERIC),
    ("civilians", r"civilians|مدني(?:ين|ون|ا|اً|ًا)?", _GENERIC),
    ("cases", r"cases|حال(?:ه|ات)", _GENERIC),
    ("elderly", r"elderly|مسن(?:ين|ون|ا)?", _GENERIC),
    ("others", r"others|اخرون|اخرين|اخريات", _GENERIC),
    ("photographs", r"photographs|photos|images|pictures|صوره|صور", _SPECIFIC),
    ("nationalities", r"nationalities|جنسيه|جنسيات", _SPECIFIC),
    ("people", r"people|persons|individuals|syrians|refugees|activists|journalists|doctors|students|"
               r"schoolchildren|pupils|teenagers|youths|"
               r"defendants|citizens|شخص(?:ا|اً|ًا)?|اشخاص|فرد(?:ا|اً|ًا)?|افراد|مواطن(?:ين|ون|ا|اً|ًا)?|ناشط(?:ين|ون|ا)?|"
               r"سوري(?:ين|ون|ا)?|لاجئ(?:ين|ون|ا)?|نسم(?:ه|ات)", _GENERIC),
]
_NOUN_ALTERNATION = "|".join(f"(?P<n{index}>{pattern})" for index, (_, pattern, _) in enumerate(_NOUNS))
_NOUN_GROUPS = [f"n{index}" for index in range(len(_NOUNS))]  # the group of each noun in _NOUN_AT
_NOUN_AT = re.compile(rf"(?:{_NOUN_ALTERNATION}){_D}(?![a-z\w{DIACRITICS}])")
# Articles and clitics in front of a counted noun ("من المعتقلين", "the", "بين").
_NOUN_PREFIX = re.compile(r"(?:ال|لل|بال|وال|و|ب|ل)?")

# Words that may sit between a number and its noun: adjectives, "of them", "من".
_FILLER = re.compile(
    r"\s*(?:[\-–]\s*)?(?:(?:of\s+(?:them|whom|these|those)|of\s+the|of|other|more|further|additional|new|"
    r"من|منهم|من\s+بين|اخرين|اخري|اخر|جدد|جديد|جديده)\s+|[^\W\d_]+(?:[\-'’][^\W\d_]+)*\s+)"
)
_STOP_WORD = re.compile(
    r"(?:and|or|but|who|whom|which|that|were|was|are|is|had|have|has|in|at|on|to|from|by|for|with|since|"
    r"during|after|before|while|when|as|into|than|its|their|his|her|the|a|an|"
    r"و|او|في|الي|علي|عن|مع|منذ|بعد|قبل|الذين|التي|الذي|اللواتي|ممن|كانوا|كان|قد|لقد|حيث|بينما)"
    rf"(?![\w{DIACRITICS}])"
)

# Event cues: what happened to generic people, read near the count.
_CUES: list[tuple[str, str]] = [
    ("died_under_torture", r"tortured\s+to\s+death|died\s+(?:under|of|from)\s+torture|under\s+torture|"
                           r"(?:تحت|جراء|بسبب|من\s+جراء)\s+(?:ال)?تعذيب"),
    ("killed", r"killed|killing\s+of|shot\s+dead|shot\s+and\s+killed|massacred|slain|murdered|lost\s+their\s+lives|"
               r"قتل(?:وا|ت|هم)?|مقتل|قتلي|لقوا\s+حتفهم|لقي\s+حتفه|حصيله\s+(?:ال)?قتلي"),
    ("dead", r"حتفهم|حتفه|حتفها"),
    ("dead", r"died|have\s+died|had\s+died|death\s+toll|deaths|death(?!\s+(?:sentences?|penalt|row))|perished|توفي|توفوا|وفاه|قضي|قضوا|فارق(?:وا)?\s+الحياه"),
    ("sentenced", r"sentenced\s+to\s+death|death\s+sentences?|بالاعدام|احكام\s+(?:ال)?اعدام|حكم\s+(?:ال)?اعدام"),
    ("executed", r"executed|execution\s+of|hanged|hanging\s+of|اعدم(?:وا|ت)?|اعدام"),
    ("injured", r"injured|wounded|اصيب(?:وا)?|اصابه|جرح"),
    ("released", r"released|release\s+of|freed|set\s+free|let\s+go|walked\s+free|اطلق(?:ت)?\s+سراح|اطلاق\s+سراح|الافراج|افرج|"
                 r"اخلاء\s+سبيل|اخلي\s+سبيل|يطلق\s+سراح|سراح"),
    ("surrendered", r"surrendered|gave\s+themselves\s+up|استسلم(?:وا)?|استسلام"),
    ("arrested", r"arrested|arrest\s+of|detained|rounded\s+up|اعتقل(?:وا|ت)?|اعتقال|القبض|احتجاز|احتجز(?:وا)?"),
    ("transferred", r"transferred|transfer\s+of|moved\s+to|نقل(?:وا)?\s|ترحيل|رحل(?:وا)?"),
    ("sentenced", r"sentenced|convicted|حكم\s+علي|صدر(?:ت)?\s+بحق|احكام"),
    ("missing", r"missing|disappeared|forcibly\s+disappeared|مفقود|اختفاء|مختف|المختفين"),
    ("hostages", r"held\s+hostage|taken\s+hostage|كرهائن|رهائن"),
    ("participants", r"hunger\s+strike|on\s+strike|joined\s+the\s+strike|اضراب|مضرب"),
]


def _with_marks(pattern: str) -> str:
    """A cue pattern whose Arabic letters may each carry short vowels or a tatweel («أُفرج», «قُتل»)."""
    return re.sub(r"([\u0621-\u064a])([?*+]?)",
                  lambda match: f"(?:{match.group(1)}{_D}){match.group(2)}" if match.group(2)
                  else f"{match.group(1)}{_D}", pattern)


_CUE_ALTERNATION = "|".join(f"(?P<c{index}>{_with_marks(pattern)})" for index, (_, pattern) in enumerate(_CUES))
_CUE_GROUPS = [f"c{index}" for index in range(len(_CUES))]  # the group of each cue in _CUE
_CUE = re.compile(rf"(?<![a-z\w])(?:[وفب]|ل|لل|ال)?(?:{_CUE_ALTERNATION})(?![a-z])")
# Cues that refine the label of generic people read *before* the number ("killed at least 25 prisoners").
_CUE_BEFORE_WINDOW = 45
_CUE_AFTER_WINDOW = 60

# Nouns read *before* the number: "death toll rose to 25", "عدد المعتقلين فيه حوالي سبعة آلاف".
_BEFORE_NOUN = re.compile(
    r"(?:(?P<toll>(?:death\s+|casualty\s+|victim\s+)?toll|casualty\s+(?:count|figure)|حصيله\s+(?:ال)?(?:قتلي|ضحايا)"
    r"|عدد\s+(?:ال)?(?:قتلي|ضحايا))"
    r"|(?P<number_of>(?:the\s+)?number\s+of\s+|(?:ا)?عداد\s+|عدد\s+))"
)
_CLAUSE_BREAK = re.compile(r"[.;!?؛؟\n]|\s[-–—]\s|,\s*(?:but|while|and)\s")
_LABEL_LINE = re.compile(r"^[^\S\n]*[^\W\d][^:\n]{1,60}:[^\S\n]*$")


@dataclass
class _Noun:
    label: str
    kind: str
    start: int
    end: int


def _noun_at(folded: str, position: int) -> _Noun | None:
    prefix = _NOUN_PREFIX.match(folded, position)
    at = prefix.end() if prefix else position
    for candidate in (at, position) if at != position else (position,):
        match = _NOUN_AT.match(folded, candidate)
        if match:
            for name, (label, _pattern, kind) in zip(_NOUN_GROUPS, _NOUNS, strict=True):
                if match.group(name) is not None:
                    return _Noun(label, kind, match.start(), match.end())
    return None


def _noun_after(folded: str, text: str, end: int) -> _Noun | None:
    """The counted noun in the few words after a number ("25 Islamist inmates", "89 عنصرًا من تنظيم")."""
    position = end
    for _step in range(4):
        space = re.match(r"[^\S\n]*(?:[\-–][^\S\n]*)?", folded[position:position + 4])
        start = position + (space.end() if space else 0)
        noun = _noun_at(folded, start)
        if noun is not None:
            return noun
        stop = _STOP_WORD.match(folded, start)
        if stop and not folded.startswith(("of ", "من "), start) and not text[start:stop.end()].isupper():
            return None
        if _UNIT_AFTER.match(folded, start):
            return None
        filler = _FILLER.match(folded, position)
        if not filler or "\n" in filler.group():
            return None
        position = filler.end()
    return None


def _cue_near(folded: str, start: int, end: int, clause_start: int, clause_end: int) -> tuple[str, int, int] | None:
    """The closest event cue in the same clause, shortly before the count or after it, with no comma between."""
    window_start = max(clause_start, start - _CUE_BEFORE_WINDOW)
    window_end = min(clause_end, end + _CUE_AFTER_WINDOW)
    best: tuple[int, str, int, int] | None = None
    for match in _CUE.finditer(folded, window_start, window_end):
        if match.end() <= start:
            between = folded[match.end():start]
        elif match.start() >= end:
            between = folded[end:match.start()]
        else:
            continue
        if re.search(r"[,،:()\"“”\d]", between):
            continue
        for name, (label, _pattern) in zip(_CUE_GROUPS, _CUES, strict=True):
            if match.group(name) is not None:
                # "under torture" says more than "killed": it wins wherever it sits in the window.
                distance = len(between) - (1000 if label == "died_under_torture" else 0)
                if best is None or distance < best[0]:
                    best = (distance, label, match.start(), match.end())
                break
    if best is None:
        return None
    return best[1], best[2], best[3]


def _clause_bounds(folded: str, start: int, end: int) -> tuple[int, int]:
    left = max(0, start - 200)
    for match in _CLAUSE_BREAK.finditer(folded, left, start):
        left = match.end()
    right_match = _CLAUSE_BREAK.search(folded, end, min(len(folded), end + 200))
    right = right_match.start() if right_match else min(len(folded), end + 200)
    return left, right


def _qualifier_before(folded: str, start: int, clause_start: int) -> tuple[str, int] | None:
    window = folded[max(clause_start, start - 40):start]
    match = _QUALIFIER_BEFORE.search(window)
    if not match:
        return None
    for name, (qualifier, _pattern) in zip(_QUALIFIER_GROUPS, _QUALIFIERS_BEFORE, strict=True):
        if match.group(name) is not None:
            if qualifier == UPPER_BOUND_QUALIFIER and match.group().strip() == "حتي":
                return None  # "حتى" is also "until"/"even": too ambiguous on its own
            return qualifier, start - len(window) + match.start()
    return None


def _excluded(folded: str, number: NumberMention) -> bool:
    """Identifiers, money, percentages, durations, distances, ages, times and phone numbers are not counts."""
    before = folded[max(0, number.start - 30):number.start]
    if _ID_BEFORE.search(before) or _MONEY_BEFORE.search(before) or _UNIT_BEFORE.search(before):
        return True
    after = folded[number.end:number.end + 30]
    if _UNIT_AFTER.match(after) or _AGE_AFTER.match(after):
        return True
    if _KIN_BEFORE.search(before) or _OWNER_BEFORE.search(before) and _KIN_AFTER.match(after):
        return True
    if _CAPACITY_BEFORE.search(folded[max(0, number.start - 60):number.start]):
        return True
    if after.startswith(("/", ":")) and after[1:2].isdigit():
        return True
    phone = _PHONE.search(folded, max(0, number.start - 12), min(len(folded), number.end + 12))
    if phone and phone.start() <= number.start and phone.end() >= number.end:
        if sum(char.isdigit() for char in phone.group()) >= 8 and re.search(r"\d[\s\-()]+\d", phone.group()):
            return True
    return False


def find_counts(text: str, *, language: str, dates: list[DateMention] | None = None) -> list[CountMention]:
    """Every count in ``text`` (see the module docstring), in order of position.

    Numbers inside date mentions are never counts; pass ``dates`` (from :func:`find_dates` on the same
    text) to save finding them again.
    """
    folded = fold(text)
    numbers = find_numbers(text, language=language, folded=folded)
    if not numbers:
        return []
    if dates is None:
        dates = find_dates(text, language=language)
    date_spans = [(d.start, d.end) for d in dates]
    counts: list[CountMention] = []
    for number in numbers:
        if number.value is None or number.value <= 0:
            continue
        if any(number.start < b and a < number.end for a, b in date_spans):
            continue
        if _excluded(folded, number):
            continue
        count = _read_count(folded, text, number, counts)
        if count is not None:
            counts.append(count)
    return counts


def _is_word_number(text: str, number: NumberMention) -> bool:
    return not any(char.isdigit() for char in text[number.start:number.end])


def _read_count(folded: str, text: str, number: NumberMention, previous: list[CountMention]) -> CountMention | None:
    assert number.value is not None
    value = number.value
    start, end = number.start, number.end
    clause_start, clause_end = _clause_bounds(folded, start, end)
    qualifier = "exact"
    phrase_start, phrase_end = start, end
    found = _qualifier_before(folded, start, clause_start)
    if found:
        qualifier, phrase_start = found
    if folded[end:end + 1] == "+":
        qualifier, phrase_end = "at_least", end + 1
    noun = _noun_after(folded, text, phrase_end)
    label_line = noun is None and _closes_label_line(folded, start, end)
    # Arabic 1 and 2 follow their noun ("شخص واحد", "معتقلان اثنان").
    if noun is None and value <= 2 and _is_word_number(text, number) and not label_line:
        before = re.search(r"(\S+)\s+$", folded[max(0, start - 25):start])
        if before:
            candidate = _noun_at(folded, start - len(before.group()))
            if candidate is not None and candidate.end == start - len(before.group()) + len(before.group(1)):
                noun = candidate
                phrase_start = min(phrase_start, noun.start)
        if noun is None and not _PARTITIVE_AFTER.match(folded, phrase_end):
            return None
    if noun is not None and _is_word_number(text, number) and value == 1 and noun.start > start:
        return None  # "one prisoner" is rarely a count worth reporting; "one of the detainees" never is
    after_text = folded[max(end, noun.end if noun else end):]
    late = _QUALIFIER_AFTER.match(after_text)
    if late and qualifier == "exact":
        word = late.group("q")
        qualifier = "about" if word in ("تقريبا", "or so") else ("over" if word in ("or more", "and more", "ونيف",
                                                                                      "او اكثر") else "at_least")
    what: str | None = None
    what_span: tuple[int, int] | None = None
    if noun is not None:
        what, what_span = noun.label, (noun.start, noun.end)
        phrase_end = max(phrase_end, noun.end)
    else:
        before_noun = _noun_before(folded, phrase_start, clause_start)
        if before_noun is not None:
            what, what_span = before_noun.label, (before_noun.start, before_noun.end)
    if noun is None or noun.kind == _GENERIC:
        cue = _cue_near(folded, phrase_start, phrase_end, clause_start, clause_end)
        if cue is not None and (what is None or noun is not None and noun.kind == _GENERIC):
            what = cue[0]
            if what_span is None:
                what_span = (cue[1], cue[2])
    if what is None:
        referred = _referred(folded, start, phrase_start, phrase_end, clause_start, previous)
        if referred is not None:
            what, what_span = referred
    if what is None and (value > 2 or not _is_word_number(text, number)):
        verb = _verb_before(folded, phrase_start)
        if verb is not None and _ends_phrase(folded, text, phrase_end):
            what, what_span = verb
    if what is None:
        if qualifier == "exact" and not label_line:
            return None
        if label_line:
            what = next((c.what for c in reversed(previous) if c.end >= start - 400 and c.what), None)
            if what is None:
                return None
        elif _is_word_number(text, number) or not _ends_phrase(folded, text, phrase_end):
            return None
    return CountMention(phrase_start, phrase_end, value, qualifier, what, what_span)


# A number that refers to people counted before it: a part of them ("41 of them", «أربعون منهم», "89 of the month's
# arrests", "the remaining 23"), their number («البالغ عددهم نحو ثمانمئة», "numbering about 800"), or a total
# that rises to it ("the number of detainees who died under torture … rises to 41").
_PARTITIVE_AFTER = re.compile(
    r"\s*(?:of\s+(?:them|whom|these|those)\b|منهم|منهما|منهن|of\s+(?:the|this|that|these)\s+(?:[\w'’]+\s+){0,3}?"
    r"(?P<event>arrests|deaths|killings|releases|executions|cases|detentions|abductions)\b)")
_EVENT_NOUNS = {"arrests": "arrested", "detentions": "arrested", "abductions": "abducted", "deaths": "dead",
                "killings": "killed", "releases": "released", "executions": "executed", "cases": "cases"}
_REST_BEFORE = re.compile(r"(?:the\s+)?(?:remaining|other|last)\s+$")
_THEIR_NUMBER = re.compile(r"(?:(?:ال)?بالغ(?:ه)?\s+)?عدد(?:هم|هن)\s+$|(?:numbering|who\s+numbere?d?|totall?ing)\s+$")
_RISES_TO = re.compile(r"(?:rises|rose|risen|climbs|climbed|reached|reaches|stands\s+at|stood\s+at|to)\s+$|"
                       r"(?:ارتفع(?:ت)?|وصل(?:ت)?|بلغ(?:ت)?)\s+(?:\S+\s+){0,2}?(?:الي\s+)?$")
_SENTENCE_BREAK = re.compile(r"[.!?؟\n]")


def _referred(folded: str, start: int, phrase_start: int, phrase_end: int, clause_start: int,
              previous: list[CountMention]) -> tuple[str, tuple[int, int]] | None:
    """What a number refers back to when no noun follows it (see :data:`_PARTITIVE_AFTER`)."""
    after = _PARTITIVE_AFTER.match(folded, phrase_end)
    before = folded[max(0, phrase_start - 40):phrase_start]
    if after or _REST_BEFORE.search(before):
        if after and after.group("event"):
            return _EVENT_NOUNS[after.group("event")], (after.start("event"), after.end("event"))
        earlier = next((c for c in reversed(previous) if c.what and c.end >= start - 300), None)
        span = (after.start(), after.end()) if after else (phrase_start, phrase_end)
        return (earlier.what if earlier and earlier.what else "people"), span
    their = _THEIR_NUMBER.search(before)
    if their:
        noun = _last_noun(folded, max(0, clause_start - 60, phrase_start - 100), phrase_start - len(before) + their.start())
        return (noun.label, (noun.start, noun.end)) if noun else ("people", (phrase_start, phrase_end))
    rises = _RISES_TO.search(folded, max(0, phrase_start - 40), phrase_start)
    if rises and rises.end() == phrase_start:
        sentence_start = max((m.end() for m in _SENTENCE_BREAK.finditer(folded, max(0, start - 300), start)),
                             default=max(0, start - 300))
        return next(((noun.label, (noun.start, noun.end)) for noun in
                     [_noun_before(folded, rises.start(), sentence_start, 300)] if noun is not None), None)
    return None


def _last_noun(folded: str, left: int, right: int) -> _Noun | None:
    """The last counted noun between ``left`` and ``right`` («المعتقلون، البالغ عددهم»)."""
    best = None
    for match in re.finditer(r"(?<![\w])", folded[left:right]):
        noun = _noun_at(folded, left + match.start())
        if noun is not None and noun.end <= right:
            best = noun
    return best


_VERB_BEFORE = re.compile(
    r"(?:killing|killed|wounding|wounded|injuring|injured|arresting|arrested|detaining|detained|releasing|"
    r"released|freeing|freed|executing|executed|hanging|hanged|abducting|abducted|kidnapping|kidnapped|"
    r"مقتل|قتل|قتلت|اصابه|اصيب|جرح|اعتقال|اعتقلت|اعتقل|احتجاز|احتجزت|الافراج\s+عن|افرج\s+عن|افرجت\s+عن|"
    r"اطلاق\s+سراح|اطلقت\s+سراح|اعدام|اعدمت|خطف|اختطاف|وفاه)\s*$"
)
_VERB_LABELS = (
    ("killed", ("kill", "قتل", "مقتل")), ("injured", ("wound", "injur", "اصاب", "اصيب", "جرح")),
    ("arrested", ("arrest", "detain", "اعتقل", "اعتقال", "احتجز", "احتجاز")),
    ("released", ("releas", "free", "افرج", "الافراج", "سراح")), ("executed", ("execut", "hang", "اعدم", "اعدام")),
    ("abducted", ("abduct", "kidnap", "خطف")), ("dead", ("وفاه",)),
)


def _verb_before(folded: str, start: int) -> tuple[str, tuple[int, int]] | None:
    """An event verb right before a bare number ("killing 12 and wounding 30", "مقتل 25")."""
    window_start = max(0, start - 30)
    match = _VERB_BEFORE.search(folded, window_start, start)
    if match is None:
        return None
    word = match.group().strip()
    for label, stems in _VERB_LABELS:
        if any(stem in word for stem in stems):
            return label, (match.start(), match.start() + len(word))
    return None


def _ends_phrase(folded: str, text: str, end: int) -> bool:
    """A bare number ends its phrase: punctuation, a line end or a function word follows, not another noun."""
    rest = re.match(r"[^\S\n]*", folded[end:end + 10])
    position = end + (rest.end() if rest else 0)
    if position >= len(folded) or not folded[position].isalpha():
        return True
    return bool(_STOP_WORD.match(folded, position) or folded.startswith("of ", position))


def _closes_label_line(folded: str, start: int, end: int) -> bool:
    line_start = folded.rfind("\n", 0, start) + 1
    line_end = folded.find("\n", end)
    line_end = len(folded) if line_end < 0 else line_end
    if folded[end:line_end].strip(" .\t"):
        return False
    return bool(_LABEL_LINE.match(folded[line_start:start]))


def _noun_before(folded: str, start: int, clause_start: int, reach: int = 70) -> _Noun | None:
    """A counted noun read before the number: "the toll to 25", "عدد المعتقلين فيه حوالي سبعة آلاف"."""
    window_start = max(clause_start, start - reach)
    best: _Noun | None = None
    for match in _BEFORE_NOUN.finditer(folded, window_start, start):
        if match.group("toll"):
            best = _Noun("killed", _SPECIFIC, match.start(), match.end())
        else:
            noun = _noun_at(folded, match.end())
            if noun is None:
                noun_ar = _noun_at(folded, match.end() + 2) if folded.startswith("ال", match.end()) else None
                noun = noun_ar
            if noun is not None:
                best = noun
    return best
