"""The unified social credit code (统一社会信用代码), GB 32100-2015: 18 characters from a
31-character alphabet, the last one a check character over the first 17."""

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z

# The 1st character names the registration department, the 2nd the kind of organisation it
# registers (GB 32100-2015, 表 1 登记管理部门代码和机构类别代码, with the departments assigned
# codes since: 外交, 司法行政, 文化, 旅游, 宗教, 工会, 中央军委改革和编制办公室, 农业). Where
# published tables differ, a character is accepted: refusing a real licence is the worse error.
ORGANISATION_TYPES = {
    "1": "1239",  # 机构编制: 机关, 事业单位, 群众团体, 其他
    "2": "19",  # 外交: 外国常驻新闻机构, 其他
    "3": "123459",  # 司法行政: 律师执业机构, 公证处, 基层法律服务所, 司法鉴定机构, 仲裁委员会…
    "4": "19",  # 文化: 外国在华文化中心, 其他
    "5": "1239",  # 民政: 社会团体, 民办非企业单位, 基金会, 其他
    "6": "129",  # 旅游: 外国及港澳台旅游部门常驻代表机构, 其他
    "7": "1239",  # 宗教: 宗教活动场所, 宗教院校, …, 其他
    "8": "19",  # 工会: 基层工会, 其他
    "9": "1239",  # 工商: 企业, 个体工商户, 农民专业合作社, 其他
    "A": "19",  # 中央军委改革和编制办公室: 军队事业单位, 其他
    "N": "1239",  # 农业: 组级, 村级, 乡镇级集体经济组织, 其他
    "Y": "1",  # 其他
}
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
    if code[0] not in ORGANISATION_TYPES:
        return "department"
    if code[1] not in ORGANISATION_TYPES[code[0]]:
        return "type"
    if not code[2:8].isdigit():
        return "division"
    if check_character(code[:17]) != code[17]:
        return "check"
    return None
