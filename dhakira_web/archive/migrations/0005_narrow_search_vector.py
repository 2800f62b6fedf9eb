"""PostgreSQL: the search vector moves to a narrow table of its own, kept in step by a trigger.

Reading a match's vector no longer drags the wide shadow-text row along, which is what ranking
the many matches of a common word costs at scale. SQLite is unchanged (its FTS5 index is separate).
"""

from django.db import migrations

VECTOR = (
    "setweight(to_tsvector('simple', coalesce({row}.title_stem, '')), 'A') ||"
    " to_tsvector('simple', coalesce({row}.body_stem, '')) ||"
    " to_tsvector('simple', coalesce({row}.body_norm, '')) ||"
    " setweight(to_tsvector('simple', coalesce({row}.keys, '')), 'B')"
)
FORWARD = [
    "DROP INDEX IF EXISTS archive_searchentry_vector",
    "ALTER TABLE archive_searchentry DROP COLUMN IF EXISTS search_vector",
    "CREATE TABLE archive_searchvector (record_id bigint PRIMARY KEY, search_vector tsvector NOT NULL)",
    "ALTER TABLE archive_searchvector ALTER COLUMN search_vector SET STORAGE MAIN",
    "CREATE INDEX archive_searchvector_gin ON archive_searchvector USING GIN (search_vector)",
    "CREATE FUNCTION archive_searchvector_sync() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
    " INSERT INTO archive_searchvector (record_id, search_vector) VALUES (NEW.record_id, " + VECTOR.format(row="NEW") + ")"
    " ON CONFLICT (record_id) DO UPDATE SET search_vector = EXCLUDED.search_vector;"
    " RETURN NEW; END $$",
    "CREATE TRIGGER archive_searchvector_sync AFTER INSERT OR UPDATE ON archive_searchentry"
    " FOR EACH ROW EXECUTE FUNCTION archive_searchvector_sync()",
    "CREATE FUNCTION archive_searchvector_forget() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
    " DELETE FROM archive_searchvector WHERE record_id = OLD.record_id; RETURN OLD; END $$",
    "CREATE TRIGGER archive_searchvector_forget AFTER DELETE ON archive_searchentry"
    " FOR EACH ROW EXECUTE FUNCTION archive_searchvector_forget()",
    "CREATE FUNCTION archive_searchvector_empty() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
    " TRUNCATE archive_searchvector; RETURN NULL; END $$",
    "CREATE TRIGGER archive_searchvector_empty AFTER TRUNCATE ON archive_searchentry"
    " FOR EACH STATEMENT EXECUTE FUNCTION archive_searchvector_empty()",
    "INSERT INTO archive_searchvector (record_id, search_vector) SELECT e.record_id, " + VECTOR.format(row="e") + " FROM archive_searchentry e",
]
BACKWARD = [
    "DROP TRIGGER IF EXISTS archive_searchvector_sync ON archive_searchentry",
    "DROP TRIGGER IF EXISTS archive_searchvector_forget ON archive_searchentry",
    "DROP TRIGGER IF EXISTS archive_searchvector_empty ON archive_searchentry",
    "DROP FUNCTION IF EXISTS archive_searchvector_sync()",
    "DROP FUNCTION IF EXISTS archive_searchvector_forget()",
    "DROP FUNCTION IF EXISTS archive_searchvector_empty()",
    "DROP TABLE IF EXISTS archive_searchvector",
    "ALTER TABLE archive_searchentry ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (" + VECTOR.format(row="archive_searchentry") + ") STORED",
    "CREATE INDEX archive_searchentry_vector ON archive_searchentry USING GIN (search_vector)",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("archive", "0004_near_duplicate_fingerprint")]
    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
