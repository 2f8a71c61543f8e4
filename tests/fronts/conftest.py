import pytest

from fronts.models import Backfill, Container, Front, Layout


@pytest.fixture
def home_front(db):
    """An empty home front: add containers with `block`."""
    return Front.objects.create(section=None)


@pytest.fixture
def block(home_front):
    def make(
        title="Top stories",
        *,
        layout=Layout.LEAD,
        max_cards=4,
        backfill=Backfill.LATEST,
        front=None,
        **rule,
    ):
        front = front or home_front
        return Container.objects.create(
            front=front, title=title, layout=layout, max_cards=max_cards, backfill=backfill,
            position=front.containers.count(), **rule,
        )  # fmt: skip

    return make
