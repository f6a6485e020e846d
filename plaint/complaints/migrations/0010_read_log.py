"""Who read which complaint: an append-only table apart from the events.

On PostgreSQL the trigger function of 0009 refuses UPDATE, and DELETE outside a retention run
(which removes a complaint's reads with the complaint).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

REFUSE_REWRITE = """
CREATE TRIGGER complaints_complaintread_append_only BEFORE UPDATE OR DELETE ON complaints_complaintread
    FOR EACH ROW EXECUTE FUNCTION plaint_refuse_rewrite('retention');
"""
ALLOW_REWRITE = "DROP TRIGGER IF EXISTS complaints_complaintread_append_only ON complaints_complaintread;"


def refuse_rewrite(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REFUSE_REWRITE, None)


def allow_rewrite(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ALLOW_REWRITE, None)


class Migration(migrations.Migration):

    dependencies = [
        ('complaints', '0009_event_hash_chain'),
        ('parties', '0009_organisation_complaints_owner'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ComplaintRead',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('actor_kind', models.CharField(choices=[('customer', 'Customer'), ('staff', 'Staff'), ('integration', 'Integration'), ('system', 'System')], max_length=12)),
                ('channel', models.CharField(choices=[('api', 'API'), ('web', 'web'), ('console', 'console')], max_length=8)),
                ('occurred_at', models.DateTimeField()),
            ],
        ),
        migrations.AddField(
            model_name='complaintread',
            name='complaint',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='complaints.complaint'),
        ),
        migrations.AddField(
            model_name='complaintread',
            name='token',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='parties.apitoken'),
        ),
        migrations.AddField(
            model_name='complaintread',
            name='user',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddIndex(
            model_name='complaintread',
            index=models.Index(fields=['complaint', 'occurred_at'], name='complaints__complai_0540e7_idx'),
        ),
        migrations.RunPython(refuse_rewrite, allow_rewrite),
    ]
