"""`python -m core.pdf` (`make fonts`): builds the subset fonts ahead of the first render."""

import os


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saas.settings")
    django.setup()
    from core.pdf import fonts

    fonts.fonts_build_parallel()
    print(f"fonts: {fonts.fonts_dir()}")


if __name__ == "__main__":
    main()
