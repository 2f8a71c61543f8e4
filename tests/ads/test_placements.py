import pytest

from ads.models import Placement
from ads.placements import REGISTRY

pytestmark = pytest.mark.django_db

SIZE_FIELDS = ("name", "width", "height", "mobile_width", "mobile_height")


def test_migrations_create_every_placement_of_the_registry_with_its_defaults():
    # ads 0002 holds a frozen copy of the registry: a placement added to the registry
    # needs a migration of its own, and this notices when it has none.
    rows = {placement.key: placement for placement in Placement.objects.all()}

    assert set(rows) == {row[0] for row in REGISTRY}
    for key, *sizes, extra in REGISTRY:
        placement = rows[key]
        assert tuple(getattr(placement, field) for field in SIZE_FIELDS) == tuple(sizes), key
        assert {field: getattr(placement, field) for field in extra} == extra, key
