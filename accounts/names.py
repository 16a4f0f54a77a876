"""How a Chinese name sorts: by its pinyin, as Chinese readers look names up (白, 冯, 唐, 吴,
叶, 张), not by code point (冯, 叶, 吴, 唐). Kept beside the name in `User.name_sort`, so every
PostgreSQL orders the same way (PyPI's embedded server has no ICU collation)."""

from pypinyin import Style, lazy_pinyin


def name_sort_key(name: str) -> str:
    # Syllables without tones, space-separated ("bai xue"); the name itself after a tab keeps
    # two names of the same pinyin apart, in one stable order.
    return " ".join(lazy_pinyin(name.strip(), style=Style.NORMAL)).lower() + "\t" + name.strip()
