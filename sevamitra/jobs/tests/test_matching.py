"""Postings' words → catalogue services (jobs.matching)."""

import pytest

from sevamitra.catalog.models import Category
from sevamitra.jobs import matching

pytestmark = pytest.mark.django_db


def test_titles_and_skills_in_hindi_english_and_hinglish_name_services():
    plumber = Category.objects.get(slug="plumber").pk
    electrician = Category.objects.get(slug="electrician").pk
    assert matching.category_ids_for(["नल मिस्त्री", "", "wiring"]) == {plumber, electrician}
    assert matching.category_ids_for(["Accountant"]) == set()


def test_the_memo_of_an_import_run_gives_the_same_answers():
    texts = ["Plumber", "बिजली मिस्त्री", "Accountant"]
    memo: dict[str, frozenset[int]] = {}
    first = matching.category_ids_for(texts, memo=memo)
    assert first == matching.category_ids_for(texts)
    assert set(memo) == set(texts)
    memo["Plumber"] = frozenset({-1})  # answered from the memo, not matched again
    assert -1 in matching.category_ids_for(["Plumber"], memo=memo)
