"""The event log becomes a hash chain and, on PostgreSQL, cannot be rewritten.

Adds each event's position, previous hash and hash (plaint.complaints.chain), computes them for
the events already stored (each chain in id order, the order they were written in), makes the
position unique per chain, adds the tombstone table of removed chains, and on PostgreSQL creates
the trigger that refuses UPDATE and DELETE on events (DELETE is let through only inside a
retention run, which sets ``SET LOCAL plaint.retention = 'on'``) and every UPDATE and DELETE on
tombstones. SQLite gets no trigger: there ``plaint audit verify`` finds a changed event.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from plaint.complaints.chain import HASHED_FIELDS, event_hash

BATCH = 2000

REFUSE_REWRITE = """
CREATE OR REPLACE FUNCTION plaint_refuse_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND TG_ARGV[0] = 'retention'
       AND coalesce(current_setting('plaint.retention', true), '') = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'plaint: % on % refused: the record cannot be rewritten', TG_OP, TG_TABLE_NAME
        USING HINT = 'Events and tombstones are append-only; only plaint retention run deletes.';
END;
$$;
CREATE TRIGGER complaints_event_append_only BEFORE UPDATE OR DELETE ON complaints_event
    FOR EACH ROW EXECUTE FUNCTION plaint_refuse_rewrite('retention');
CREATE TRIGGER complaints_eventchaintombstone_append_only
    BEFORE UPDATE OR DELETE ON complaints_eventchaintombstone
    FOR EACH ROW EXECUTE FUNCTION plaint_refuse_rewrite('never');
"""

ALLOW_REWRITE = """
DROP TRIGGER IF EXISTS complaints_eventchaintombstone_append_only ON complaints_eventchaintombstone;
DROP TRIGGER IF EXISTS complaints_event_append_only ON complaints_event;
DROP FUNCTION IF EXISTS plaint_refuse_rewrite();
"""


def refuse_rewrite(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REFUSE_REWRITE, None)


def allow_rewrite(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ALLOW_REWRITE, None)


def _owner(row):
    if row["complaint_id"] is not None:
        return ("complaint", row["complaint_id"])
    if row["cancellation_id"] is not None:
        return ("cancellation", row["cancellation_id"])
    return ("organisation", row["organisation_id"])


def chain_existing_events(apps, schema_editor):
    """Every stored event's position, previous hash and hash, each chain in id order."""
    Event = apps.get_model("complaints", "Event")
    tails = {}
    pending = []
    rows = Event.objects.order_by("id").values("id", *HASHED_FIELDS)
    for row in rows.iterator(chunk_size=BATCH):
        owner = _owner(row)
        position, previous = tails.get(owner, (0, ""))
        digest = event_hash(row, position=position + 1, previous_hash=previous)
        tails[owner] = (position + 1, digest)
        pending.append(Event(id=row["id"], position=position + 1, previous_hash=previous, hash=digest))
        if len(pending) >= BATCH:
            Event.objects.bulk_update(pending, ["position", "previous_hash", "hash"])
            pending = []
    if pending:
        Event.objects.bulk_update(pending, ["position", "previous_hash", "hash"])


class Migration(migrations.Migration):

    dependencies = [
        ('complaints', '0008_staff_notifications'),
        ('parties', '0009_organisation_complaints_owner'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='EventChainTombstone',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('complaint_id', models.BigIntegerField(unique=True)),
                ('last_hash', models.CharField(max_length=64)),
                ('event_count', models.PositiveIntegerField()),
                ('rule', models.CharField(max_length=64)),
                ('removed_at', models.DateTimeField()),
                ('hash', models.CharField(max_length=64)),
            ],
        ),
        migrations.AddField(
            model_name='event',
            name='hash',
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name='event',
            name='position',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='event',
            name='previous_hash',
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AlterField(
            model_name='event',
            name='actor_token',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='parties.apitoken'),
        ),
        migrations.AlterField(
            model_name='event',
            name='actor_user',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='event',
            name='reason',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='complaints.reason'),
        ),
        migrations.AlterField(
            model_name='event',
            name='related_complaint',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='complaints.complaint'),
        ),
        migrations.RunPython(chain_existing_events, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='event',
            constraint=models.UniqueConstraint(condition=models.Q(('complaint__isnull', False)), fields=('complaint', 'position'), name='complaints_event_complaint_chain'),
        ),
        migrations.AddConstraint(
            model_name='event',
            constraint=models.UniqueConstraint(condition=models.Q(('cancellation__isnull', False), ('complaint__isnull', True)), fields=('cancellation', 'position'), name='complaints_event_cancellation_chain'),
        ),
        migrations.AddConstraint(
            model_name='event',
            constraint=models.UniqueConstraint(condition=models.Q(('cancellation__isnull', True), ('complaint__isnull', True)), fields=('organisation', 'position'), name='complaints_event_organisation_chain'),
        ),
        migrations.AddField(
            model_name='eventchaintombstone',
            name='organisation',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='parties.organisation'),
        ),
        migrations.RunPython(refuse_rewrite, allow_rewrite),
    ]
