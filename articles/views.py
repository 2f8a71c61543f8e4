from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseForbidden, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.cache import add_never_cache_headers
from django.utils.functional import SimpleLazyObject
from django.utils.http import http_date
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from django.views.generic import ListView

from newsroom.beacons import PIXEL
from newsroom.cachekeys import cache_key, shown_changed_at, shows, shows_real_page
from newsroom.clients import client_hash, from_other_site
from newsroom.fragments import kept_fragments_rendered_at, kept_row_seconds
from newsroom.sectionpages import above_section_list

from . import services
from .blocks import allow_frames
from .forms import SearchForm
from .models import LATEST_KEY, Article, ArticleSlugRedirect, Author, Section, Tag
from .pages import (
    AUTHOR_LISTING,
    LATEST_LISTING,
    LISTING_PAGE_SIZE,
    SECTION_LISTING,
    TAG_LISTING,
    FirstListingPage,
    ReadWhenShown,
    article_page_context,
    is_first_listing_page,
    latest_headlines,
    listing_page,
    page_subject,
    story_for_page,
)
from .previews import previewed_pk


def set_last_modified(response, articles, *extra_times):
    """Send Last-Modified from the newest change among the articles a page shows.

    A scheduled article changes the pages it appears on when it goes live, so its
    publish time counts as a change too.
    """
    times = [*extra_times]
    for article in articles:
        times += [article.updated_at, article.published_at]
    if known := [time for time in times if time is not None]:
        response["Last-Modified"] = http_date(max(known).timestamp())
    return response


def article_detail(request, section, year, month, day, slug):
    story = story_for_page(slug, seconds=kept_row_seconds(request))
    if story is None:
        redirect = (
            ArticleSlugRedirect.objects.filter(
                old_slug=slug, article__in=Article.objects.published()
            )
            .select_related("article__section")
            .first()
        )
        if redirect is None:
            raise Http404("No published article at this address.")
        shows(request, cache_key(redirect.article))
        return HttpResponsePermanentRedirect(redirect.article.get_absolute_url())
    article, body, read_now = story
    canonical = article.url_kwargs()
    requested = {"section": section, "year": year, "month": f"{month:02d}", "day": f"{day:02d}"}
    if any(canonical[key] != value for key, value in requested.items()):
        shows(request, cache_key(article))
        return HttpResponsePermanentRedirect(article.get_absolute_url())
    context = article_page_context(article, body=body, read_now=read_now)
    response = render(request, "articles/article_detail.html", context)
    allow_frames(request, response, context["body"])
    shown = [article, *context["more_articles"].read_so_far()]
    kept_since = kept_fragments_rendered_at(request)
    return set_last_modified(
        response,
        shown,
        article.last_edited_at(kept_since=kept_since),
        kept_since,
        shown_changed_at(request),  # live coverage's entries, say
    )


def latest_fragment(request):
    """The Latest list beside a story, which the story's page fills in in the browser
    (static/js/latest.js): kept once by the caches and purged when a story is published,
    where a list inside each story's page would purge every story's page."""
    articles = latest_headlines()
    response = render(request, "includes/_latest.html", {"articles": articles})
    response["X-Robots-Tag"] = "noindex"
    return set_last_modified(response, articles.read_so_far(), kept_fragments_rendered_at(request))


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def article_viewed(request, pk):
    """A reader opened a story: a beacon (POST) from its page's script, or the no-script
    pixel (GET), for Most read.

    Counted here rather than when the page is made, so that views of pages served from
    a cache count too; bots and repeats are not counted (services.article_view_record),
    and a beacon from another site is refused.
    """
    if from_other_site(request):
        return HttpResponseForbidden()
    services.article_view_record(
        article_id=pk,
        client=client_hash(request),
        user_agent=request.headers.get("User-Agent", ""),
    )
    if request.method == "POST":
        return HttpResponse(status=204)
    return HttpResponse(PIXEL, content_type="image/gif")


def _render_preview(request, article):
    request.fragments_off = True  # a draft's edits purge nothing: render all of it
    context = {**article_page_context(article), "is_preview": True}
    response = render(request, "articles/article_detail.html", context)
    allow_frames(request, response, context["body"])
    response["X-Robots-Tag"] = "noindex, nofollow"
    add_never_cache_headers(response)
    return response


@login_required
def preview(request, pk):
    """Any article, as readers would see it, for staff who may edit it."""
    if not request.user.is_staff or not request.user.has_perm("articles.change_article"):
        raise Http404
    article = get_object_or_404(Article.objects.editable_by(request.user).with_detail(), pk=pk)
    return _render_preview(request, article)


def preview_share(request, token):
    """A draft shown to a reviewer without an account, through a signed, expiring link."""
    pk = previewed_pk(token)
    if pk is None:
        raise Http404("This preview link is invalid or has expired.")
    article = get_object_or_404(Article.objects.with_detail(), pk=pk)
    return _render_preview(request, article)


class ArticleListMixin:
    """Shared by every listing: published articles a page at a time, each page read from
    the index where the one before it ended (pages.listing_page), however deep."""

    paginate_by = LISTING_PAGE_SIZE
    context_object_name = "articles"

    def get_queryset(self):
        return LATEST_LISTING.of()

    # A tag of no published story has no page (its name cannot be probed): read from the
    # page itself, as asking Tag.objects.in_use() first would cost a semi-join over every
    # story of a tag used by a third of the archive.
    empty_list_is_404 = False

    def paginate_queryset(self, queryset, page_size):
        if is_first_listing_page(self.request.GET):
            # Read only if its list is not kept rendered (base_listing.html's fragment).
            empty = Http404("Nothing published here.") if self.empty_list_is_404 else None
            page = FirstListingPage(queryset, when_empty=empty)
            return None, page, page.articles, SimpleLazyObject(lambda: page.has_other_pages)
        page = listing_page(queryset, self.request.GET)
        if page.is_real and "before" in self.request.GET:
            shows_real_page(self.request, "before")
        return None, page, page.articles, page.has_other_pages

    def get_context_data(self, **kwargs):
        return super().get_context_data(list_keys=self.shown_cache_keys(), **kwargs)

    def shown_cache_keys(self):
        """The surrogate keys of the list this page is a page of, and of its subject."""
        return [LATEST_KEY]

    def also_shown(self):
        """Stories the page shows besides its list, and other times what it shows
        changed, for its Last-Modified."""
        return [], []

    def render_to_response(self, context, **response_kwargs):
        shows(self.request, *self.shown_cache_keys())
        response = super().render_to_response(context, **response_kwargs)
        articles, times = self.also_shown()

        def last_modified(response):
            # The stories the page read, or when its kept list was rendered.
            listed = context["page_obj"].articles
            read = listed.read_so_far() if isinstance(listed, ReadWhenShown) else listed
            kept = kept_fragments_rendered_at(self.request)
            return set_last_modified(response, [*read, *articles], *times, kept)

        response.add_post_render_callback(last_modified)
        return response


class LatestView(ArticleListMixin, ListView):
    template_name = "articles/latest.html"


class SectionView(ArticleListMixin, ListView):
    template_name = "articles/section_detail.html"

    def get_queryset(self):
        self.section = page_subject(
            Section.objects.all(), self.kwargs["slug"], seconds=kept_row_seconds(self.request)
        )
        # The section's front, shown on the first page: its stories are left out of
        # every page of the list, so that no story appears twice and pages follow on.
        self.above_list = above_section_list(self.request, self.section)
        above = self.above_list.articles if self.above_list is not None else []
        return SECTION_LISTING.of(self.section.pk, [article.pk for article in above])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            section=self.section,
            above_list=self.above_list,
            page_type="section",
            page_section=self.section,
            **kwargs,
        )

    def shown_cache_keys(self):
        return [cache_key(self.section), self.section.articles_cache_key]

    def also_shown(self):
        # The front changes every page of the list, which leaves its stories out.
        if self.above_list is None:
            return [], []
        return self.above_list.articles, [self.above_list.published_at]


class TagView(ArticleListMixin, ListView):
    template_name = "articles/tag_detail.html"

    def get_queryset(self):
        self.tag = page_subject(
            Tag.objects.all(), self.kwargs["slug"], seconds=kept_row_seconds(self.request)
        )
        return TAG_LISTING.of(self.tag.pk)

    empty_list_is_404 = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)

    def shown_cache_keys(self):
        return [cache_key(self.tag), self.tag.articles_cache_key]


class AuthorView(ArticleListMixin, ListView):
    template_name = "articles/author_detail.html"

    def get_queryset(self):
        self.author = page_subject(
            Author.objects.select_related("photo"),
            self.kwargs["slug"],
            seconds=kept_row_seconds(self.request),
        )
        return AUTHOR_LISTING.of(self.author.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.author, **kwargs)

    def shown_cache_keys(self):
        return [cache_key(self.author), self.author.articles_cache_key]


def search(request):
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    results = page = None
    if query:
        results = Article.objects.search(query)
        page = Paginator(results, LISTING_PAGE_SIZE).get_page(request.GET.get("page"))
    shows(request, LATEST_KEY)  # results change with any story published or changed
    response = render(
        request,
        "articles/search.html",
        {"form": form, "results": results, "page_obj": page, "query": query},
    )
    return set_last_modified(response, page.object_list if page else [])
