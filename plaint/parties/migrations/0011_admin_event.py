"""The organisation's set-up log (``AdminEvent``), append-only.

On PostgreSQL the trigger function of complaints 0009 (``plaint_refuse_rewrite``) refuses every
UPDATE and DELETE on the new table ('never': not even a retention run deletes it). SQLite has no
such guard; there the log is as safe as the file it lives in.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


REFUSE_REWRITE = """
CREATE TRIGGER parties_adminevent_append_only BEFORE UPDATE OR DELETE ON parties_adminevent
    FOR EACH ROW EXECUTE FUNCTION plaint_refuse_rewrite('never');
"""
ALLOW_REWRITE = "DROP TRIGGER IF EXISTS parties_adminevent_append_only ON parties_adminevent;"


def refuse_rewrite(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REFUSE_REWRITE)


def allow_rewrite(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ALLOW_REWRITE)


class Migration(migrations.Migration):

    dependencies = [
        ('parties', '0010_token_use'),
        ('complaints', '0009_event_hash_chain'),  # plaint_refuse_rewrite()
    ]

    operations = [
        migrations.CreateModel(
            name='AdminEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(verbose_name='when')),
                ('kind', models.CharField(choices=[('team_created', 'Team created'), ('team_changed', 'Team changed'), ('member_added', 'Staff member added'), ('member_changed', 'Staff member changed'), ('hours_set', 'Working hours set'), ('closing_day_added', 'Closing day added'), ('closing_day_removed', 'Closing day removed'), ('category_created', 'Category created'), ('category_changed', 'Category changed'), ('details_set', 'Public details changed'), ('mailbox_created', 'Mailbox added'), ('mailbox_changed', 'Mailbox changed'), ('token_created', 'API token created'), ('token_revoked', 'API token revoked')], max_length=32, verbose_name='what')),
                ('subject_type', models.CharField(max_length=32)),
                ('subject_id', models.BigIntegerField(blank=True, null=True)),
                ('subject_label', models.CharField(blank=True, max_length=200)),
                ('data', models.JSONField(blank=True, default=dict)),
                ('by_token', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='parties.apitoken')),
                ('by_user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='admin_events', to='parties.organisation')),
                ('subject_user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'indexes': [models.Index(fields=['organisation', '-at', '-id'], name='parties_adminevent_org_at')],
                'constraints': [models.CheckConstraint(condition=models.Q(('kind__in', ['team_created', 'team_changed', 'member_added', 'member_changed', 'hours_set', 'closing_day_added', 'closing_day_removed', 'category_created', 'category_changed', 'details_set', 'mailbox_created', 'mailbox_changed', 'token_created', 'token_revoked'])), name='parties_adminevent_kind_valid')],
            },
        ),
        migrations.RunPython(refuse_rewrite, allow_rewrite),
    ]
