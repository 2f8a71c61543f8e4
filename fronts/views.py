from collections.abc import Sequence

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.cache import add_never_cache_headers

from articles.models import LATEST_KEY, Article, Section
from articles.pages import (
    LISTING_PAGE_SIZE,
    ReadWhenShown,
    latest_headlines,
    most_read_headlines,
)
from articles.views import set_last_modified
from newsroom.cachekeys import shows
from newsroom.fragments import kept_fragments_rendered_at, kept_row_seconds

from .models import Front
from .pages import HomeFront, ShownFront, assemble, draft_layout, home_front
from .previews import previewed_front_pk

FRONTS = Front.objects.select_related("section")


def _home_context(front: HomeFront | ShownFront, sections: Sequence[Section]) -> dict:
    return {
        "front": front,
        # Read only when the Latest list beside the front is rendered anew.
        "latest": ReadWhenShown(lambda: latest_headlines(excluding=front.lead)),
        "most_read": most_read_headlines(),
        # The navigation's sections too (instead of navigation()'s own query).
        "nav_sections": sections,
        "page_type": "home",
    }


def home(request):
    """The home page: its front as last published (or, before that, as it always was)."""
    sections = ReadWhenShown(lambda: Section.objects.all())
    front = home_front(sections.read, seconds=kept_row_seconds(request))
    # The Latest list beside it changes with any story published or taken down.
    shows(request, LATEST_KEY, *front.cache_keys)
    response = render(request, "fronts/home.html", _home_context(front, sections))
    published = [front.published_at] if front.published_at else []
    return set_last_modified(
        response, front.read_so_far(), *published, kept_fragments_rendered_at(request)
    )


def _render_preview(request, front: Front):
    """The front's draft exactly as readers would see it once published."""
    request.fragments_off = True  # a draft purges nothing: render all of it
    shown = assemble(draft_layout(front))
    preview = {"is_preview": True, "front": shown, "draft_front": front}
    if front.section is None:
        sections = list(Section.objects.all())
        response = render(
            request, "fronts/home.html", {**_home_context(shown, sections), **preview}
        )
    else:
        # The list below leaves out the front's stories, as the section page does.
        articles = (
            Article.objects.for_listing()
            .filter(section=front.section)
            .exclude(pk__in=[article.pk for article in shown.articles])
        )
        page = Paginator(articles, LISTING_PAGE_SIZE).get_page(1)
        context = {
            "section": front.section,
            "page_obj": page,
            "articles": page.object_list,
            "page_type": "section",
            "page_section": front.section,
            "above_list": shown,
        }
        response = render(request, "articles/section_detail.html", {**context, **preview})
    response["X-Robots-Tag"] = "noindex, nofollow"
    add_never_cache_headers(response)
    return response


@login_required
def preview(request, pk):
    """A front's draft, for staff who may change fronts."""
    if not request.user.is_staff or not request.user.has_perm("fronts.change_front"):
        raise Http404
    return _render_preview(
        request, get_object_or_404(Front.objects.select_related("section"), pk=pk)
    )


def preview_share(request, token):
    """A front's draft shown to a reviewer without an account, through a signed link."""
    pk = previewed_front_pk(token)
    if pk is None:
        raise Http404("This preview link is invalid or has expired.")
    return _render_preview(
        request, get_object_or_404(Front.objects.select_related("section"), pk=pk)
    )
