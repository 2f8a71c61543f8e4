import pytest

from comments.models import ModerationRules
from comments.moderation import initial_rules
from tests.admin_pages import logged_in
from tests.factories import UserFactory


@pytest.fixture
def moderator(db):
    return UserFactory(username="moderator", groups=["Moderator"])


@pytest.fixture
def as_moderator(moderator):
    """A client of its own, signed in as the moderator."""
    return logged_in(moderator)


@pytest.fixture
def set_rules(db):
    """Change the site's moderation rules as the admin does: the row, validated and saved."""

    def set_rules(**values):
        # A transactional test starts from an empty table: the settings' first values.
        rules = ModerationRules.objects.filter(pk=1).first() or initial_rules()
        rules.pk = 1
        for name, value in values.items():
            setattr(rules, name, value)
        rules.full_clean()
        rules.save()
        return rules

    return set_rules
