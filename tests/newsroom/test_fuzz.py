"""Hostile input on every public address, parameter, form field and header (issue 5).

Whatever arrives (control characters, NUL, invalid UTF-8, numbers that overflow, very
long values, confusable Unicode, path traversal), the answer is a 2xx, 3xx or 4xx, and a
page that is rendered is a whole, normal page. Property-based, with hypothesis; run on
SQLite and on PostgreSQL, which refuses NUL in text, checks integer ranges and parses
inet columns itself.

pytest-django's client re-raises a view's exception, so a 500 fails the example that
caused it, with the input hypothesis found.
"""

import itertools
import logging
import os
import string
import tempfile
import xml.etree.ElementTree as ET
from typing import NamedTuple
from urllib.parse import quote, urlencode

import pytest
from axes.utils import reset as reset_login_attempts
from django.conf import settings as django_settings
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.cache import cache
from django.http.request import split_domain_port, validate_host
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse
from hypothesis import HealthCheck, example, given
from hypothesis import settings as fuzz_settings
from hypothesis import strategies as st

from ads.signing import CLICK_SALT, IMPRESSION_SALT, make_token
from articles.models import Article
from articles.previews import preview_token
from comments.forms import CommentForm
from tests import factories
from tests.admin_pages import logged_in

pytestmark = pytest.mark.django_db

# Hypothesis keeps caches (and would keep its example database) in ./.hypothesis; keep
# the repository clean. Read when Hypothesis first writes, which is after this import.
os.environ.setdefault(
    "HYPOTHESIS_STORAGE_DIRECTORY", os.path.join(tempfile.gettempdir(), "newsroom-hypothesis")
)

# database=None: nothing is written into the repository; each run explores afresh. The
# numbers of examples keep the module near a minute on PostgreSQL: fewer for the tests
# repeated for many routes, more for the few that aim at one view's parameters. Inputs
# that once failed are kept as @example()s, which run every time.
FUZZ = fuzz_settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
WIDE = fuzz_settings(FUZZ, max_examples=20)
DEEP = fuzz_settings(FUZZ, max_examples=80)

CANARY = "<script>alert(1)</script>"
SPECIAL = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\r\n",
    "\t",
    "..",
    "../",
    "../../../etc/passwd",
    "..\\..\\windows",
    "/",
    "\\",
    "?",
    "#",
    "&",
    "=",
    ";",
    "%",
    "%00",
    "%ff",
    "+",
    # Digits that are not ASCII: str.isdigit() accepts "²", int() does not.
    "²",
    "¹²³",
    "٣",
    "١٢٣",
    "۴",
    "०",
    "１２",
    "𝟙",
    "①",
    "Ⅻ",
    "-1",
    "0",
    "00",
    "-0",
    "+1",
    " 1",
    "1 ",
    "1.5",
    "1e9",
    "0x10",
    "NaN",
    "inf",
    "9" * 18,
    "9" * 19,
    "9" * 40,
    "1" + "0" * 400,
    "9" * 5000,
    # Confusables and invisible characters.
    "ｃｉｔｙ",
    "сity",
    "city\u200b",
    "ci\u0307ty",
    "İ",
    "ß",
    "ﬁ",
    "\ufeff",
    "\u202ecity",
    "\ufffd",
    "\U0010ffff",
    CANARY,
    "' OR 1=1 --",
    '"; DROP TABLE articles_article; --',
    "{{ 7*7 }}",
    "{% debug %}",
]
TRICKY_CHARS = (
    "\x00\x01\x08\x0b\x0c\x1b\x7f\x85\xa0\u2028\u2029\u200b\u200d\u202e\ufeff\ufffd"
    "²³¹١٢٣۴०１𝟙①Ⅻİıßﬁſ%/\\.?#&=;+'\"<>"
)
SLUG_CHARS = string.ascii_letters + string.digits + "-_"

long_text = st.builds(
    lambda piece, n: (piece * n)[:10_000],
    st.sampled_from(["a", "9", "é", "\x00", "../", "%", "-", "²"]),
    st.integers(1_000, 10_000),
)
# For the parameters that are numbers: numbers of every size (beyond 64 bits, beyond a
# float), and strings of digits of every kind: str.isdigit() is true for all of them.
DIGITS = "0123456789²³¹⁰①١٢٣۴०１𝟙"
number_like = st.one_of(
    st.integers(min_value=-(10**450), max_value=10**450).map(str),
    st.text(st.sampled_from(DIGITS), min_size=1, max_size=20),
    st.text(st.characters(categories=["Nd", "No", "Nl"]), min_size=1, max_size=20),
    st.text(st.sampled_from(DIGITS + "Ⅻ -+.e_x"), min_size=1, max_size=20),
    st.sampled_from(["9" * 19, "9" * 40, "1" + "0" * 400, "9" * 5000, "0" * 30 + "1"]),
)
hostile_text = st.one_of(
    number_like,
    st.text(max_size=40),
    st.text(st.one_of(st.sampled_from(TRICKY_CHARS), st.characters(codec="utf-8")), max_size=40),
    st.sampled_from(SPECIAL),
    # Looks like a slug or a number, so that it gets past the URL converters to a view.
    st.text(SLUG_CHARS, min_size=1, max_size=300),
    long_text,
)


def pct(data: bytes) -> str:
    """Every byte percent-encoded, whatever it is: invalid UTF-8 included."""
    return "".join(f"%{byte:02x}" for byte in data)


BROKEN_ENCODINGS = [
    "%",
    "%%",
    "%z",
    "%zz",
    "%0",
    "%00",
    "a%00b",
    "%ff%fe",
    "%fe%ff",
    "%80",
    "%c0%80",
    "%c0%af",
    "%c3%28",
    "%e2%82",
    "%ed%a0%80",
    "%f4%90%80%80",
    "%f8%88%80%80%80",
    "%2e%2e",
    "%2e%2e%2f",
    "..%2f..%2f",
    "%252e%252e",
    "%uFFFE",
]
encoded_piece = st.one_of(
    hostile_text.map(lambda value: quote(value, safe="")),
    st.binary(max_size=64).map(pct),
    st.sampled_from(BROKEN_ENCODINGS),
)
# A path segment or query value exactly as it travels: already percent-encoded.
encoded = st.one_of(encoded_piece, st.lists(encoded_piece, min_size=2, max_size=4).map("".join))


def latin1(value: str) -> str:
    """Header values reach Django as WSGI gives them: bytes read as Latin-1."""
    return value.encode("utf-8", "surrogatepass").decode("latin-1")


CONTROL_CHARS = "".join(map(chr, range(32))) + "\x7f\x80\x85\xa0\xff"
header_value = st.one_of(
    st.text(st.characters(max_codepoint=255), max_size=200),
    st.text(st.sampled_from(CONTROL_CHARS + ' ;,="\\%/:@[]'), max_size=50),
    st.binary(max_size=200).map(lambda data: data.decode("latin-1")),
    hostile_text.map(latin1),
)


@pytest.fixture(autouse=True)
def production_like(settings, caplog):
    settings.DEBUG = False
    # Reports from many addresses would hold the fixture's comment, and later examples
    # would only meet its 404.
    settings.COMMENTS_REPORTS_TO_HOLD = 10**6
    # Thousands of 404s and refused hosts are expected here; a 500 fails the test anyway.
    caplog.set_level(logging.ERROR, logger="django.request")
    caplog.set_level(logging.CRITICAL, logger="django.security")
    caplog.set_level(logging.ERROR, logger="axes")


@pytest.fixture
def site(db):
    """A small real site: a section, an author, a tag, a published article with a public
    comment, a draft with a share link, and a live ad with its click and impression."""
    section = factories.SectionFactory(name="City", slug="city")
    author = factories.AuthorFactory(name="Ada Reyes", slug="ada-reyes")
    tag = factories.TagFactory(name="Transport", slug="transport")
    article = factories.ArticleFactory(
        headline="Harbour tunnel opens to traffic",
        section=section,
        authors=[author],
        tags=[tag],
    )
    comment = factories.ReaderCommentFactory(article=article)
    draft = factories.ArticleFactory(
        headline="Budget leaks ahead of the vote",
        section=section,
        status=Article.Status.DRAFT,
        published_at=None,
    )
    creative = factories.CreativeFactory(placements=["sidebar-top"])
    placement = creative.placements.get()
    url = article.get_absolute_url()
    return {
        "article": article,
        "comment": comment,
        "url": url,
        "url_parts": article.url_kwargs(),
        "share_token": preview_token(draft),
        "click_token": make_token(creative.pk, placement.pk, salt=CLICK_SALT),
        "impression_token": make_token(creative.pk, placement.pk, salt=IMPRESSION_SALT),
    }


def assert_answered(response):
    """A 2xx, 3xx or 4xx; a rendered page is whole, in UTF-8, and escapes what it echoes."""
    request = response.wsgi_request
    where = f"{request.method} {request.META.get('PATH_INFO')!r}"
    assert response.status_code < 500, f"{response.status_code} for {where}"
    if response.streaming or not response.content:
        return
    body = response.content.decode()  # every page is UTF-8
    content_type = response.get("Content-Type", "")
    if content_type.startswith("text/html"):
        assert CANARY not in body, f"unescaped input in {where}"
        if response.status_code in (200, 404):
            document = body.strip().lower()
            assert document.startswith("<!doctype html>"), where
            assert document.endswith("</html>"), where
            assert django_settings.SITE_NAME in body, where
        if response.status_code == 404:
            assert "We can’t find that page" in body, where
    elif "xml" in content_type:
        ET.fromstring(response.content)


def page_path(page, site):
    return {"<url>": site["url"], "<login>": reverse("admin:login")}.get(page, page)


def substitute(value, site):
    """Test values may name the fixture's rows, whose keys differ between runs."""
    return value.replace("<comment>", str(site["comment"].pk)).replace(
        "<article>", str(site["article"].pk)
    )


# Each route has one hostile segment ({}); the others are the fixture's real values, so a
# hostile value that passes the URL converter reaches the view with real data around it.
ROUTES = {
    "section": ("GET", "/{}/"),
    "tag": ("GET", "/tags/{}/"),
    "author": ("GET", "/authors/{}/"),
    "feed-section": ("GET", "/feeds/sections/{}/"),
    "feed-author": ("GET", "/feeds/authors/{}/"),
    "feed-tag": ("GET", "/feeds/tags/{}/"),
    "article-section": ("GET", "/{}/{year}/{month}/{day}/{slug}/"),
    "article-year": ("GET", "/{section}/{}/{month}/{day}/{slug}/"),
    "article-month": ("GET", "/{section}/{year}/{}/{day}/{slug}/"),
    "article-day": ("GET", "/{section}/{year}/{month}/{}/{slug}/"),
    "article-slug": ("GET", "/{section}/{year}/{month}/{day}/{}/"),
    "preview": ("GET", "/preview/{}/"),
    "preview-share": ("GET", "/preview/share/{}/"),
    "ads-click": ("GET", "/ads/c/{}/"),
    "ads-impression": ("GET", "/ads/i/{}/"),
    "ads-impression-beacon": ("POST", "/ads/i/{}/"),
    "comment-report": ("POST", "/comments/{}/report/"),
    "live-entry": ("GET", "/live/entries/{}/"),
    "live-older": ("GET", "/live/1/older/{}/"),
    "live-updates": ("GET", "/live/1/updates/{}/"),
    "sitemap-section": ("GET", "/sitemap-{}.xml"),
    "static": ("GET", "/static/{}"),
    "media": ("GET", "/media/{}"),
    "admin": ("GET", f"/{django_settings.ADMIN_URL}{{}}"),
    "anywhere": ("GET", "/{}"),
}


@pytest.mark.parametrize("route", ROUTES)
@WIDE
@given(segment=encoded)
def test_hostile_path_segment_is_answered(client, site, route, segment):
    method, template = ROUTES[route]
    path = template.replace("{}", segment.replace("{", "%7B").replace("}", "%7D"))
    for name, value in site["url_parts"].items():
        path = path.replace(f"{{{name}}}", str(value))
    response = client.generic(method, path)
    assert_answered(response)


def test_article_url_with_a_year_too_long_for_int_is_not_found(client, site):
    parts = site["url_parts"]
    path = f"/{parts['section']}/{'9' * 5000}/{parts['month']}/{parts['day']}/{parts['slug']}/"
    assert client.get(path).status_code == 404


def test_report_of_a_comment_number_beyond_the_database_range_is_not_found(client, site):
    assert client.post(f"/comments/{2**63}/report/").status_code == 404
    assert client.post(f"/comments/{'9' * 30}/report/").status_code == 404


PAGES = [
    "/",
    "/latest/",
    "/city/",
    "/tags/transport/",
    "/authors/ada-reyes/",
    "/search/",
    "<url>",
    "/feeds/",
    "/feeds/sections/city/",
    "/sitemap.xml",
    "/sitemap-articles.xml",
    "/news-sitemap.xml",
    "/robots.txt",
    "/ads.txt",
    "/healthz",
    "<login>",
]
KNOWN_KEYS = ["page", "q", "reply_to", "comment", "reported", "p", "next", "utm_source"]
query_key = st.one_of(st.sampled_from(KNOWN_KEYS), encoded)
query_value = st.one_of(
    st.sampled_from(["1", "2", "last", "<comment>", "<article>", "pending", "published"]),
    st.sampled_from(["tunnel", "harbour tunnel", '"harbour', "-tunnel", "tunnel OR", "!:*&|"]),
    number_like.map(lambda value: quote(value, safe="")),
    encoded,
)
query_pair = st.one_of(
    st.tuples(query_key, query_value).map("=".join),
    query_key,  # a key with no "="
    st.sampled_from(["", "=", "==", "&", "=&=", ";"]),
)
query_string = st.lists(query_pair, max_size=8).map("&".join)


@pytest.mark.parametrize("page", PAGES)
@WIDE
@given(query=query_string, page_cache=st.booleans())
def test_hostile_query_string_is_answered(client, site, settings, page, query, page_cache):
    settings.PAGE_CACHE_SECONDS = 600 if page_cache else 0
    response = client.get(f"{page_path(page, site)}?{substitute(query, site)}")
    assert_answered(response)


ARTICLE_PARAMETERS = {
    "reply_to": ["<comment>", "<article>"],
    "reported": ["<comment>", "<article>"],
    "comment": ["pending", "published", "PENDING"],
    "page": ["1", "2"],
}


@DEEP
@given(
    parameters=st.fixed_dictionaries(
        {},
        optional={
            key: st.lists(
                st.one_of(
                    st.sampled_from(valid),
                    number_like.map(lambda value: quote(value, safe="")),
                    encoded,
                ),
                min_size=1,
                max_size=2,  # a parameter given twice
            )
            for key, valid in ARTICLE_PARAMETERS.items()
        },
    ),
    unknown=st.lists(query_pair, max_size=3),
)
@example(parameters={"reply_to": ["%C2%B2"]}, unknown=[])  # "²".isdigit(), int("²") fails
@example(parameters={"reported": ["%E2%81%B0"]}, unknown=[])
def test_article_page_parameters_are_answered(client, site, parameters, unknown):
    """The article page reads ?reply_to= (the form answers that comment), ?comment= (what
    became of a post) and ?reported= (a report was received)."""
    pairs = [f"{key}={value}" for key, values in parameters.items() for value in values]
    query = substitute("&".join([*pairs, *unknown]), site)
    response = client.get(f"{site['url']}?{query}")
    assert_answered(response)
    if response.status_code == 200:
        assert site["article"].headline in response.content.decode()


def test_any_method_is_answered(client, site):
    """Methods the views do not take are a 405 (or a 404), even ones no browser sends."""
    methods = [
        "HEAD",
        "OPTIONS",
        "PUT",
        "PATCH",
        "DELETE",
        "TRACE",
        "CONNECT",
        "PROPFIND",
        "G\x00T",
    ]
    pages = [*PAGES, "/comments/post/", f"/comments/{site['comment'].pk}/report/"]
    for method, page in itertools.product(methods, pages):
        assert_answered(client.generic(method, page_path(page, site)))


@pytest.mark.parametrize("page", ["/latest/", "/search/", "<url>", "/sitemap-articles.xml"])
def test_too_many_query_parameters_is_a_bad_request(client, site, page):
    path = page_path(page, site)
    fields = django_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1
    query = "&".join(["page=1", "q=tunnel", "reply_to=1", "p=1"] * (fields // 4 + 1))
    assert client.get(f"{path}?{query}").status_code == 400


# The comment form: every field it sends, each with values aimed at what it is.
number_field = st.one_of(number_like, st.sampled_from(["<comment>", "<article>"]), hostile_text)
FIELD_VALUES = {
    "name": hostile_text,
    "email": st.one_of(
        st.sampled_from(
            [
                "rosa@example.org",
                "rosa@ex\x00ample.org",
                "rosa@" + "a" * 300 + ".org",
                "rosa@bücher.example",
                "rosa@[::1]",
                '"rosa\\"@example.org',
                "a" * 64 + "@example.org",
                "ROSA@EXAMPLE.ORG",
            ]
        ),
        st.emails().map(str),
        hostile_text,
    ),
    "comment": st.one_of(
        st.sampled_from(
            [
                "casino bonus",
                "see www.example.com and http://example.org and evil.ru",
                "x" * django_settings.COMMENT_MAX_LENGTH,
                "x" * (django_settings.COMMENT_MAX_LENGTH + 1),
            ]
        ),
        hostile_text,
    ),
    "honeypot": hostile_text,
    "reply_to": number_field,
    "content_type": st.one_of(
        st.sampled_from(
            ["articles.article", "comments.readercomment", "auth.user", "nosuchapp.model", "."]
        ),
        hostile_text,
    ),
    "object_pk": number_field,
    "timestamp": number_field,
    "security_hash": st.one_of(st.text("0123456789abcdef", min_size=40, max_size=40), hostile_text),
}
COMMENT_FIELDS = list(FIELD_VALUES)
_unique = itertools.count()


def valid_comment_form(site, **changes):
    article = site["article"]
    return {
        **CommentForm(article).generate_security_data(),
        "name": "Rosa Díaz",
        "email": "rosa@example.org",
        # Unique, so that no post is taken for a resubmission of an earlier one.
        "comment": f"The tunnel saves me an hour a day ({next(_unique)}).",
        "honeypot": "",
        "reply_to": "",
        **changes,
    }


READER_FIELDS = ["name", "email", "comment", "honeypot", "reply_to"]


@DEEP
@given(
    changes=st.one_of(
        # The signed fields intact, so that hostile names, emails and texts get through to
        # the services and the database; or any field changed.
        st.fixed_dictionaries({}, optional={f: FIELD_VALUES[f] for f in READER_FIELDS}),
        st.fixed_dictionaries({}, optional=FIELD_VALUES),
    ),
    dropped=st.sets(st.sampled_from(COMMENT_FIELDS), max_size=2),
    reply=st.booleans(),
    multipart=st.booleans(),
)
@example(changes={"object_pk": "²"}, dropped=set(), reply=False, multipart=False)
@example(changes={"timestamp": "1" + "0" * 400}, dropped=set(), reply=False, multipart=False)
def test_hostile_comment_form_is_answered(client, site, changes, dropped, reply, multipart):
    cache.clear()  # flood control would answer 429 before the form is read
    form = valid_comment_form(site, reply_to=str(site["comment"].pk) if reply else "")
    form.update({field: substitute(value, site) for field, value in changes.items()})
    for field in dropped:
        form.pop(field, None)
    if multipart:
        response = client.post("/comments/post/", form)
    else:
        response = client.post(
            "/comments/post/", urlencode(form), content_type="application/x-www-form-urlencoded"
        )
    assert_answered(response)


def raw_field(name: bytes):
    return st.tuples(
        st.just(name), st.one_of(st.binary(max_size=200), encoded.map(str.encode))
    ).map(b"=".join)


@DEEP
@given(
    layout=st.sampled_from(["form-then-raw", "raw-then-form", "raw", "multipart-then-raw"]),
    hostile=st.lists(
        st.one_of(
            *(raw_field(name.encode()) for name in COMMENT_FIELDS),
            st.binary(max_size=200),
            st.tuples(st.binary(max_size=40), st.binary(max_size=40)).map(b"=".join),
        ),
        max_size=5,
    ),
    content_type=st.sampled_from(
        [
            "application/x-www-form-urlencoded",
            "application/x-www-form-urlencoded; charset=latin-1",
            "application/x-www-form-urlencoded; charset=no-such-charset",
            "application/x-www-form-urlencoded; charset=utf-16",
            "multipart/form-data",
            f"multipart/form-data; boundary={BOUNDARY}",
            "multipart/form-data; boundary=",
            "multipart/form-data; boundary=\x00",
            "text/plain",
            "application/json",
            "",
        ]
    ),
)
def test_raw_comment_post_body_is_answered(client, site, layout, hostile, content_type):
    """Bytes as they come off the wire: invalid UTF-8 and NUL in keys and values, bodies
    that do not match their content type, and a valid form with raw fields spliced in."""
    cache.clear()
    form = urlencode(valid_comment_form(site)).encode()
    body = {
        "form-then-raw": b"&".join([form, *hostile]),
        "raw-then-form": b"&".join([*hostile, form]),
        "raw": b"&".join(hostile),
        "multipart-then-raw": encode_multipart(BOUNDARY, {"comment": "x"}) + b"&".join(hostile),
    }[layout]
    response = client.generic("POST", "/comments/post/", data=body, content_type=content_type)
    assert_answered(response)


@pytest.mark.parametrize("target", ["report", "impression", "admin-login"])
@FUZZ
@given(body=st.binary(max_size=500), extra=st.lists(raw_field(b"username"), max_size=3))
def test_raw_post_body_to_other_forms_is_answered(client, site, target, body, extra):
    cache.clear()
    path = {
        "report": f"/comments/{site['comment'].pk}/report/",
        "impression": f"/ads/i/{site['impression_token']}/",
        "admin-login": reverse("admin:login"),
    }[target]
    raw = b"&".join([body, *extra])
    response = client.generic(
        "POST", path, data=raw, content_type="application/x-www-form-urlencoded"
    )
    assert_answered(response)


@FUZZ
@given(username=hostile_text, password=hostile_text)
@example(username="1" * 300, password="wrong")  # longer than django-axes' username column
def test_hostile_admin_login_is_answered(client, site, username, password):
    cache.clear()
    reset_login_attempts()
    response = client.post(reverse("admin:login"), {"username": username, "password": password})
    assert_answered(response)
    assert response.status_code != 302  # nobody gets in


def body_of_size(size: int, prefix: bytes) -> bytes:
    return prefix + b"x" * (size - len(prefix))


@pytest.mark.parametrize("over", [0, 1], ids=["at-limit", "over-limit"])
@pytest.mark.parametrize("target", ["comment", "admin-login"])
def test_body_over_the_upload_limit_is_a_bad_request(client, site, target, over):
    limit = django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    path = {"comment": "/comments/post/", "admin-login": reverse("admin:login")}[target]
    field = b"comment=" if target == "comment" else b"username=rosa&password="
    prefix = urlencode(valid_comment_form(site)).encode() + b"&" if target == "comment" else b""
    body = body_of_size(limit + over, prefix + field)
    response = client.generic(
        "POST", path, data=body, content_type="application/x-www-form-urlencoded"
    )
    assert_answered(response)
    if over:
        assert response.status_code == 400
    # Multipart: the limit counts field data, not files.
    response = client.generic(
        "POST",
        path,
        data=encode_multipart(BOUNDARY, {"name": "Rosa", "comment": "x" * (limit + over)}),
        content_type=MULTIPART_CONTENT,
    )
    assert_answered(response)
    if over:
        assert response.status_code == 400


@pytest.mark.parametrize("multipart", [False, True], ids=["urlencoded", "multipart"])
@pytest.mark.parametrize("target", ["comment", "admin-login"])
def test_too_many_form_fields_is_a_bad_request(client, site, target, multipart):
    path = {"comment": "/comments/post/", "admin-login": reverse("admin:login")}[target]
    fields = {f"f{i}": "x" for i in range(django_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    fields.update(valid_comment_form(site))
    if multipart:
        response = client.post(path, fields)
    else:
        response = client.post(
            path, urlencode(fields), content_type="application/x-www-form-urlencoded"
        )
    assert response.status_code == 400


# Headers that views and middleware read.
address = st.one_of(
    st.ip_addresses().map(str),
    st.sampled_from(["127.0.0.1", "::1", "::ffff:127.0.0.1", "unknown", "_hidden"]),
    st.just("0.0.0.0"),  # noqa: S104 - an address a proxy may pass on, not a bind
    st.ip_addresses(v=4).map(lambda ip: f"{ip}:8080"),
    st.ip_addresses(v=6).map(lambda ip: f"[{ip}]:443"),
    header_value,
)
zoned_address = st.tuples(
    st.ip_addresses(v=6).map(str),
    st.one_of(
        header_value,
        st.text(st.characters(min_codepoint=33, max_codepoint=255), min_size=30, max_size=300),
    ),
).map("%".join)
forwarded_for = st.one_of(
    address,
    zoned_address,
    st.lists(st.one_of(address, zoned_address), min_size=1, max_size=5).map(", ".join),
    header_value,
    long_text.map(latin1),
)
host = st.one_of(
    st.sampled_from(
        [
            "testserver",
            "testserver:80",
            "testserver:99999999999999999999",
            "testserver.",
            "TESTSERVER",
            "127.0.0.1",
            "[::1]",
            "evil.example",
            "testserver@evil.example",
            "testserver/../",
            "testserver\x00",
            "test server",
            "",
            ":80",
            "[",
            "]",
            "localhost:-1",
        ]
    ),
    header_value,
)
http_date = st.one_of(
    st.sampled_from(
        [
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
            "Mon, 01 Jan 0000 00:00:00 GMT",
            "Fri, 31 Dec 9999 23:59:59 GMT",
            "Wed, 31 Feb 2024 25:61:61 GMT",
            "-1",
            "99999999999999999999",
        ]
    ),
    header_value,
)
etag = st.one_of(
    st.sampled_from(['"abc"', 'W/"abc"', "*", '"', 'W/"', '"a", W/"b", *', ",,,,"]),
    header_value,
)
cookie = st.one_of(
    st.sampled_from(
        [
            'sessionid="abcdefgh\\000ijkl"',  # a quoted cookie's octal escape: a NUL
            "sessionid=" + "a" * 40,
            "sessionid=" + "a" * 5000,
            "sessionid=\x00\x00\x00\x00\x00\x00\x00\x00",
            "csrftoken=\x00; sessionid=;",
            "messages=garbage",
            "=; ==; ;;",
        ]
    ),
    header_value.map(lambda value: f"sessionid={value}"),
    header_value.map(lambda value: f'sessionid="{value}"'),
    header_value,
)
HEADERS = {
    "HTTP_ORIGIN": st.one_of(
        st.sampled_from(["http://testserver", "https://testserver", "null", "http://evil"]),
        header_value,
    ),
    "HTTP_USER_AGENT": st.one_of(
        st.sampled_from(["Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0", "Googlebot/2.1"]),
        header_value,
        long_text.map(latin1),
    ),
    "HTTP_X_FORWARDED_FOR": forwarded_for,
    "HTTP_X_FORWARDED_PROTO": header_value,
    "HTTP_X_FORWARDED_HOST": host,
    "HTTP_HOST": host,
    "HTTP_IF_NONE_MATCH": etag,
    "HTTP_IF_MATCH": etag,
    "HTTP_IF_MODIFIED_SINCE": http_date,
    "HTTP_IF_UNMODIFIED_SINCE": http_date,
    "HTTP_COOKIE": cookie,
    "HTTP_REFERER": header_value,
    "HTTP_ACCEPT": header_value,
    "HTTP_ACCEPT_LANGUAGE": header_value,
}


def host_is_allowed(extra):
    if "HTTP_HOST" not in extra:
        return True
    domain, _port = split_domain_port(extra["HTTP_HOST"])
    return bool(domain) and validate_host(domain, django_settings.ALLOWED_HOSTS)


def send(client, site, endpoint, **extra):
    """One request a reader (or a bot) makes, with the given headers."""
    cache.clear()  # flood control would answer 429 before the headers are used
    reset_login_attempts()  # so that each failed login is recorded, as a first one is
    extra = {"REMOTE_ADDR": "127.0.0.1", **extra}
    if endpoint == "home":
        return client.get("/", **extra)
    if endpoint == "article":
        return client.get(site["url"], **extra)
    if endpoint == "search":
        return client.get("/search/?q=tunnel", **extra)
    if endpoint == "feed":
        return client.get("/feeds/", **extra)
    if endpoint == "preview":  # reads the session, to see who is asking
        return client.get(f"/preview/{site['article'].pk}/", **extra)
    if endpoint == "comment":
        return client.post("/comments/post/", valid_comment_form(site), **extra)
    if endpoint == "report":
        return client.post(f"/comments/{site['comment'].pk}/report/", **extra)
    if endpoint == "impression":
        return client.post(f"/ads/i/{site['impression_token']}/", **extra)
    if endpoint == "click":
        return client.get(f"/ads/c/{site['click_token']}/", **extra)
    if endpoint == "login-page":
        return client.get(reverse("admin:login"), **extra)
    assert endpoint == "login"
    credentials = {"username": f"nobody{next(_unique)}", "password": "wrong"}
    return client.post(reverse("admin:login"), credentials, **extra)


ENDPOINTS = [
    "home",
    "article",
    "search",
    "feed",
    "preview",
    "comment",
    "report",
    "impression",
    "click",
    "login-page",
    "login",
]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@WIDE
@given(data=st.data(), focus=st.sampled_from(sorted(HEADERS)), behind_proxy=st.booleans())
def test_hostile_headers_are_answered(client, site, settings, endpoint, data, focus, behind_proxy):
    """One header is hostile in each example, others may be; Host only when it is the one,
    since a refused host ends the request before anything else is read."""
    settings.TRUSTED_PROXIES = ["127.0.0.1"] if behind_proxy else []
    others = {name: value for name, value in HEADERS.items() if name not in (focus, "HTTP_HOST")}
    extra = {
        focus: data.draw(HEADERS[focus], label=focus),
        **data.draw(st.fixed_dictionaries({}, optional=others), label="others"),
    }
    response = send(client, site, endpoint, **extra)
    assert_answered(response)
    if not host_is_allowed(extra):
        assert response.status_code == 400


@pytest.mark.parametrize("endpoint", ["comment", "report", "impression", "click", "login"])
@FUZZ
@given(forwarded=forwarded_for)
@example(forwarded="fe80::1%" + "x" * 40)  # a zone makes it too long for an inet column
def test_forwarded_for_behind_a_trusted_proxy_is_answered(client, site, settings, endpoint,
                                                          forwarded):  # fmt: skip
    """Behind a trusted proxy, X-Forwarded-For names the reader: it reaches rate limits,
    the stored comment's address, the report's hash and django-axes' login records."""
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    response = send(client, site, endpoint, HTTP_X_FORWARDED_FOR=forwarded)
    assert_answered(response)


@pytest.mark.parametrize("endpoint", ["article", "login-page", "login"])
@pytest.mark.parametrize(
    "header",
    [
        {"HTTP_USER_AGENT": "Mozilla/5.0\x00"},  # django-axes stores a failed login's agent
        {"HTTP_COOKIE": 'sessionid="abcdefgh\\000ijkl"'},  # the session key is looked up
        {"HTTP_COOKIE": "sessionid=abcdefgh\x00ijkl"},
        {"HTTP_REFERER": "\x00"},
    ],
    ids=["user-agent", "quoted-cookie", "cookie", "referer"],
)
def test_nul_in_a_header_or_cookie_is_a_bad_request(client, site, endpoint, header):
    """HTTP forbids NUL in headers and PostgreSQL in text: refused before any view runs."""
    response = send(client, site, endpoint, **header)
    assert response.status_code == 400


def test_fixture_pages_render(client, site):
    """The fuzzing above is only worth something if the pages it attacks really render."""
    for path in [site["url"], "/", "/city/", "/tags/transport/", "/authors/ada-reyes/"]:
        response = client.get(path)
        assert response.status_code == 200
        assert site["article"].headline in response.content.decode()
    assert client.get(f"/preview/share/{site['share_token']}/").status_code == 200
    assert client.get(f"/ads/c/{site['click_token']}/").status_code == 302
    assert client.post(f"/ads/i/{site['impression_token']}/").status_code == 204


# The admin (issue 11, item 8): every changelist's filters, searches, ordering, pages and
# date hierarchy, the autocomplete, and the moderators' row buttons and bulk actions, as
# each role. Staff pages must answer hostile values with 400 or ignore them, never 500.
ROLES = ["Editor", "Reporter", "Moderator", "Ad manager", "Live editor", "superuser"]
# Each changelist with the parameters it reads: its list filters', its date hierarchy's
# parts, and field lookups Django accepts from the address.
CHANGELIST_KEYS = {
    "articles/article": [
        "status", "status__exact", "section__id__exact", "bylines__author__id__exact",
        "is_must_read__exact", "published_at__year", "published_at__month",
        "published_at__day", "published_at__gte", "published_at__lt", "id__in",
    ],
    "articles/section": ["name", "slug__exact", "position"],
    "articles/tag": ["name", "slug"],
    "articles/author": ["name", "photo__id__exact"],
    "articles/photo": ["credit", "created_at__gte", "width__gt"],
    "comments/readercomment": [
        "status", "status__exact", "reported", "ip_address", "ip_address__exact",
        "user_name", "user_email", "report_count", "submit_date__year", "submit_date__month",
        "submit_date__day", "submit_date__gte", "submit_date__lt", "parent__id__exact",
        "content_object__id", "user__username", "site__id__exact",
    ],
    "liveblog/liveentry": [
        "status__exact", "is_key_event__exact", "is_pinned__exact", "published_at__year",
        "published_at__month", "published_at__day", "article__id__exact",
    ],
    "ads/advertiser": ["name", "contact_email"],
    "ads/placement": ["key", "width"],
    "ads/creative": [
        "schedule", "advertiser__id__exact", "kind__exact", "priority__exact",
        "placements__id__exact", "is_active__exact",
    ],
    "ads/dailystat": ["start", "end", "group_by", "format"],
    "ads/adstxt": ["id"],
    "auth/user": [
        "is_superuser__exact", "groups__id__exact", "date_joined__year", "last_login__isnull",
    ],
    "axes/accessattempt": ["ip_address", "attempt_time__year", "attempt_time__month", "username"],
}  # fmt: skip
CHANGELIST_PARAMETERS = ["q", "o", "p", "e", "all", "_to_field", "_popup", "id", "pk", "id__gt"]
admin_value = st.one_of(
    st.sampled_from(["1", "0", "2024", "12", "31", "pending", "public", "yes", "1,2", "True"]),
    st.sampled_from(["203.0.113.5", "::1", "zzz", "1.2.3", "-1", "99999999999", "%00"]),
    number_like.map(lambda value: quote(value, safe="")),
    encoded,
)


def changelist_query(model):
    """Up to four of the changelist's parameters (or any), each with a hostile value."""
    key = st.one_of(st.sampled_from(CHANGELIST_KEYS[model] + CHANGELIST_PARAMETERS), encoded)
    pair = st.tuples(key, admin_value).map("=".join)
    return st.lists(pair, min_size=1, max_size=4).map(
        lambda pairs: f"/{django_settings.ADMIN_URL}{model}/?" + "&".join(pairs)
    )


ADMIN_FUZZ = fuzz_settings(FUZZ, max_examples=60)


def assert_admin_answered(response):
    """A 2xx, 3xx or 4xx, and a page that is whole (the admin's own pages and
    Django's "Database error" page, which it shows for a lookup it refused twice, do
    not carry the site's name)."""
    where = f"{response.wsgi_request.method} {response.wsgi_request.get_full_path()!r}"
    assert response.status_code < 500, f"{response.status_code} for {where}"
    if response.get("Content-Type", "").startswith("text/html") and response.content:
        document = response.content.decode().strip().lower()
        assert CANARY.lower() not in document, f"unescaped input in {where}"
        assert document.startswith("<!doctype html>"), where
        assert document.endswith("</html>"), where


class Staff(NamedTuple):
    client: Client
    changelists: list[str]  # those of CHANGELIST_KEYS the role may see


@pytest.fixture
def staff(site):
    """Each role signed in, and a superuser."""
    signed_in = {}
    for role in ROLES:
        if role == "superuser":
            user = factories.UserFactory(username="root", is_superuser=True)
        else:
            user = factories.UserFactory(username=role.replace(" ", ""), groups=[role])
        seen = [page for page in CHANGELIST_KEYS if user.has_perm(VIEW.format(*page.split("/")))]
        signed_in[role] = Staff(logged_in(user), seen)
    return signed_in


VIEW = "{}.view_{}"


@pytest.mark.parametrize("role", ROLES)
@ADMIN_FUZZ
@given(data=st.data())
def test_hostile_admin_filters_and_searches_are_answered(staff, role, data):
    """On the changelists the role may see (the issue's own cases: tests/newsroom/test_admin.py)."""
    pages = st.sampled_from(staff[role].changelists)
    address = data.draw(pages.flatmap(changelist_query), label="address")
    response = staff[role].client.get(address)
    assert_admin_answered(response)


@pytest.mark.parametrize("role", ROLES)
@ADMIN_FUZZ
@given(
    field=st.sampled_from(
        [
            ("articles", "article", "tags"),
            ("articles", "article", "hero_photo"),
            ("articles", "author", "photo"),
            ("ads", "creative", "advertiser"),
        ]
    ),
    term=st.one_of(hostile_text.map(lambda value: quote(value, safe="")), encoded),
    page=st.one_of(st.just("1"), admin_value),
)
@example(field=("articles", "article", "tags"), term="%00", page="1")
def test_hostile_admin_autocomplete_is_answered(staff, role, field, term, page):
    app_label, model_name, field_name = field
    response = staff[role].client.get(
        f"/{django_settings.ADMIN_URL}autocomplete/?app_label={app_label}"
        f"&model_name={model_name}&field_name={field_name}&term={term}&page={page}"
    )
    assert_admin_answered(response)


@pytest.mark.parametrize("role", ROLES)
@ADMIN_FUZZ
@given(
    decide=st.one_of(
        st.tuples(st.sampled_from(["approve", "reject", "spam", "publish", ""]), hostile_text).map(
            ":".join
        ),
        hostile_text,
    ),
    selected=st.lists(st.one_of(st.just("<comment>"), number_like, hostile_text), max_size=3),
    action=st.sampled_from(["approve", "reject", "mark_spam", "delete_selected", "nosuch"]),
    one_click=st.booleans(),
)
@example(decide="approve:²", selected=[], action="approve", one_click=True)
@example(decide="approve:١", selected=[], action="approve", one_click=True)
@example(decide=f"approve:{2**63}", selected=[], action="approve", one_click=True)
@example(decide="", selected=["²", str(2**63)], action="approve", one_click=False)
def test_hostile_moderation_post_is_answered(staff, site, role, decide, selected, action,
                                             one_click):  # fmt: skip
    """The queue's row buttons (_decide=approve:<pk>) and its bulk actions."""
    if one_click:
        data = {"_decide": substitute(decide, site)}
    else:
        data = {
            "action": action,
            ACTION_CHECKBOX_NAME: [substitute(pk, site) for pk in selected],
            "index": "0",
        }
    response = staff[role].client.post(f"/{django_settings.ADMIN_URL}comments/readercomment/", data)
    assert_admin_answered(response)
