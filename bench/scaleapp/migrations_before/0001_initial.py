from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("points", "0007_points_shared_lessons")]
    operations = []
