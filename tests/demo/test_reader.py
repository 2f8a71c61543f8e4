"""The demo's content files hold together: every name a story or comment uses exists."""

import pytest

from articles.models import Article, Correction
from comments.models import ReaderComment
from demo import reader
from demo.drawing import PALETTES


def test_stories_name_known_sections_authors_tags_and_values():
    sections = {data["slug"] for data in reader.sections()}
    authors = {data["slug"] for data in reader.authors()}
    tags = {data["slug"] for data in reader.tags()}
    stories = reader.stories()
    assert len({story.slug for story in stories}) == len(stories)
    for story in stories:
        assert story.section in sections, story.slug
        assert set(story.authors) <= authors and (story.authors or story.agency), story.slug
        assert set(story.tags) <= tags, story.slug
        assert story.status in Article.Status.values, story.slug
        assert (story.hours_ago is None) == (story.status != Article.Status.PUBLISHED), story.slug
        assert story.photo is None or story.photo.palette in PALETTES, story.slug
        assert {c.kind for c in story.corrections} <= set(Correction.Kind.values), story.slug
        assert story.paragraphs and all(story.paragraphs), story.slug


def test_comments_answer_earlier_comments_on_the_same_story():
    slugs = {story.slug for story in reader.stories()}
    comments = reader.comments()
    for index, comment in enumerate(comments):
        assert comment.article in slugs
        assert comment.status in ReaderComment.Status.values
        if comment.reply_to is not None:
            assert 0 <= comment.reply_to < index
            assert comments[comment.reply_to].article == comment.article


def test_a_story_file_is_front_matter_then_paragraphs(tmp_path):
    path = tmp_path / "07-harbour-opens.md"
    path.write_text(
        '+++\nheadline = "Harbour opens"\nstandfirst = "At last."\nsection = "city"\n'
        'authors = ["ada"]\ntags = []\nstatus = "draft"\n\n[photo]\npalette = "harbour"\n'
        'alt = "A harbour"\ncaption = "The harbour"\ncredit = "Us"\n+++\n\n'
        "The first paragraph,\nwrapped over two lines.\n\n  \nThe <second> one.\n"
    )
    story = reader.read_story(path)
    assert story.slug == "harbour-opens"
    assert story.paragraphs == ("The first paragraph, wrapped over two lines.", "The <second> one.")
    assert story.photo == reader.Photo(
        palette="harbour", alt="A harbour", caption="The harbour", credit="Us"
    )
    assert (story.hours_ago, story.must_read, story.dateline, story.corrections) == (
        None,
        False,
        "",
        (),
    )


def test_a_story_file_must_open_with_front_matter(tmp_path):
    path = tmp_path / "01-no-front-matter.md"
    path.write_text('headline = "Oops"\n+++\n+++\nText.\n')
    with pytest.raises(ValueError, match="must start with"):
        reader.read_story(path)


def test_live_stories_entries_are_well_formed():
    authors = {data["slug"] for data in reader.authors()}
    live = [story for story in reader.stories() if story.coverage]
    assert {story.coverage for story in live} == {"live", "closed"}
    for story in live:
        entries = reader.live_entries(story.slug)
        assert [e.minutes for e in entries] == sorted(e.minutes for e in entries), story.slug
        assert story.hours_ago * 60 > entries[-1].minutes, "no entry from the future"
        assert sum(e.pinned for e in entries) == 1, story.slug
        for entry in entries:
            assert set(entry.authors) <= authors and entry.paragraphs, story.slug
