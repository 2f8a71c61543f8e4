import pytest

from articles.pages import LATEST_COUNT, SECTION_BLOCK_SIZE, front_page
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db


def test_front_page_leads_with_the_newest_article_that_has_a_photo(newsroom, section):
    newest_without_photo = ArticleFactory(section=section, hero_photo=None)
    page = front_page()
    assert page.lead == newsroom["articles"][-1]
    assert page.latest[0] == newest_without_photo
    assert len(page.latest) == LATEST_COUNT


def test_front_page_keeps_the_lead_and_must_reads_out_of_the_section_blocks(newsroom):
    page = front_page()
    above_the_fold = {page.lead, *page.must_read}
    assert page.must_read
    for _section, block in page.section_blocks:
        assert len(block) <= SECTION_BLOCK_SIZE
        assert not above_the_fold & set(block)


def test_front_page_names_every_article_it_shows(newsroom):
    page = front_page()
    blocks = [article for _section, block in page.section_blocks for article in block]
    assert set(page.articles) == {page.lead, *page.latest, *page.must_read, *blocks}


def test_front_page_of_an_empty_site_shows_nothing_but_the_sections(db):
    section = SectionFactory()
    page = front_page()
    assert page.lead is None and page.articles == []
    assert page.section_blocks == [] and page.sections == [section]
