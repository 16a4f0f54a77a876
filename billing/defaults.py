"""The plans a new installation starts with (the ones companies could sign up for before plans
were data: tenants.Plan's trial, standard and professional). Staff edit them afterwards."""

GB = 1024 ** 3
ALL = ["training_seats", "handbook_pdf", "api", "big_screen", "quiz_duel"]
PLANS = [
    dict(code="trial", name="试用版", price_month_fen=0, price_year_fen=0, member_limit=100,
         storage_quota_bytes=1 * GB, features=ALL, is_public=False, sort=0),
    dict(code="standard", name="标准版", price_month_fen=99900, price_year_fen=999000,
         member_limit=1000, storage_quota_bytes=20 * GB,
         features=["training_seats", "handbook_pdf", "api"], sort=1),
    dict(code="professional", name="专业版", price_month_fen=299900, price_year_fen=2999000,
         member_limit=20000, storage_quota_bytes=200 * GB, features=ALL, sort=2),
]


def plans_seed(plan_model) -> None:
    """Makes the default plans that are missing (the migration's model, or the real one)."""
    for fields in PLANS:
        plan_model.objects.get_or_create(code=fields["code"], defaults=fields)
