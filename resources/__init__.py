"""Data court staff may read and edit (可由法院人员查阅和修改的数据), installed as ``baihe_desk.resources``.

checklists/ (立案审查清单, 程序规则), templates/ (文书措辞模板), holidays/ (节假日与调休), causes/ (2025 案由),
mediation/ (诉前调解规则, 调解组织), law/ (法规库: the statutes the desk cites, by version), fees.toml (诉讼费),
case_types.toml (案件类型代字), fonts.toml (字体).
Read through ``importlib.resources.files("baihe_desk.resources")``: the same call finds this folder in a
source checkout (editable install), inside an installed wheel and inside the frozen desk.
"""
