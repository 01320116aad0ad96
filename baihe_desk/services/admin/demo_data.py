"""Realistic demo data pieces: Chinese names (with rare characters), Jilin addresses, valid
ID numbers and credit codes. Pure functions over a ``random.Random``; no database."""

from __future__ import annotations

import random
from datetime import date, timedelta

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文朴"
COMPOUND_SURNAMES = ["欧阳", "司马", "上官", "诸葛", "东方", "皇甫"]
GIVEN = list("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝思丽秀飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘")
RARE_GIVEN = ["堃", "喆", "玥", "䶮", "昇", "淼", "犇", "鑫", "垚", "燚", "赟", "璟", "頔", "珺", "祎", "彧", "翀", "昶"]
ETHNICITIES = ["汉族"] * 18 + ["朝鲜族", "满族", "蒙古族", "回族"]
OCCUPATIONS = ["职员", "农民", "个体工商户", "退休职工", "教师", "司机", "林业工人", "厨师", "无业", "导游", "护士"]

# (county-level division code, city, county) — Jilin province
REGIONS = [
    ("220602", "白山市", "浑江区"), ("220605", "白山市", "江源区"), ("220621", "白山市", "抚松县"),
    ("220622", "白山市", "靖宇县"), ("220623", "白山市", "长白朝鲜族自治县"), ("220681", "白山市", "临江市"),
    ("222401", "延边朝鲜族自治州", "延吉市"), ("222403", "延边朝鲜族自治州", "敦化市"),
    ("222404", "延边朝鲜族自治州", "珲春市"), ("222406", "延边朝鲜族自治州", "和龙市"),
    ("222426", "延边朝鲜族自治州", "安图县"), ("222424", "延边朝鲜族自治州", "汪清县"),
    ("220102", "长春市", "南关区"), ("220104", "长春市", "朝阳区"), ("220202", "吉林市", "昌邑区"),
    ("220502", "通化市", "东昌区"), ("220302", "四平市", "铁西区"), ("220702", "松原市", "宁江区"),
]
TOWNS = ["二道白河镇", "松江镇", "万良镇", "泉阳镇", "露水河镇", "永庆乡", "两江镇", "新合乡", "明月镇", "城关街道"]
# towns and 街道 of each county-level division (demo data: a plausible selection, not a gazetteer)
TOWNS_BY_COUNTY = {
    "浑江区": "红旗街道 通沟街道 新建街道 河口街道 城南街道 东兴街道 板石街道 七道江镇 六道江镇 三道沟镇",
    "江源区": "孙家堡子街道 大阳岔镇 湾沟镇 松树镇 砟子镇 石人镇",
    "抚松县": "抚松镇 松江河镇 泉阳镇 露水河镇 仙人桥镇 万良镇 北岗镇 兴参镇 东岗镇 漫江镇",
    "靖宇县": "靖宇镇 三道湖镇 龙泉镇 那尔轰镇 花园口镇 景山镇 赤松乡 濛江乡",
    "长白朝鲜族自治县": "长白镇 八道沟镇 十四道沟镇 马鹿沟镇 宝泉山镇 新房子镇",
    "临江市": "大湖街道 建国街道 新市街道 大栗子街道 花山镇 闹枝镇 苇沙河镇 六道沟镇",
    "延吉市": "进学街道 北山街道 河南街道 建工街道 新兴街道 公园街道 小营镇 依兰镇 三道湾镇 朝阳川镇",
    "敦化市": "胜利街道 民主街道 丹江街道 渤海街道 大石头镇 黄泥河镇 官地镇 沙河沿镇 雁鸣湖镇 额穆镇",
    "珲春市": "靖和街道 新安街道 河南街道 近海街道 春化镇 敬信镇 板石镇 英安镇 马川子乡",
    "和龙市": "文化街道 民惠街道 光明街道 八家子镇 福洞镇 头道镇 西城镇 南坪镇 东城镇 龙城镇",
    "安图县": "明月镇 松江镇 二道白河镇 两江镇 万宝镇 福满镇 石门镇 亮兵镇 新合乡 永庆乡",
    "汪清县": "汪清镇 大兴沟镇 天桥岭镇 罗子沟镇 百草沟镇 春阳镇 复兴镇 东光镇",
    "南关区": "南岭街道 自由大路街道 民康街道 新春街道 长通街道 全安街道 曙光街道 永吉街道 桃源街道",
    "朝阳区": "前进街道 桂林街道 南湖街道 永昌街道 重庆街道 清和街道 红旗街道 湖西街道 富锋街道 永春镇",
    "昌邑区": "兴华街道 文庙街道 东局子街道 新地号街道 延安街道 站前街道 通江街道 哈达湾街道 孤店子镇 左家镇",
    "东昌区": "老站街道 民主街道 新站街道 团结街道 东昌街道 龙泉街道 光明街道 金厂镇 江东乡",
    "铁西区": "英雄街道 北沟街道 仁兴街道 地直街道 平东街道 铁西街道 平西乡",
    "宁江区": "团结街道 民主街道 临江街道 铁西街道 繁荣街道 大洼镇 善友镇 毛都站镇 伯都乡",
}
ROADS = ["白山大街", "长白山路", "池北大街", "美人松路", "河西路", "光明路", "林海路", "团结路", "建设街", "长虹路"]
ORG_WORDS = ["长白山", "白河", "池北", "林海", "松江", "天池", "美人松", "雪岭", "峰岭", "红松"]
ORG_TYPES = ["物业服务有限公司", "旅游开发有限公司", "林业开发有限责任公司", "建筑工程有限公司", "商贸有限公司",
             "农村商业银行股份有限公司", "矿泉水有限公司", "客运有限公司", "酒店管理有限公司", "人参种植专业合作社"]
_TOWN_LISTS = {county: towns.split() for county, towns in TOWNS_BY_COUNTY.items()}
REP_TITLES = ["董事长", "执行董事", "总经理", "经理", "理事长", "行长"]

_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_ID_CHECK = "10X98765432"
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def id_check_digit(first17: str) -> str:
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def make_id_number(rng: random.Random, region: str, birth: date, male: bool) -> str:
    seq = rng.randrange(0, 100) * 10 + rng.choice([1, 3, 5, 7, 9] if male else [0, 2, 4, 6, 8])
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + id_check_digit(first17)


def uscc_check_char(first17: str) -> str:
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_CHARS[(31 - total % 31) % 31]


def make_credit_code(rng: random.Random, region: str) -> str:
    body = "".join(rng.choice(_USCC_CHARS) for _ in range(9))
    first17 = "91" + region + body
    return first17 + uscc_check_char(first17)


def person_name(rng: random.Random, rare_share: float = 0.06) -> str:
    surname = rng.choice(COMPOUND_SURNAMES) if rng.random() < 0.02 else rng.choice(SURNAMES)
    n = 1 if rng.random() < 0.3 else 2
    given = [rng.choice(GIVEN) for _ in range(n)]
    if rng.random() < rare_share:
        given[-1] = rng.choice(RARE_GIVEN)
    return surname + "".join(given)


def org_name(rng: random.Random, county: str) -> str:
    place = county.removesuffix("朝鲜族自治县").removesuffix("区").removesuffix("县").removesuffix("市")
    return f"{place}{rng.choice(ORG_WORDS)}{rng.choice(ORG_TYPES)}"


def address(rng: random.Random, region: tuple[str, str, str]) -> str:
    _, city, county = region
    towns = _TOWN_LISTS.get(county) or TOWNS
    return f"吉林省{city}{county}{rng.choice(towns)}{rng.choice(ROADS)}{rng.randint(1, 399)}号"


def mobile(rng: random.Random) -> str:
    return rng.choice(["13", "15", "17", "18", "19"]) + f"{rng.randrange(10**9):09d}"


def random_date(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))
