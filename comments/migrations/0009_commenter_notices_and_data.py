

import comments.models
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('comments', '0007_moderation_rules_from_settings'),
    ]

    operations = [
        migrations.CreateModel(
            name='CommenterAddress',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('email', models.EmailField(help_text='Case-folded.', max_length=254, unique=True)),
                ('token', models.CharField(default=comments.models.new_address_token, max_length=32, unique=True)),
                ('notify_confirmed_at', models.DateTimeField(blank=True, help_text='When the owner confirmed they want notices.', null=True)),
                ('confirmation_sent_at', models.DateTimeField(blank=True, null=True)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                'verbose_name': 'commenter address',
                'verbose_name_plural': 'commenter addresses',
            },
        ),
        migrations.AddField(
            model_name='readercomment',
            name='erased_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AlterField(
            model_name='moderationevent',
            name='action',
            field=models.CharField(choices=[('approve', 'Approve'), ('reject', 'Reject'), ('spam', 'Mark as spam'), ('hold', 'Back to the queue'), ('edit', 'Edit text'), ('ban', 'Ban'), ('unban', 'Lift ban'), ('rule_change', 'Rule change'), ('export', "Commenter's data exported"), ('erase', "Commenter's data erased")], max_length=20),
        ),
    ]
