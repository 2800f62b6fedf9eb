"""An incident report's link ``features`` kept compressed (``storage.CompressedJSONField`` with the preset
dictionary of the features' keys, ``storage.LINK_FEATURE_KEYS``: about a sixth of the compact JSON). No query
looks into them; every value reads back the same; a report without features (an origin) is NULL. SQLite and
PostgreSQL (where ``jsonb`` becomes ``bytea``).

The operations are those of 0019 (``storage.compressed_json_operations``): the column added nullable, filled,
the old one dropped and the new one renamed in place, so that SQLite copies no table going forwards; going
backwards SQLite makes the table again and its planner statistics are made again when the archive held some.
"""

from django.db import migrations

import dhakira_web.archive.storage


class Migration(migrations.Migration):

    dependencies = [
        ("archive", "0023_disk_keyed_heads"),
    ]

    operations = dhakira_web.archive.storage.compressed_json_operations(
        "incidentreport", "archive_incidentreport", "features", dhakira_web.archive.storage.PACKED_WITH_FEATURE_KEYS)
