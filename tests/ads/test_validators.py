import pytest
from django.core.exceptions import ValidationError

from ads.models import AdsTxt, Creative
from ads.validators import validate_ads_txt, validate_public_url
from demo.ads import ADVERTISERS, HOUSE

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


# --- Click targets ------------------------------------------------------------------------

LOCAL_ADDRESS = "is a private, local or reserved address, not a public site."


@pytest.mark.parametrize(
    "url, message",
    [
        ("ftp://files.example.com/offer", "must be an https:// address (or http://), not ftp:."),
        ("javascript:alert(1)", "must be an https:// address (or http://), not javascript:."),
        ("http://127.0.0.1/admin/", LOCAL_ADDRESS),
        ("http://[::1]/", LOCAL_ADDRESS),
        ("https://10.0.0.1/", LOCAL_ADDRESS),
        ("https://192.168.1.1/setup", LOCAL_ADDRESS),
        ("https://169.254.169.254/latest/meta-data/", LOCAL_ADDRESS),
        ("https://100.64.0.1/", LOCAL_ADDRESS),
        ("https://0.0.0.0/", LOCAL_ADDRESS),
        ("https://[::ffff:127.0.0.1]/", LOCAL_ADDRESS),
        ("https://[fe80::1]/", LOCAL_ADDRESS),
        ("https://[fd00::1]/", LOCAL_ADDRESS),
        ("http://2130706433/", LOCAL_ADDRESS),
        ("http://0x7f000001/", LOCAL_ADDRESS),
        ("http://0177.0.0.1/", LOCAL_ADDRESS),
        ("http://127.1/", LOCAL_ADDRESS),
        ("https://localhost/", "is a local name, not a public site"),
        ("https://localhost./", "is a local name, not a public site"),
        ("https://admin.localhost/", "is a local name, not a public site"),
        ("https://intranet/", "is a local name, not a public site"),
        ("https://printer.local/", "is a local name, not a public site"),
        ("https://user:secret@bikes.example.com/", "Remove the user name and password"),
        ("https://user@bikes.example.com/", "Remove the user name and password"),
    ],
)
def test_click_targets_off_public_https_sites_are_refused(url, message):
    with pytest.raises(ValidationError) as raised:
        validate_public_url(url)

    assert message in raised.value.messages[0]


@pytest.mark.parametrize(
    "url",
    [
        "https://bikes.example.com/spring?utm_source=newsroom",
        "http://bikes.example.com/",  # allowed here; the admin asks for a confirmation
        "https://93.184.215.14/",
        "https://[2606:4700::1111]/",
        "https://shop.example.co.uk:8443/path",
        "HTTPS://BIKES.EXAMPLE.COM/",
    ],
)
def test_https_and_http_targets_on_public_hosts_are_accepted(url):
    validate_public_url(url)


def test_click_target_rules_hold_outside_the_admin(make_creative):
    creative = make_creative()
    creative.target_url = "http://127.0.0.1/admin/"

    with pytest.raises(ValidationError) as raised:
        creative.full_clean()

    assert LOCAL_ADDRESS in raised.value.message_dict["target_url"][0]


def test_demo_ads_targets_validate():
    field = Creative._meta.get_field("target_url")
    for *_rest, url in [*ADVERTISERS, HOUSE]:
        field.clean(url, None)
