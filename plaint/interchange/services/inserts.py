"""Multi-row INSERTs for the importers, without building a model instance per row.

``bulk_create`` spends most of an import's time in Python: a model instance per row, then
every value of every row prepared field by field by the SQL compiler (measured on the CFPB
sample: four fifths of the import). Here each column's conversion is chosen once and rows are
plain dicts (missing fields take the model's default). On SQLite, one ``INSERT … VALUES (…),
(…) RETURNING id`` is sent per chunk that fits its parameter limit. On PostgreSQL the ids are
drawn from the table's sequence and the rows sent with COPY: psycopg parses a query's
placeholders on every call, and a statement with tens of thousands of them (or arrays of
thousands of values) cost more than the insert itself. The values are the ones the importer
validated; constraints are the database's, as always.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection, models
from django.db.models import QuerySet

#: PostgreSQL takes at most 65,535 parameters in one statement; SQLite says its own limit.
DEFAULT_MAX_PARAMS = 65_535


def _converter(field: models.Field[Any, Any]) -> Callable[[Any], Any]:
    if connection.vendor == "postgresql":
        # Arrays of JSON go in as text and are cast; psycopg takes the rest as they are.
        if isinstance(field, models.JSONField):
            return lambda value: None if value is None else json.dumps(value)
        return lambda value: value
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    if isinstance(field, models.JSONField | models.DecimalField | models.DateField):
        return lambda value: field.get_db_prep_save(value, connection)
    return lambda value: value


def insert_rows(model: type[models.Model], rows: Sequence[dict[str, Any]]) -> list[int]:
    """Insert ``rows`` (values by field attname) into ``model``'s table; their new ids, in order."""
    if not rows:
        return []
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: f.get_default() for f in fields if f.attname not in rows[0]}
    converters = [_converter(f) for f in fields]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"
    per_statement = max(1, (connection.features.max_query_params or DEFAULT_MAX_PARAMS) // len(fields))
    if connection.vendor == "postgresql":
        return _insert_arrays(meta, fields, converters, rows, defaults)
    ids: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start:start + per_statement]
            params = [
                convert(row[f.attname] if f.attname in row else defaults[f.attname])
                for row in chunk
                for f, convert in zip(fields, converters, strict=True)
            ]
            cursor.execute(
                f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES "  # noqa: S608 - names from the model
                + ", ".join([placeholder] * len(chunk))
                + f" RETURNING {quote(meta.pk.column)}",
                params,
            )
            # Ids are drawn in the order of the VALUES; RETURNING need not list them in it.
            ids.extend(sorted(row[0] for row in cursor.fetchall()))
    return ids


def _insert_arrays(meta: Any, fields: list[Any], converters: list[Callable[[Any], Any]],
                   rows: Sequence[dict[str, Any]], defaults: dict[str, Any]) -> list[int]:
    """PostgreSQL: ids drawn from the table's sequence, then the rows sent with COPY."""
    quote = connection.ops.quote_name
    pk = meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                       [meta.db_table, pk, len(rows)])
        ids = sorted(row[0] for row in cursor.fetchall())
        columns = ", ".join(quote(c) for c in [pk, *(f.column for f in fields)])
        with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for pk_value, row in zip(ids, rows, strict=True):
                copy.write_row([pk_value, *(
                    convert(row[f.attname] if f.attname in row else defaults[f.attname])
                    for f, convert in zip(fields, converters, strict=True))])
    return ids


def fresh_plan_values(queryset: QuerySet[Any, Any]) -> list[Any]:
    """The values of a flat ``values_list(field, flat=True)`` query, planned for these very
    values.

    The importers ask "which of these 1,000 ids are already here?" once per batch, with the
    same SQL text every time, so psycopg prepares it (``prepare_threshold``) and PostgreSQL may
    keep a generic plan made while the table was small: a sequential scan comparing every row
    with every id, slower with every batch (measured: 0.03 s a batch becoming 1.8 s at 50,000
    rows, until autovacuum's ANALYZE replaced the plan). Unprepared, the query is planned with
    its values each time.
    """
    if connection.vendor != "postgresql":
        return list(queryset)
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # an empty ``__in``: nothing can match
        return []
    with connection.cursor() as cursor:
        cursor.cursor.execute(sql, params, prepare=False)
        return [row[0] for row in cursor.fetchall()]
