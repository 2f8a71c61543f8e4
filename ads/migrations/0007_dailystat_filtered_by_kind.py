"""What was not counted, split into impressions and clicks.

The four counts of 0006 mixed both kinds. They are renamed to the impressions' names, so
rows from before this migration hold impressions and clicks together under the
impressions' counts; the clicks' counts start at 0 there and are only exact from now on.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('ads', '0006_dailystat_filtered_counts'),
    ]

    operations = [
        migrations.RenameField(
            model_name='dailystat',
            old_name='filtered_repeats',
            new_name='impressions_filtered_repeats',
        ),
        migrations.RenameField(
            model_name='dailystat',
            old_name='filtered_bots',
            new_name='impressions_filtered_bots',
        ),
        migrations.RenameField(
            model_name='dailystat',
            old_name='filtered_cross_site',
            new_name='impressions_filtered_cross_site',
        ),
        migrations.RenameField(
            model_name='dailystat',
            old_name='filtered_expired',
            new_name='impressions_filtered_expired',
        ),
        migrations.AddField(
            model_name='dailystat',
            name='clicks_filtered_repeats',
            field=models.PositiveIntegerField(default=0, help_text='The same client again within half an hour.'),
        ),
        migrations.AddField(
            model_name='dailystat',
            name='clicks_filtered_bots',
            field=models.PositiveIntegerField(default=0, help_text='Crawlers, scripts and clients that do not say what they are.'),
        ),
        migrations.AddField(
            model_name='dailystat',
            name='clicks_filtered_cross_site',
            field=models.PositiveIntegerField(default=0, help_text="Sent from another site's page."),
        ),
        migrations.AddField(
            model_name='dailystat',
            name='clicks_filtered_expired',
            field=models.PositiveIntegerField(default=0, help_text='From a page older than its ad links may be.'),
        ),
    ]
