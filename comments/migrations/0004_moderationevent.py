import django.core.serializers.json
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('comments', '0003_commentban'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ModerationEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('action', models.CharField(choices=[('approve', 'Approve'), ('reject', 'Reject'), ('spam', 'Mark as spam'), ('hold', 'Back to the queue'), ('edit', 'Edit text'), ('ban', 'Ban'), ('unban', 'Lift ban'), ('rule_change', 'Rule change')], max_length=20)),
                ('at', models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                ('target_id', models.PositiveBigIntegerField()),
                ('target_repr', models.CharField(max_length=200)),
                ('before', models.JSONField(blank=True, default=dict, encoder=django.core.serializers.json.DjangoJSONEncoder)),
                ('after', models.JSONField(blank=True, default=dict, encoder=django.core.serializers.json.DjangoJSONEncoder)),
                ('by', models.ForeignKey(blank=True, help_text="Empty when no person decided (readers' reports sent it back).", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('target_type', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='contenttypes.contenttype')),
            ],
            options={
                'verbose_name': 'moderation event',
                'ordering': ['-at', '-pk'],
                'indexes': [models.Index(fields=['target_type', 'target_id'], name='comments_event_target')],
            },
        ),
    ]
