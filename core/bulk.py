"""New rows in bulk, as `QuerySet.bulk_create` writes them, faster on PostgreSQL.

bulk_create sends one INSERT of a few hundred rows with a placeholder per
value; psycopg then merges each value into the statement's text in Python.
For an import at its cap (5,000 plots of 33 columns) that, and Django
compiling the statement, cost more than the rest of the write. On PostgreSQL
the rows go through COPY instead, their primary keys taken from the table's
sequence first; the values are the ones bulk_create would send (each field's
pre_save and get_db_prep_save), an outline as hexadecimal EWKB. The table's
constraints, triggers and indexes apply as for an INSERT. Other databases
use bulk_create.
"""

from django.db import connection

AUTO_FIELDS = ("AutoField", "BigAutoField", "SmallAutoField")


def bulk_insert(model, objs, *, batch_size):
    """Insert `objs` (new instances of `model`, without primary keys) and set
    their primary keys; no signal is sent, as with bulk_create."""
    if connection.vendor != "postgresql" or not _copyable(model, objs):
        return model.objects.bulk_create(objs, batch_size=batch_size)
    fields = model._meta.local_concrete_fields
    pks = _pks_reserved(model, len(objs))
    rows = []
    for obj, pk in zip(objs, pks, strict=True):
        obj.pk = pk
        rows.append([_db_value(field, obj) for field in fields])
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, connection.wrap_database_errors:
        with cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs


def statistics_refreshed(*models):
    """The planner's statistics of `models`' tables, read again (ANALYZE).

    After a bulk write the planner still sees the tables as they were: at a
    million new plots, a query that groups them by park was planned for a few
    hundred rows and ran for more than ten minutes instead of seconds.
    Autovacuum would analyze them, but later than the next query."""
    quote = connection.ops.quote_name
    tables = [quote(model._meta.db_table) for model in models]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {', '.join(tables)}")
        else:
            for table in tables:
                cursor.execute(f"ANALYZE {table}")


def _copyable(model, objs):
    """New rows of one table with a sequence-numbered key, geometries welcome;
    anything else (inherited models, geographies, rasters) to bulk_create."""
    auto_pk = model._meta.pk.get_internal_type() in AUTO_FIELDS
    return (
        objs
        and auto_pk
        and not model._meta.parents
        and all(obj.pk is None for obj in objs)
        and not any(
            getattr(field, "geography", False)
            or field.get_internal_type() == "RasterField"
            for field in model._meta.local_concrete_fields
        )
    )


def _pks_reserved(model, count):
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) "
            "FROM generate_series(1, %s)",
            [connection.ops.quote_name(table), column, count],
        )
        return [pk for (pk,) in cursor.fetchall()]


def _db_value(field, obj):
    value = field.get_db_prep_save(field.pre_save(obj, add=True), connection)
    if hasattr(value, "ewkb"):
        # The adapter bulk_create would bind (ST_GeomFromEWKB): its EWKB,
        # which COPY reads as a geometry's text in hexadecimal.
        return value.ewkb.hex()
    return value
