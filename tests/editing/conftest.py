import pytest

from tests.factories import UserFactory


@pytest.fixture
def ada(db):
    return UserFactory(username="ada", first_name="Ada", last_name="Reyes", groups=["Editor"])


@pytest.fixture
def ben(db):
    return UserFactory(username="ben", first_name="Ben", last_name="Okafor", groups=["Editor"])
