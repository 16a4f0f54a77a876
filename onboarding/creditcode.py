"""The unified social credit code (统一社会信用代码), GB 32100-2015: 18 characters from a
31-character alphabet, the last one a check character over the first 17."""

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_character(first17: str) -> str:
    pairs = zip(first17, WEIGHTS, strict=True)
    total = sum(ALPHABET.index(char) * weight for char, weight in pairs)
    return ALPHABET[(31 - total % 31) % 31]


def normalise(code: str) -> str:
    return code.strip().upper().replace(" ", "")


def problem(code: str) -> str | None:
    """None when the code is valid; otherwise which rule it breaks (a code for the message)."""
    code = normalise(code)
    if len(code) != 18:
        return "length"
    if any(char not in ALPHABET for char in code):
        return "alphabet"
    if not code[2:8].isdigit():
        return "division"
    if check_character(code[:17]) != code[17]:
        return "check"
    return None
