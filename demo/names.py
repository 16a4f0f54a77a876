"""Realistic Chinese names, drawn deterministically so every demo looks the same."""

import random

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓"
            "曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢")
GIVEN = ("伟 芳 娜 秀英 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀兰 霞 平 刚 桂英 建华 文 华 "
         "红 玉兰 晓东 海燕 志强 春梅 国庆 建国 丹 萍 鑫 宇 浩然 子涵 欣怡 梓萱 一鸣 思远 雨桐 "
         "佳怡 俊杰 晨 博文 婷 颖 斌 凯 慧 琳 雪 鹏 辉 亮 晶 建军 淑珍 立新 卫东").split()


def chinese_names(count: int, *, seed: int) -> list[str]:
    rng = random.Random(seed)
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def mobiles(count: int, *, prefix: str) -> list[str]:
    """Eleven-digit mobile numbers in an unassigned-looking block, unique per company."""
    return [f"{prefix}{index:04d}" for index in range(1, count + 1)]
