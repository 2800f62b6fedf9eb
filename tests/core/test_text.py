from __future__ import annotations

import pytest

from dhakira.text import normalise, script_of, stem, tokens
from dhakira.text.query import parse_query
from dhakira.text.snippet import make_snippet


@pytest.mark.parametrize("written", ["السجن", "سجن", "بالسجن", "سُجِنَ", "والسجن", "للسجن", "السّجن"])
def test_arabic_forms_of_prison_share_one_stem(written: str) -> None:
    assert [token.stem for token in tokens(written)] == ["سجن"]


def test_normalise_folds_hamza_ta_marbuta_alef_maqsura_tatweel_and_digits() -> None:
    assert normalise("إعدام") == normalise("اعدام")
    assert normalise("حماة") == "حماه"
    assert normalise("مستشفى") == normalise("مسـتشفي")
    assert normalise("٢٠١٧") == "2017"
    assert normalise("معتقلاً") == "معتقل"


def test_english_words_are_stemmed() -> None:
    assert stem("prisoners") == stem("prison")


def test_token_offsets_point_into_the_original_text() -> None:
    text = "اقتحام سُجِنَ Hama"
    assert [text[token.start:token.end] for token in tokens(text)] == ["اقتحام", "سُجِنَ", "Hama"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Hama Central Prison", "en"), ("سجن حماة المركزي", "ar"), ("Hama سجن حماة المركزي Prison", "mixed"), ("2016 — !", "und")],
)
def test_script_of(text: str, expected: str) -> None:
    assert script_of(text) == expected


@pytest.mark.parametrize("hostile", ['"', "(((", "AND OR NOT", "- -- -", "*:^~", "NOT", '"unclosed phrase', "\x00\u202e"])
def test_any_query_string_parses(hostile: str) -> None:
    query = parse_query(hostile)
    assert all(term.norms for term in query.all_terms())


def test_query_groups_phrases_or_and_not() -> None:
    query = parse_query('"سجن حماة" OR Saydnaya -Homs storming')
    assert [[term.phrase for term in group] for group in query.groups] == [[True, False], [False]]
    assert query.groups[0][0].norms == ("سجن", "حماه")
    assert [term.norms for term in query.excluded] == [("homs",)]


def test_snippet_highlights_words_with_clitics() -> None:
    text = "قال ناشطون إن المعتقلين في السجن المركزي بحماة بدأوا إضراباً"
    snippet = make_snippet(text, parse_query("سجن حماة"))
    assert [snippet.text[start:end] for start, end in snippet.highlights] == ["السجن", "بحماة"]


def test_function_words_are_left_out_of_a_query_of_other_words() -> None:
    assert [[term.norms for term in group] for group in parse_query("فرع أمن الدولة في درعا").groups] == [
        [("فرع",)], [("امن",)], [("الدوله",)], [("درعا",)]]
    assert [[term.norms for term in group] for group in parse_query("the prison of Hama").groups] == [[("prison",)], [("hama",)]]


def test_function_words_alone_quoted_or_joined_by_or_are_searched_as_typed() -> None:
    assert [[term.norms for term in group] for group in parse_query("في").groups] == [[("في",)]]
    assert [[term.norms for term in group] for group in parse_query("in of").groups] == [[("in",)], [("of",)]]
    assert [[term.norms for term in group] for group in parse_query('"in Daraa" prison').groups] == [
        [("in", "daraa")], [("prison",)]]
    assert [[term.norms for term in group] for group in parse_query("من OR الى سجن").groups] == [
        [("من",), ("الي",)], [("سجن",)]]
    # An excluded function word is what the reader asked for.
    assert [term.norms for term in parse_query("prison -the").excluded] == [("the",)]
