"""Keep SpatiaLite's spatial indexes on.

Django rebuilds a SQLite table for many schema changes (adding a constraint, for
one), and the rebuilt geometry columns come back with their R*Tree index
disabled and stale. After every migrate we switch the index back on and refill
it, so the embedded database has the same indexes as PostGIS.
"""

from django.db import connections


def spatial_indexes_restore(*, using="default", **kwargs):
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT f_table_name, f_geometry_column FROM geometry_columns"
            " WHERE spatial_index_enabled = 0"
        )
        for table, column in cursor.fetchall():
            # The stale R*Tree is dropped, so CreateSpatialIndex builds a new one.
            cursor.execute(f'DROP TABLE IF EXISTS "idx_{table}_{column}"')
            cursor.execute("SELECT CreateSpatialIndex(%s, %s)", [table, column])
            cursor.execute("SELECT RecoverSpatialIndex(%s, %s)", [table, column])
