"""newsroom.links.reverse_kept answers as reverse() does, whatever reverse() reads."""

import pytest
from django.template import Context, Template
from django.test import override_settings
from django.urls import (
    NoReverseMatch,
    clear_script_prefix,
    clear_url_caches,
    include,
    path,
    reverse,
    set_script_prefix,
)

from articles.models import Author, Section, Tag
from comments.counts import counts_url
from newsroom import links
from newsroom.links import reverse_kept, reverse_kept_but_slug
from tests.newsroom import urls_moved


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


def test_a_kept_address_follows_urls_changed_and_cleared(monkeypatch):
    with override_settings(ROOT_URLCONF="tests.newsroom.urls_moved"):
        assert Author(slug="ana-lima").get_absolute_url() == "/moved/authors/ana-lima/"
        monkeypatch.setattr(urls_moved, "urlpatterns", [path("new/", include("articles.urls"))])
        clear_url_caches()
        assert Author(slug="ana-lima").get_absolute_url() == "/new/authors/ana-lima/"
    clear_url_caches()


def answer(function, *args, **kwargs):
    try:
        return function(*args, **kwargs)
    except NoReverseMatch:
        return "NoReverseMatch"


@pytest.mark.parametrize("argument", [1.0, True])
def test_an_argument_equal_to_a_kept_one_but_of_another_type_is_reversed(argument):
    assert reverse_kept("comment-counts", args=[1]) == "/comment-counts/1/"
    assert answer(reverse_kept, "comment-counts", args=[argument]) == answer(
        reverse, "comment-counts", args=[argument]
    )


def test_an_address_that_does_not_reverse_fails_every_time():
    for _ in range(2):
        with pytest.raises(NoReverseMatch):
            reverse_kept("articles:section", kwargs={"slug": "not a slug"})


@pytest.mark.parametrize(
    "slug", ["harbour-wall-reopens", "-", "a", "2026-budget_vote", "x-" * 59 + "z"]
)
@pytest.mark.parametrize("section", ["world", "local-news"])
def test_a_storys_address_is_the_reverse_of_its_own(section, slug):
    kwargs = {"section": section, "year": 2026, "month": "03", "day": "07", "slug": slug}
    assert reverse_kept_but_slug("articles:detail", kwargs=kwargs) == reverse(
        "articles:detail", kwargs=kwargs
    )
    set_script_prefix("/news/")
    try:
        assert reverse_kept_but_slug("articles:detail", kwargs=kwargs) == (
            f"/news/{section}/2026/03/07/{slug}/"
        )
    finally:
        clear_script_prefix()


@pytest.mark.parametrize("slug", ["", "été", "two words", "a/b", None])
def test_a_slug_reverse_refuses_is_refused_as_reverse_refuses_it(slug):
    kwargs = {"section": "world", "year": 2026, "month": "03", "day": "07", "slug": slug}
    assert answer(reverse_kept_but_slug, "articles:detail", kwargs=kwargs) == answer(
        reverse, "articles:detail", kwargs=kwargs
    )


def rendered(source, **context):
    return Template("{% load links %}" + source).render(Context(context))


def test_the_kept_url_tag_writes_what_the_url_tag_writes():
    for arguments in ["'articles:feed'", "'articles:viewed' pk", "'articles:section' slug=slug"]:
        tag = f"{{% url {arguments} %}}|{{% url {arguments} as address %}}{{{{ address }}}}"
        assert rendered(tag.replace("url", "kept_url"), pk=42, slug="world") == rendered(
            tag, pk=42, slug="world"
        )


def test_the_kept_url_tag_reverses_an_address_once(monkeypatch):
    reversed_ = []
    monkeypatch.setattr(links, "reverse", lambda *args, **kwargs: reversed_.append(args) or "/")
    links._reversed.cache_clear()
    try:
        assert rendered("{% kept_url 'articles:feed' %}{% kept_url 'articles:feed' %}") == "//"
    finally:
        links._reversed.cache_clear()
    assert len(reversed_) == 1
