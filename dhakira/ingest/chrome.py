"""Chrome blocks in clean text, for every format: what a press release or a page carries besides the
article – reference numbers, end markers and what follows them, media-contact blocks, "about the
organisation" footers, tag lines, "read also" lines – removed paragraph by paragraph with a reason.

Also the heading patterns the HTML pruner uses (comments, lists of other articles), in English and
Arabic.
"""

from __future__ import annotations

import re

_A = "(?:أ|ا)"  # alef with or without hamza
COMMENTS_HEADING = re.compile(
    r"^\W*(?:\d+\s+)?(?:comments?|responses?|replies|reader comments|discussion|leave a (?:reply|comment)|"
    r"join the (?:discussion|conversation)|what (?:readers|you) (?:say|think)|"
    rf"(?:ال)?تعليقات(?: القراء)?|تعليق(?:ات)?|(?:ال)?ردود|{_A}ضف تعليق(?:اً|ا)?|{_A}راء القراء|شاركنا ر{_A}يك)\b"
    r"|^\W*\d+\s+(?:comments?|responses?|replies)\b|\b(?:responses?|comments?|replies) to\b",
    re.IGNORECASE,
)
RELATED_HEADING = re.compile(
    r"^\W*(?:related(?: posts| articles| news| stories| content)?|read (?:also|more|next)|see also|"
    r"you (?:may|might) (?:also )?(?:like|be interested)|more (?:from|stories|news|on this)|recommended|"
    r"popular(?: posts| articles)?|most (?:read|viewed|popular|shared)|trending(?: now)?|"
    r"(?:latest|recent) (?:posts|news|articles|stories)|"
    rf"مقالات ذات صلة|{_A}خبار ذات صلة|مواضيع ذات صلة|{_A}خبار متعلقة|مقالات متعلقة|اقر{_A} {_A}يض(?:اً|ا)?|"
    rf"طالع {_A}يض(?:اً|ا)?|شاهد {_A}يض(?:اً|ا)?|قد يهمك|الأكثر (?:قراءة|مشاهدة|تداولا|تداولاً)|"
    r"المزيد من|آخر الأخبار|أحدث (?:المقالات|الأخبار))",
    re.IGNORECASE,
)
_READ_ALSO_LINE = re.compile(
    rf"^\W*(?:read (?:also|more)|see also|related|also read|اقر{_A} {_A}يض(?:اً|ا)?|طالع {_A}يض(?:اً|ا)?|"
    rf"شاهد {_A}يض(?:اً|ا)?|اقر{_A} المزيد)\s*[:：\-–]",
    re.IGNORECASE,
)
_REFERENCE = re.compile(
    r"^\W*(?:(?:our )?ref(?:erence)?(?: no)?|doc(?:ument)?\.? (?:no|number|ref)|release no|statement no|"
    r"الرقم المرجعي|رقم المرجع|المرجع|مرجعنا|الإشارة|رقم الوثيقة|رقم البيان|الرقم|رقم الإصدار)\.?\s*[:：.#]\s*\S.{0,50}$",
    re.IGNORECASE,
)
_END_MARKER = re.compile(r"^\W*(?:-*\s*ends?\s*-*|#{3,}|-{3,}|انتهى|-\s*انتهى\s*-|نهاية البيان)\W*$", re.IGNORECASE)
_CONTACT_HEADING = re.compile(
    r"^\W*(?:(?:media|press|news) (?:contacts?|enquiries|inquiries|office)|contacts?\s*:|"
    r"for (?:more|further) information|for (?:media|press)(?: enquiries| inquiries| requests)?|"
    r"for press enquiries|for interviews|"
    r"للتواصل|للاستفسار|للاستفسارات|للمزيد من المعلومات|لمزيد من المعلومات|جهة الاتصال|للتواصل الإعلامي|"
    r"لطلب المقابلات)",
    re.IGNORECASE,
)
_ABOUT = re.compile(
    r"^\W*(?:about (?:the |us\b)?[^\n:.]{2,80}:|about us\b|notes? (?:to|for) editors|editor'?s notes?|"
    r"نبذة عن|عن (?:ال)?(?:منظمة|شبكة|مرصد|رابطة|مركز|جمعية)[^\n:]{0,60}:|ملاحظة للمحررين|ملاحظات للمحررين|"
    r"ملاحظة للمحرر|من نحن)",
    re.IGNORECASE,
)
_TAGS = re.compile(r"^\W*(?:tags|tagged|filed under|labels|categories|topics|الوسوم|وسوم|كلمات مفتاحية|التصنيفات?|الكلمات الدالة)\s*[:：]", re.IGNORECASE)
_MEMBER = re.compile(
    r"^\W*(?:posts|messages|joined|reputation|member since|registered|المشاركات|عدد المشاركات|تاريخ التسجيل|"
    r"المساهمات|عضو منذ)\s*[:：]\s*[\d,.\u0660-\u0669]+\W*$", re.IGNORECASE
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_PHONE = re.compile(r"(?:\+|00)\d[\d\s().-]{6,}\d|\b(?:tel|phone|mobile|fax|هاتف|جوال|فاكس)\b", re.IGNORECASE)
_SHORT = 90


def _contact_line(line: str) -> bool:
    return len(line) <= _SHORT and bool(_EMAIL.search(line) or _PHONE.search(line))


def strip_blocks(text: str) -> tuple[str, list[dict[str, str]]]:
    """The text without reference numbers, end markers and what follows, contact blocks, organisation
    footers, tag lines and "read also" lines; each removal as ``{"text", "reason"}``."""
    paragraphs = text.split("\n\n")
    removed: list[dict[str, str]] = []
    kept: list[str] = []
    total = len(paragraphs)
    in_contact = False
    after_end = False
    in_footer = False
    for index, paragraph in enumerate(paragraphs):
        lines = paragraph.split("\n")
        kept_lines: list[str] = []
        late = index >= total * 0.5
        for line in lines:
            stripped = line.strip()
            reason = None
            if after_end:
                reason = "after the end marker of the release"
            elif _END_MARKER.match(stripped) and index > 0:
                reason = "end marker of the release"
                after_end = index >= total * 0.4
            elif _CONTACT_HEADING.match(stripped) and len(stripped) <= 160:
                reason = "contact block"
                in_contact = True
            elif _contact_line(stripped):
                reason = "contact line (e-mail or telephone)"
            elif _REFERENCE.match(stripped) and re.search(r"\d", stripped) and len(stripped) <= 80:
                reason = "reference number"
            elif late and _ABOUT.match(stripped):
                reason = "organisation footer (about the publisher)"
                in_footer = True
            elif in_footer:
                reason = "organisation footer (about the publisher)"
            elif in_contact and len(stripped) <= _SHORT and (_contact_line(stripped) or stripped[-1:] not in ".!?؟"):
                reason = "contact block"
            elif _MEMBER.match(stripped):
                reason = "forum member details"
            elif _TAGS.match(stripped) and len(stripped) <= 200:
                reason = "tag line"
            elif _READ_ALSO_LINE.match(stripped) and len(stripped) <= 200:
                reason = "link to another article (read also)"
            else:
                in_contact = False
            if reason:
                removed.append({"text": stripped, "reason": reason})
            else:
                kept_lines.append(line)
        in_footer = False  # the footer is its paragraph
        if kept_lines:
            kept.append("\n".join(kept_lines))
        in_contact = in_contact and len(lines) > 0 and bool(kept_lines) is False
    return "\n\n".join(kept), removed
