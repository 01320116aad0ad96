"""设置项清单 — the declarations of :mod:`baihe_desk.services.admin.settings`, one entry per court setting.

Keys and JSON shapes are those the readers already use (complaint_review, procedure, fees and the CLI,
holidays, the document engine); a workflow that adds a setting declares it here (or calls
``settings.declare`` from its own module) so the administrator can edit it with validation.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from baihe_desk.errors import ValidationError
from baihe_desk.services.admin.settings import SettingDef, add_group, declare

CPL = "《中华人民共和国民事诉讼法》"
JS = "《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》"
WAGE_KEY = "procedure.small_claims.annual_wage"
WAGE_YEAR_KEY = "procedure.small_claims.wage_year"
FEES_KEY = "fees.overrides"
HOLIDAYS_KEY = "holidays.extra"
FONT_KEY = "documents.fonts."
CHECK_CHARS_KEY = "documents.fonts.check_chars"
NEAR_DUE_KEY = "queues.near_due_days"
REPLY_KEY = "enforcement.reply_working_days"


# -- 立案 ---------------------------------------------------------------------------------------------------
declare(SettingDef(
    "filing.correction_days", "补正期限", "filing", "int", 15, unit="日", minimum=1, maximum=90,
    basis="《最高人民法院关于人民法院登记立案若干问题的规定》第七条（“在指定期限内补正”）",
    note="法律未规定补正的具体天数，由法院指定；默认 15 日为常见做法，请按本院规定设置。", confirmed=False))


# -- 小额诉讼标准 ---------------------------------------------------------------------------------------------
def _wage_default() -> Decimal:
    from baihe_desk.services.filing.procedure import default_threshold

    return default_threshold().annual_wage


def _wage_year_default() -> int:
    from baihe_desk.services.filing.procedure import default_threshold

    return default_threshold().wage_year


def _published_year(year: int) -> None:
    if year >= date.today().year:
        raise ValidationError("平均工资所属年度", f"应为已经公布的往年数字（{JS}第二百七十二条），"
                              f"{year} 年的年平均工资尚未公布")


_WAGE_NOTE = ("默认值未经确认：按吉林省统计局公布的 2022 年城镇非私营单位就业人员年平均工资 87222 元推算，"
              "请以吉林省高级人民法院最新公布的标准为准。")
declare(SettingDef(
    WAGE_KEY, "上年度就业人员年平均工资", "small_claims", "decimal", _wage_default, unit="元",
    minimum=Decimal(10000), maximum=Decimal(1000000),
    basis=f"{CPL}第一百六十五条；{JS}第二百七十二条", note=_WAGE_NOTE, confirmed=False,
    companions=(WAGE_YEAR_KEY,)))
declare(SettingDef(
    WAGE_YEAR_KEY, "平均工资所属年度", "small_claims", "int", _wage_year_default, unit="年",
    minimum=2000, maximum=2100, basis=f"{JS}第二百七十二条（以已经公布的最近年度数字为准）",
    note=_WAGE_NOTE, confirmed=False, companions=(WAGE_KEY,), extra_check=_published_year))


# -- 诉讼费用 ---------------------------------------------------------------------------------------------
def _fee_overrides(raw: Any) -> dict[str, str]:
    from baihe_desk.services.filing.fees import validate_overrides

    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise ValidationError("诉讼费用标准", "应为“收费项目 → 金额”的对照表")
    try:
        checked = validate_overrides(raw)
    except InvalidOperation:  # an absurdly long number trips fees.parse_amount's message formatting
        raise ValidationError("诉讼费用标准", "金额过大，不是有效金额") from None
    return {k: format(v, "f") for k, v in checked.items()}


declare(SettingDef(
    FEES_KEY, "本省确定的收费标准", "fees", "json", dict, check=_fee_overrides,
    basis="《诉讼费用交纳办法》第十三条末款、第十四条",
    note="吉林省在法定幅度内确定的具体标准未经核实；未设置的项目按法定幅度的下限计算并提示。",
    confirmed=False))


# -- 期限与提醒 -------------------------------------------------------------------------------------------
declare(SettingDef(
    NEAR_DUE_KEY, "临期提醒", "periods", "int", 3, unit="日", minimum=0, maximum=30,
    note="到期前几日起在待办队列中标为“临期”，属本院工作习惯，可按需调整。", confirmed=False))


# -- 执行咨询 (services/enforcement_consultation.py reads these; defaults are its own) ----------------------
def _type_word(label: str):  # type: ignore[no-untyped-def]
    def check(value: str) -> None:
        if not 1 <= len(value) <= 4 or not all("\u4e00" <= c <= "\u9fff" for c in value):
            raise ValidationError(label, f"应为 1 至 4 个汉字（用于内部编号，如（2026）吉7502{value or '执咨'}1号）")

    return check


declare(SettingDef(
    REPLY_KEY, "执行局回复期限", "enforcement", "int", 10, unit="个工作日", minimum=1, maximum=60,
    note="执行局回复执行咨询函的期限不是法定期间，属本院工作规范；默认 10 个工作日约合法发〔2018〕9号"
         "反向征询的“十五日”（该说法未经核实全文），请按本院规定设置。", confirmed=False))
declare(SettingDef("enforcement.consultation_code", "执行咨询函编号用字", "enforcement", "text", "执咨",
                   required=True, max_length=4, extra_check=_type_word("执行咨询函编号用字"),
                   note="内部编号的写法属本院做法。", confirmed=False))
declare(SettingDef("enforcement.advice_code", "执行建议编号用字", "enforcement", "text", "执建",
                   required=True, max_length=4, extra_check=_type_word("执行建议编号用字")))
declare(SettingDef("enforcement.bureau_name", "执行咨询函收件部门", "enforcement", "text", "本院执行局",
                   required=True, max_length=50))


# -- 判后答疑 ---------------------------------------------------------------------------------------------
declare(SettingDef("explanation.default_place", "默认答疑地点", "explanation", "text", "本院诉讼服务中心",
                   max_length=100))
declare(SettingDef("explanation.appeal_court_name", "上诉法院名称", "explanation", "text", "", max_length=100,
                   note="写入判后答疑笔录的上诉法院名称；留空时写“上一级人民法院”。"))


def _risk_reasons_default() -> list[str]:
    from baihe_desk.services.explanation.risk import DEFAULT_REASONS

    return list(DEFAULT_REASONS)


def _risk_roles_default() -> list[str]:
    from baihe_desk.services.explanation.risk import DEFAULT_LEADER_ROLES

    return list(DEFAULT_LEADER_ROLES)


def _risk_roles(raw: Any) -> list[str]:
    from baihe_desk.models import Role

    values = [raw] if isinstance(raw, str) else raw
    if not isinstance(values, list) or not values or not all(v in Role._value2member_map_ for v in values):
        raise ValidationError("包案领导角色", "应为至少一个角色（如 vice_president、division_chief）")
    return list(dict.fromkeys(values))


declare(SettingDef("explanation.risk_reasons", "信访风险原因选项", "explanation", "names", _risk_reasons_default,
                   required=True, max_length=100, one_per_line=True,
                   note="登记信访风险时可选的原因（每行一项），属本院做法。", confirmed=False))
declare(SettingDef("explanation.risk_leader_roles", "包案领导角色", "explanation", "json", _risk_roles_default,
                   check=_risk_roles))


# -- 诉前调解推荐 ------------------------------------------------------------------------------------
declare(SettingDef(
    "mediation.small_debt_max_amount", "“小额债务”推荐诉前调解的标的额上限", "mediation_notice", "decimal",
    Decimal("100000"), unit="元", minimum=Decimal(0), maximum=Decimal(100000000),
    note="本院实践：委派调解指导意见未规定具体金额，默认值未经确认，请按本院做法设置。", confirmed=False))


# -- 诉前调解告知书 ----------------------------------------------------------------------------------------
# One figure: the notice builder and services/mediation_period both read ``documents.mediation_notice.days``.
_MN = "documents.mediation_notice."
declare(SettingDef(
    _MN + "days", "委派调解期限", "mediation_notice", "int", 30, unit="日", minimum=1, maximum=365,
    basis="《最高人民法院关于人民法院特邀调解的规定》第二十七条（调解期限为30日，双方同意延长的除外）"))
declare(SettingDef(_MN + "mediator_org", "默认调解组织或调解员", "mediation_notice", "text", "", max_length=100))
declare(SettingDef(_MN + "contact_name", "默认联系人", "mediation_notice", "text", "", max_length=50))
declare(SettingDef(_MN + "contact_phone", "默认联系电话", "mediation_notice", "text", "", max_length=40))
declare(SettingDef(
    _MN + "limitation_note", "写入“起诉即中断诉讼时效”提示", "mediation_notice", "bool", False,
    note="该提示的措辞未经全国性规范核实，属本地做法，由本院决定是否启用。", confirmed=False))


# -- 节假日与调休 -----------------------------------------------------------------------------------------
def _holiday_extra(raw: Any) -> dict[str, dict]:
    from baihe_desk.services.deadlines.holidays import extra_years_to_setting, parse_extra_years

    return extra_years_to_setting(parse_extra_years(raw or {}))


declare(SettingDef(
    HOLIDAYS_KEY, "管理员录入的节假日安排", "holidays", "json", dict, check=_holiday_extra,
    basis=f"{CPL}第八十五条；国务院办公厅关于部分节假日安排的通知"))


# -- 文书字体与版式 -----------------------------------------------------------------------------------------
def _font_default(role: str):  # type: ignore[no-untyped-def]
    def default() -> list[str]:
        from baihe_desk.documents.settings import default_fonts

        return list(default_fonts()[role])

    return default


_FONT_BASIS = {
    "title": "GB/T 9704：标题 2 号小标宋体", "body": "GB/T 9704：正文 3 号仿宋体",
    "heading1": "一级标题“一、”黑体", "heading2": "二级标题“（一）”楷体",
    "page_number": "页码 4 号半角宋体", "fallback": "生僻字依次改用的字体",
}
_FONT_LABELS = {"title": "标题字体", "body": "正文字体", "heading1": "一级标题字体",
                "heading2": "二级标题字体", "page_number": "页码字体", "fallback": "后备字体"}
FONT_ROLE_KEYS = tuple(FONT_KEY + role for role in _FONT_LABELS)
for _role, _label in _FONT_LABELS.items():
    declare(SettingDef(FONT_KEY + _role, _label, "fonts", "names", _font_default(_role), required=True,
                       max_length=100, basis=_FONT_BASIS[_role]))
declare(SettingDef(
    FONT_KEY + "dirs", "其他字体文件夹", "fonts", "names", list, max_length=300,
    note="数据文件夹下的 fonts 文件夹总会被查找；此处可加入其他文件夹（每台电脑上应存在）。"))
declare(SettingDef(
    CHECK_CHARS_KEY, "字形检查用字", "fonts", "text", "堃喆玥䶮昇珺燚犇淼垚赟", max_length=500,
    note="字体示例用这些字（常见于人名的生僻字）检查每种字体能否显示；可加入本院常见的生僻字。"))
declare(SettingDef(
    "documents.page_numbers", "页码位置", "documents", "choice", "odd-even",
    choices=(("odd-even", "单页居右、双页居左（GB/T 9704）"), ("center", "居中")),
    basis="GB/T 9704-2012"))


# -- 安全 ----------------------------------------------------------------------------------------------------
IDLE_LOCK_KEY = "security.idle_lock_minutes"
declare(SettingDef(
    IDLE_LOCK_KEY, "无操作自动锁定", "security", "int", 15, unit="分钟", minimum=0, maximum=240,
    note="工作台无人操作达到该时长后回到登录窗口（0 表示不自动锁定）；时长按本院保密规定设置。", confirmed=False))


# -- 数据备份 (issue 21) ----------------------------------------------------------------------------------------
add_group("backup", "数据备份")
declare(SettingDef(
    "backup.keep_daily", "保留每日备份（天）", "backup", "int", 7, unit="天", minimum=1, maximum=60,
    note="每天在程序启动数分钟后于后台低优先级备份一次；保留最近若干天每天的一份。"))
declare(SettingDef(
    "backup.keep_weekly", "另保留每周备份（周）", "backup", "int", 4, unit="周", minimum=0, maximum=52,
    note="另保留最近若干个自然周（周一至周日）每周最新的一份；升级前、手动和恢复前的备份不会自动删除。"))
