"""`python -m core.pdf` (`make fonts`): builds the subset fonts ahead of the first render."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saas.settings")
django.setup()

from core.pdf import fonts  # noqa: E402  (after Django's settings)

fonts.fonts_build_parallel()
print(f"fonts: {fonts.fonts_dir()}")
