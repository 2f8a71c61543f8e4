"""Factories for tests; the pictures are drawn by the demo newsroom's drawing code."""

from datetime import timedelta

import factory
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.text import slugify

from articles import services
from articles.models import Article, Author, Byline, Correction, Embed, Photo, Section, Tag
from comments.models import ReaderComment, comment_fingerprint
from comments.services import article_comment_count_refresh
from demo.drawing import draw_illustration
from liveblog.models import LiveEntry


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    password = factory.django.Password("password")
    is_staff = True

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            from django.contrib.auth.models import Group

            self.groups.add(*(Group.objects.get(name=name) for name in extracted))


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    description = factory.LazyAttribute(lambda o: f"News from {o.name}.")
    position = factory.Sequence(int)


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Reporter {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    bio = factory.LazyAttribute(lambda o: f"{o.name} reports for the newsroom.")


class PhotoFactory(factory.django.DjangoModelFactory):
    """Photos go through the upload service, so they get real renditions."""

    class Meta:
        model = Photo

    image = factory.LazyAttribute(
        lambda o: SimpleUploadedFile(
            "photo.jpg",
            draw_illustration(palette=o.palette, seed=o.seed, size=o.dimensions),
            "image/jpeg",
        )
    )
    alt_text = "Illustration: abstract hills under a low sun"
    caption = "An illustration drawn for the demo newsroom."
    credit = "Newsroom graphics"

    class Params:
        palette = "harbour"
        seed = factory.Sequence(int)
        dimensions = (1600, 900)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.photo_save(photo=model_class(*args, **kwargs))


class EmbedFactory(factory.django.DjangoModelFactory):
    """A YouTube video as its oEmbed answer was kept when a story was saved."""

    class Meta:
        model = Embed

    url = "https://www.youtube.com/watch?v=abcdefghijk"
    provider = "youtube"
    title = "Ferry trials in Kestrel Bay"
    author_name = "Port Alder Council"
    width = 480
    height = 270
    frame_url = factory.LazyAttribute(
        lambda o: f"https://www.youtube-nocookie.com/embed/{o.url.rsplit('=', 1)[1]}?autoplay=1"
    )
    thumbnail = factory.SubFactory(PhotoFactory, dimensions=(640, 360), is_decorative=True)
    fetched_at = factory.LazyFunction(timezone.now)


class ArticleFactory(factory.django.DjangoModelFactory):
    """A published article, an hour old, by default."""

    class Meta:
        model = Article
        django_get_or_create = ["slug"]
        skip_postgeneration_save = True

    headline = factory.Sequence(lambda n: f"Council approves plan number {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.headline))
    standfirst = "A summary of what happened and why it matters."
    body = "<p>The first paragraph.</p><p>The second paragraph.</p>"
    section = factory.SubFactory(SectionFactory)
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        if create and extracted:
            for position, author in enumerate(extracted):
                Byline.objects.get_or_create(
                    article=self, author=author, defaults={"position": position}
                )

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.add(*extracted)


class CorrectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Correction

    article = factory.SubFactory(ArticleFactory)
    text = "An earlier version of this article gave the wrong date for the vote."


class ReaderCommentFactory(factory.django.DjangoModelFactory):
    """A public reader comment on `article`, or a reply to `parent` on the parent's article.

    Stored directly, as moderation would leave it; tests of the rules go through
    comments.services. XtdComment.save() fills in the thread fields (thread, level, order).
    """

    class Meta:
        model = ReaderComment

    class Params:
        article = None
        parent = None

    content_type = factory.LazyFunction(lambda: ContentType.objects.get_for_model(Article))
    object_pk = factory.LazyAttribute(
        lambda o: str(o.article.pk) if o.article is not None else o.parent.object_pk
    )
    site_id = settings.SITE_ID
    user_name = factory.Sequence(lambda n: f"Reader {n}")
    user_email = factory.LazyAttribute(lambda o: f"{slugify(o.user_name)}@example.org")
    comment = factory.Sequence(lambda n: f"Comment number {n}: a thought on the story.")
    submit_date = factory.LazyFunction(timezone.now)
    parent_id = factory.LazyAttribute(lambda o: o.parent.pk if o.parent is not None else 0)
    status = ReaderComment.Status.PUBLIC
    is_public = factory.LazyAttribute(lambda o: o.status == ReaderComment.Status.PUBLIC)
    is_removed = factory.LazyAttribute(
        lambda o: o.status in (ReaderComment.Status.REMOVED, ReaderComment.Status.SPAM)
    )
    fingerprint = factory.LazyAttribute(
        lambda o: comment_fingerprint(
            article_id=int(o.object_pk), email=o.user_email, text=o.comment
        )
    )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        comment = super()._create(model_class, *args, **kwargs)
        # Counted on its article, as the services count a comment they publish.
        article_comment_count_refresh(article_id=int(comment.object_pk))
        return comment


class AdvertiserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "ads.Advertiser"
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Advertiser {n}")
    contact_email = factory.LazyAttribute(lambda o: f"ads@{slugify(o.name)}.example.com")


class CreativeFactory(factory.django.DjangoModelFactory):
    """A live 728x90 image creative, drawn with Pillow, in the placements named by key.

    Placements come from the registry's migration: `placements=["sidebar-top"]`; the
    default is the header leaderboard. For an HTML creative pass `kind="html"`,
    `html=...`, `image=""` and `target_url=""`.
    """

    class Meta:
        model = "ads.Creative"
        skip_postgeneration_save = True

    class Params:
        palette = "market"
        seed = factory.Sequence(int)

    advertiser = factory.SubFactory(AdvertiserFactory)
    name = factory.Sequence(lambda n: f"Campaign {n}")
    kind = "image"
    image = factory.LazyAttribute(
        lambda o: SimpleUploadedFile(
            "ad.jpg",
            draw_illustration(palette=o.palette, seed=o.seed, size=(728, 90)),
            "image/jpeg",
        )
    )
    alt_text = "Spring sale: everything half price"
    target_url = factory.Sequence(lambda n: f"https://shop.example.com/offer/{n}")

    @factory.post_generation
    def placements(self, create, extracted, **kwargs):
        if create:
            keys = ["header-leaderboard"] if extracted is None else extracted
            self.placements.set(self.placements.model.objects.filter(key__in=keys))

    @factory.post_generation
    def sections(self, create, extracted, **kwargs):
        if create and extracted:
            self.sections.set(extracted)


class LiveEntryFactory(factory.django.DjangoModelFactory):
    """A published entry of a live article, a minute old, by default."""

    class Meta:
        model = LiveEntry
        skip_postgeneration_save = True

    article = factory.SubFactory(ArticleFactory, coverage=Article.Coverage.LIVE)
    title = factory.Sequence(lambda n: f"Update number {n}")
    body = "<p>What has just happened, in a sentence or two.</p>"
    status = LiveEntry.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(minutes=1))

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        if create and extracted:
            self.authors.set(extracted)
