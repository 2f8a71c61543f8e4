"""The demo's curated fronts (content/fronts.toml), published as editors would. A front
that exists already is left alone."""

from articles.models import Article, Section
from fronts.models import Front
from fronts.services import front_create, front_draft_replace, front_publish

from . import reader


def load_fronts() -> int:
    """Create and publish each front of the file that does not exist yet; returns how many."""
    sections = {section.slug: section for section in Section.objects.all()}
    stories = dict(Article.objects.values_list("slug", "pk"))
    created = 0
    for data in reader.fronts():
        section = sections[data["section"]] if "section" in data else None
        if Front.objects.filter(section=section).exists():
            continue
        front = front_create(front=Front(section=section), by=None)
        layout = [
            {
                "title": block["title"],
                "layout": block["layout"],
                "max_cards": block["max_cards"],
                "backfill": block["backfill"],
                "section_id": sections[block["section"]].pk if "section" in block else None,
                "tag_id": None,
                "cards": [
                    {
                        "article_id": stories[card["story"]],
                        "headline": card.get("headline", ""),
                        "standfirst": card.get("standfirst", ""),
                        "photo_id": None,
                        "kicker": card.get("kicker", ""),
                    }
                    for card in block.get("card", [])
                ],
            }
            for block in data["block"]
        ]
        front_draft_replace(front=front, layout=layout, by=None)
        front_publish(front=front, by=None)
        created += 1
    return created
