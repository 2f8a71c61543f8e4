"""newsroom.links.reverse_kept answers as reverse() does, whatever reverse() reads."""

import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, clear_script_prefix, reverse, set_script_prefix

from articles.models import Author, Section, Tag
from comments.counts import counts_url
from newsroom.links import reverse_kept


def test_the_kept_addresses_are_reverses():
    assert Section(slug="world").get_absolute_url() == reverse(
        "articles:section", kwargs={"slug": "world"}
    )
    assert Author(slug="ana-lima").get_absolute_url() == "/authors/ana-lima/"
    assert Tag(slug="floods").get_absolute_url() == "/tags/floods/"
    assert counts_url(12_345) == reverse("comment-counts", args=[12])


def test_a_kept_address_follows_the_script_prefix():
    assert reverse_kept("articles:section", kwargs={"slug": "world"}) == "/world/"
    set_script_prefix("/news/")
    try:
        assert reverse_kept("articles:section", kwargs={"slug": "world"}) == "/news/world/"
    finally:
        clear_script_prefix()
    assert reverse_kept("articles:section", kwargs={"slug": "world"}) == "/world/"


def test_a_kept_address_follows_the_urlconf():
    assert reverse_kept("articles:author", kwargs={"slug": "ana-lima"}) == "/authors/ana-lima/"
    with override_settings(ROOT_URLCONF="tests.newsroom.urls_moved"):
        assert Author(slug="ana-lima").get_absolute_url() == "/moved/authors/ana-lima/"
    assert Author(slug="ana-lima").get_absolute_url() == "/authors/ana-lima/"


def test_an_address_that_does_not_reverse_fails_every_time():
    for _ in range(2):
        with pytest.raises(NoReverseMatch):
            reverse_kept("articles:section", kwargs={"slug": "not a slug"})
