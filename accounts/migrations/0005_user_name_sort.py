from django.db import migrations, models


def names_sort(apps, schema_editor):
    """The existing users' sort keys (accounts.names), in this schema."""
    from accounts.names import name_sort_key

    User = apps.get_model("accounts", "User")
    users = list(User.objects.only("pk", "full_name"))
    for user in users:
        user.name_sort = name_sort_key(user.full_name)
    User.objects.bulk_update(users, ["name_sort"], batch_size=2000)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_user_must_change_password_audit'),
    ]

    operations = [
        migrations.AddField(
            model_name='user',
            name='name_sort',
            field=models.CharField(blank=True, editable=False, max_length=400),
        ),
        migrations.RunPython(names_sort, migrations.RunPython.noop),
    ]
