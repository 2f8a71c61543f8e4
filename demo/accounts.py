"""One staff account per role, so each part of the admin can be tried."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from articles.models import Author
from newsroom import roles

DEMO_ACCOUNTS = [
    # username, group, is_superuser
    ("admin", None, True),
    ("editor", roles.EDITOR, False),
    ("reporter", roles.REPORTER, False),
    ("moderator", roles.MODERATOR, False),
    ("admanager", roles.AD_MANAGER, False),
    ("liveeditor", roles.LIVE_EDITOR, False),
    ("fronteditor", roles.FRONT_EDITOR, False),
]


def create_accounts(password: str) -> None:
    """One staff account per role; the reporter writes as the first demo author.
    An account that exists already keeps its password."""
    User = get_user_model()
    for username, group, is_superuser in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "email": f"{username}@example.com",
                "is_staff": True,
                "is_superuser": is_superuser,
            },
        )
        if created:
            user.set_password(password)
            user.save()
        if group:
            user.groups.add(Group.objects.get(name=group))
    author = Author.objects.order_by("pk").first()
    if author is not None and author.user is None:
        author.user = User.objects.get(username="reporter")
        author.save(update_fields=["user"])
