"""Room in each page for the rows' updates (docs/decisions/0033).

Every drawn question's row is written twice after it is made (served, then answered). Packed
full (PostgreSQL's default fillfactor of 100), a page has no room for the new version, so each
update moves the row to another page and adds an entry to every one of the table's indexes;
with room left, PostgreSQL updates in place (a "HOT" update: no index entry) and prunes old
versions within the page. Only pages written from now on are affected; the table about doubles
in size. (An attempt's row is not given room: its `correct` is in the leaderboard's index, so
that update is never in place.)"""

from django.db import migrations

ROOM = """
ALTER TABLE quiz_attemptquestion SET (fillfactor = 50);
"""
PACKED = """
ALTER TABLE quiz_attemptquestion RESET (fillfactor);
"""


class Migration(migrations.Migration):
    dependencies = [("quiz", "0001_quiz_initial")]

    operations = [migrations.RunSQL(ROOM, PACKED)]
