from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from articles.models import Article, Correction
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db


def test_published_includes_articles_whose_time_has_come():
    article = ArticleFactory()
    assert list(Article.objects.published()) == [article]


@pytest.mark.parametrize("status", [Article.Status.DRAFT, Article.Status.REVIEW])
def test_published_excludes_unpublished_statuses(status):
    ArticleFactory(status=status)
    assert not Article.objects.published().exists()


def test_published_excludes_scheduled_articles():
    ArticleFactory(published_at=timezone.now() + timedelta(hours=1))
    assert not Article.objects.published().exists()


def test_scheduled_article_appears_by_itself_when_its_time_comes():
    publish_at = timezone.now() + timedelta(hours=2)
    article = ArticleFactory(published_at=publish_at)
    with time_machine.travel(publish_at - timedelta(seconds=1)):
        assert not Article.objects.published().exists()
    with time_machine.travel(publish_at + timedelta(seconds=1)):
        assert list(Article.objects.published()) == [article]


def test_for_listing_orders_newest_first():
    older = ArticleFactory(published_at=timezone.now() - timedelta(days=2))
    newer = ArticleFactory(published_at=timezone.now() - timedelta(hours=2))
    assert list(Article.objects.for_listing()) == [newer, older]


def test_must_read_pick_expires():
    ends = timezone.now() + timedelta(hours=3)
    pick = ArticleFactory(is_must_read=True, must_read_until=ends)
    ArticleFactory(is_must_read=False)
    assert list(Article.objects.must_read()) == [pick]
    with time_machine.travel(ends + timedelta(minutes=1)):
        assert not Article.objects.must_read().exists()


def test_must_read_never_shows_drafts():
    ArticleFactory(is_must_read=True, status=Article.Status.DRAFT)
    assert not Article.objects.must_read().exists()


def related(article, *, published_before=None, count=10):
    published_before = published_before or timezone.now()
    return Article.objects.related_to(article, published_before=published_before, count=count)


def test_related_to_finds_same_section_or_shared_tag_but_not_itself_or_drafts():
    city, sport = SectionFactory(name="City"), SectionFactory(name="Sport")
    transport = TagFactory(name="Transport")
    article = ArticleFactory(section=city, tags=[transport])
    same_section = ArticleFactory(section=city)
    shared_tag = ArticleFactory(section=sport, tags=[transport])
    ArticleFactory(section=sport)
    ArticleFactory(section=city, status=Article.Status.DRAFT)
    ArticleFactory(section=city, keep_out_of_promotion=True)
    assert set(related(article)) == {same_section, shared_tag}


def test_related_to_merges_section_and_tags_newest_first_up_to_the_count():
    city, sport = SectionFactory(name="City"), SectionFactory(name="Sport")
    transport, buses = TagFactory(name="Transport"), TagFactory(name="Buses")
    article = ArticleFactory(section=city, tags=[transport, buses])
    now = timezone.now()

    def story(hours_ago, **kwargs):
        return ArticleFactory(published_at=now - timedelta(hours=hours_ago), **kwargs)

    # The section's and the tags' stories interleave; a story on both tags comes once.
    section_stories = [story(1, section=city), story(4, section=city), story(6, section=city)]
    tag_stories = [
        story(2, section=sport, tags=[transport, buses]),
        story(3, section=sport, tags=[buses]),
        story(5, section=sport, tags=[transport]),
    ]
    story(0.5, section=sport)  # neither
    by_date = sorted(section_stories + tag_stories, key=lambda a: a.published_at, reverse=True)
    assert list(related(article, count=4)) == by_date[:4]
    assert list(related(article, count=10)) == by_date


def test_related_to_reads_its_cards_in_one_query_and_their_bylines_in_another(
    django_assert_num_queries,
):
    city, sport = SectionFactory(name="City"), SectionFactory(name="Sport")
    transport = TagFactory(name="Transport")
    article = ArticleFactory(section=city, tags=[transport])
    authors = [AuthorFactory(), AuthorFactory()]
    shown = [
        ArticleFactory(section=city, authors=[authors[0]]),
        ArticleFactory(section=sport, tags=[transport], authors=[authors[1]]),
    ]
    article = Article.objects.with_detail().get(pk=article.pk)
    assert article.topics  # read with the story, before More articles
    with django_assert_num_queries(2):
        cards = related(article)
        bylines = [card.byline_authors for card in cards]
    assert cards == shown[::-1]
    assert bylines == [[authors[1]], [authors[0]]]


def test_related_to_reads_only_stories_published_before_the_given_time():
    city = SectionFactory(name="City")
    transport = TagFactory(name="Transport")
    article = ArticleFactory(section=city, tags=[transport])
    earlier = ArticleFactory(section=city, published_at=article.published_at - timedelta(minutes=5))
    earlier_on_the_tag = ArticleFactory(
        tags=[transport], published_at=article.published_at - timedelta(minutes=10)
    )
    ArticleFactory(section=city, published_at=article.published_at + timedelta(minutes=5))
    ArticleFactory(tags=[transport], published_at=article.published_at + timedelta(minutes=5))
    assert list(related(article, published_before=article.published_at)) == [
        earlier,
        earlier_on_the_tag,
    ]


def test_related_to_an_untagged_story_reads_its_section():
    city = SectionFactory(name="City")
    article = ArticleFactory(section=city)
    same_section = ArticleFactory(section=city)
    ArticleFactory(tags=[TagFactory(name="Transport")])
    assert list(related(article)) == [same_section]


def test_search_finds_published_articles_only():
    ArticleFactory(headline="Tram extension approved by council")
    ArticleFactory(headline="Tram extension draft", status=Article.Status.DRAFT)
    ArticleFactory(headline="Tram extension later", published_at=timezone.now() + timedelta(days=1))
    ArticleFactory(headline="Harbour dredging begins")
    results = list(Article.objects.search("tram extension"))
    assert [a.headline for a in results] == ["Tram extension approved by council"]


def test_search_ranks_headline_matches_first():
    body_match = ArticleFactory(
        headline="Council meets", body="<p>The lighthouse repairs were discussed.</p>"
    )
    headline_match = ArticleFactory(
        headline="Lighthouse repairs finished", published_at=timezone.now() - timedelta(days=3)
    )
    assert list(Article.objects.search("lighthouse")) == [headline_match, body_match]


def test_search_with_only_punctuation_finds_nothing(django_assert_num_queries):
    ArticleFactory()
    with django_assert_num_queries(0):
        assert not list(Article.objects.search("!!! ???"))


def test_stories_read_together_read_their_bylines_together_when_first_asked(
    django_assert_num_queries,
):
    from tests.factories import AuthorFactory

    authors = AuthorFactory.create_batch(3)
    for i in range(6):
        ArticleFactory(authors=authors[i % 3 : i % 3 + 2])
    with django_assert_num_queries(1):
        stories = list(Article.objects.for_listing())  # no byline read yet
    with django_assert_num_queries(1):  # the first story asked reads them for all
        names = [[author.name for author in story.byline_authors] for story in stories[2:]]
        names += [[author.name for author in story.byline_authors] for story in stories[:2]]
    assert all(names) and len(names) == 6
    with django_assert_num_queries(1):  # and their tags, likewise
        assert all(story.topics == [] for story in stories)
    lone = Article.objects.for_listing().first()
    with django_assert_num_queries(1):
        assert lone.byline_authors


def test_a_storys_authors_tags_and_corrections_keep_their_order_and_are_read_again_on_refresh(
    django_assert_num_queries,
):
    from tests.factories import AuthorFactory, CorrectionFactory

    zoe, ada, max_ = (AuthorFactory(name=name) for name in ("Zoe Quill", "Ada Brook", "Max Fell"))
    story = ArticleFactory(authors=[zoe, ada, max_], tags=[TagFactory(name="Tides")])
    story.tags.add(TagFactory(name="Harbours"))
    # Stored in the other order: oldest first is by when they were made, not by pk.
    second = CorrectionFactory(article=story, text="The second correction.")
    first = CorrectionFactory(article=story, text="The first correction.")
    Correction.objects.filter(pk=first.pk).update(created_at=second.created_at - timedelta(hours=1))
    story = Article.objects.for_listing().get(pk=story.pk)

    with django_assert_num_queries(3):
        assert story.byline_authors == [zoe, ada, max_]  # byline order, not by name
        assert [tag.name for tag in story.topics] == ["Harbours", "Tides"]
        assert [c.text for c in story.correction_list] == [first.text, "The second correction."]
    with django_assert_num_queries(0):
        story.byline_authors.pop()  # a copy: the next reader gets them all
        assert story.byline_authors == [zoe, ada, max_]

    first.delete()
    story.refresh_from_db()
    with django_assert_num_queries(1):
        assert [c.text for c in story.correction_list] == ["The second correction."]


def test_a_storys_last_edit_counts_the_corrections_its_page_read():
    from tests.factories import CorrectionFactory

    story = ArticleFactory()
    correction = CorrectionFactory(article=story)
    made = story.updated_at + timedelta(days=1)
    Correction.objects.filter(pk=correction.pk).update(created_at=made)
    story = Article.objects.get(pk=story.pk)
    kept_since = story.updated_at + timedelta(minutes=5)

    # Its corrections from a part kept rendered since `kept_since`: that part's time.
    assert story.last_edited_at(kept_since=kept_since) == kept_since
    story.correction_list  # noqa: B018  # read by the page's part rendered now
    assert story.last_edited_at(kept_since=kept_since) == made
    assert story.last_edited_at() == made


def test_a_copy_of_a_story_read_with_others_reads_its_own_rows():
    from tests.factories import AuthorFactory

    author = AuthorFactory()
    ArticleFactory(authors=[author])
    stories = list(Article.objects.for_listing())
    copy = Article.objects.get(pk=stories[0].pk)
    copy._read_with = stories  # not itself: an object read apart from them
    assert copy.byline_authors == [author]
    assert stories[0].byline_authors == [author]
