import pytest
from django.core.exceptions import ValidationError

from ads.models import AdsTxt
from ads.validators import validate_ads_txt

pytestmark = pytest.mark.django_db


def test_ads_txt_rules_hold_outside_the_admin():
    ads_txt = AdsTxt.objects.get()
    ads_txt.content = "good.example, 1, DIRECT\ngood.example, 2, SOMETIMES\n"

    with pytest.raises(ValidationError) as raised:
        ads_txt.full_clean()

    [error] = raised.value.message_dict["content"]
    assert error.startswith("Line 2: the third field must be DIRECT or RESELLER")


def test_valid_and_empty_ads_txt_pass_full_clean():
    ads_txt = AdsTxt.objects.get()
    for content in ("", "# nothing sold yet\n", "contact=ads@example.com\na.example, 1, RESELLER"):
        ads_txt.content = content
        ads_txt.full_clean()


def test_comments_and_blank_lines_are_not_checked():
    validate_ads_txt("# a comment, with, commas\n\n   \ngood.example, 1, DIRECT  # ours\n")
