"""设置导出与导入 — one JSON file sets up a second workstation the same way.

The file holds a format name and version, the court profile, the departments (with their 庭长 and
分管院长 named by username), every stored court setting, and the administrator's wording-template
versions. It never holds users' passwords or hashes: accounts are created on each workstation.

Import first checks EVERYTHING (:func:`plan_import` — profile, departments, each setting through the
settings registry, each template through the document engine) and refuses the file with every
problem listed; then :func:`apply_import` makes the changes in the caller's single transaction, each
audited by the service that makes it, plus one ``settings.import`` summary record. Things the file
names that this workstation cannot take (a 庭长 whose account does not exist here, a setting this
version does not know, a document kind it does not have) are skipped and listed in the report.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from baihe_desk import __version__
from baihe_desk.documents.templates import TemplateError, set_version
from baihe_desk.errors import KnownError, ValidationError, ValidationErrors
from baihe_desk.models import Department, Role, Setting, User
from baihe_desk.models.template import WordingTemplate
from baihe_desk.services.admin import organisation, settings
from baihe_desk.services.common import audit
from baihe_desk.services.common.document_kinds import KINDS
from baihe_desk.services.common.permissions import Perm, require

FORMAT = "baihe-desk-settings"
FORMAT_VERSION = 1
MAX_FILE_BYTES = 20 * 1024 * 1024


# -- export -----------------------------------------------------------------------------------------------

def export_data(session: Session) -> dict[str, Any]:
    """Everything a second workstation needs (no users, no passwords)."""
    usernames = dict(session.execute(select(User.id, User.username)).all())
    depts = [{"name": d.name, "kind": d.kind, "sort_order": d.sort_order,
              "chief": usernames.get(d.chief_id) if d.chief_id else None,
              "overseer": usernames.get(d.overseer_id) if d.overseer_id else None}
             for d in session.scalars(select(Department).order_by(Department.sort_order, Department.name))]
    rows = session.scalars(select(Setting).order_by(Setting.key))
    templates = [{"kind": t.kind, "version": t.version, "body": t.body, "note": t.note}
                 for t in session.scalars(select(WordingTemplate).order_by(WordingTemplate.kind,
                                                                            WordingTemplate.version))]
    return {
        "format": FORMAT, "format_version": FORMAT_VERSION, "app_version": __version__,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "court": organisation.profile_values(session),
        "departments": depts,
        "settings": {r.key: r.value for r in rows},
        "templates": templates,
    }


def export_file(session: Session, actor: User, path: Path) -> Path:
    """Write the export file (UTF-8 JSON, human-readable); audited."""
    require(session, actor, Perm.SETTINGS_TRANSFER)
    data = export_data(session)
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)
    path = Path(path)
    try:
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(text + "\n", encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        raise KnownError(f"无法写入导出文件 {path}：{exc.strerror or exc}") from exc
    audit.record(session, actor, "settings.export", entity="setting", entity_id=str(path.name),
                 after={"file": str(path), "settings": len(data["settings"]),
                        "departments": len(data["departments"]), "templates": len(data["templates"])})
    return path


# -- import -----------------------------------------------------------------------------------------------

def read_file(path: Path) -> dict[str, Any]:
    path = Path(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise KnownError(f"{path.name} 过大，不是本系统的设置导出文件。")
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise KnownError(f"无法读取 {path}：{exc.strerror or exc}") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise KnownError(f"{path.name} 不是有效的设置导出文件（JSON 格式错误：{exc}）。") from exc
    if not isinstance(data, dict):
        raise KnownError(f"{path.name} 不是本系统的设置导出文件。")
    return data


@dataclass
class ImportPlan:
    profile: dict[str, str]
    departments: list[dict[str, Any]]
    settings: dict[str, Any]
    templates: dict[str, tuple[str, str]]  # kind → (body, note) of the newest version in the file
    skipped: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    changes: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def text(self) -> str:
        lines = self.changes or ["文件中的设置与本机相同，没有改动。"]
        if self.skipped:
            lines += ["", "未导入："] + [f"· {s}" for s in self.skipped]
        return "\n".join(lines)


def _departments(session: Session, raw: Any, errors: list[ValidationError], skipped: list[str]) -> list[dict]:
    if not isinstance(raw, list):
        errors.append(ValidationError("部门", "应为部门列表"))
        return []
    out, seen = [], set()
    for i, d in enumerate(raw, 1):
        if not isinstance(d, dict):
            errors.append(ValidationError("部门", f"第 {i} 项格式有误"))
            continue
        name = str(d.get("name") or "").strip()
        kind = str(d.get("kind") or "other")
        if not name:
            errors.append(ValidationError("部门名称", f"第 {i} 个部门的名称为空"))
            continue
        if name in seen:
            errors.append(ValidationError("部门名称", f"“{name}”重复出现"))
            continue
        seen.add(name)
        if kind not in organisation.KIND_LABELS:
            errors.append(ValidationError("部门类别", f"“{name}”的类别“{kind}”未知"))
            continue
        order = d.get("sort_order", 0)
        item = {"name": name, "kind": kind, "sort_order": order if isinstance(order, int) else 0}
        for post, role, label in (("chief", Role.DIVISION_CHIEF, "庭长"), ("overseer", Role.VICE_PRESIDENT, "分管院长")):
            username = d.get(post)
            if not username:
                continue
            user = session.scalar(select(User).where(User.username == str(username)))
            if user is None or user.role is not role or not user.active:
                why = "本机没有该账号" if user is None else f"本机该账号不是在用的{label}"
                skipped.append(f"{name}的{label}（用户名 {username}）：{why}，请在“部门与人员”中另行设置")
                continue
            item[post] = user.id
        out.append(item)
    return out


def plan_import(session: Session, data: dict[str, Any]) -> ImportPlan:
    """Check the whole file without changing anything; raises ValidationErrors listing every problem."""
    if data.get("format") != FORMAT:
        raise KnownError("该文件不是本系统的设置导出文件。")
    version = data.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise KnownError(f"该文件由较新版本的程序导出（格式第 {version} 版），本机只能读取第 {FORMAT_VERSION} 版，"
                         "请先升级本机程序。")
    errors: list[ValidationError] = []
    skipped: list[str] = []
    profile: dict[str, str] = {}
    raw_court = data.get("court")
    try:
        if not isinstance(raw_court, dict):
            raise ValidationError("法院信息", "缺少法院信息")
        profile = organisation.validate_profile({k: v for k, v in raw_court.items()
                                                 if k in organisation.PROFILE_FIELDS})
    except ValidationError as exc:
        errors.append(exc)
    departments = _departments(session, data.get("departments", []), errors, skipped)
    values: dict[str, Any] = {}
    raw_settings = data.get("settings", {})
    if not isinstance(raw_settings, dict):
        errors.append(ValidationError("设置", "应为“键 → 值”的对照表"))
        raw_settings = {}
    for key, raw in raw_settings.items():
        if not settings.is_declared(key):
            skipped.append(f"设置项“{key}”：本机程序不认识该设置")
            continue
        try:
            values[key] = settings.validate(key, raw)
        except ValidationErrors as exc:
            errors.extend(exc.errors)
        except ValidationError as exc:
            errors.append(exc)
    templates = _templates(data.get("templates", []), errors, skipped)
    if errors:
        raise ValidationErrors(errors)
    return ImportPlan(profile, departments, values, templates, skipped)


def _templates(raw: Any, errors: list[ValidationError], skipped: list[str]) -> dict[str, tuple[str, str]]:
    from baihe_desk.documents import wording

    if not isinstance(raw, list):
        errors.append(ValidationError("文书模板", "应为模板版本列表"))
        return {}
    newest: dict[str, dict] = {}
    for t in raw:
        if not isinstance(t, dict) or not isinstance(t.get("body"), str) or not isinstance(t.get("version"), int):
            errors.append(ValidationError("文书模板", "有一项格式有误"))
            continue
        kind = str(t.get("kind"))
        if kind not in KINDS:
            skipped.append(f"文书模板“{kind}”：本机程序没有这种文书")
            continue
        if kind not in newest or t["version"] > newest[kind]["version"]:
            newest[kind] = t
    out = {}
    for kind, t in newest.items():
        try:
            wording.load(KINDS[kind], t["body"], f"{kind}@import")
        except TemplateError as exc:
            errors.append(ValidationError(f"文书模板「{KINDS[kind].title}」", exc.message))
            continue
        out[kind] = (t["body"], str(t.get("note") or ""))
    return out


def _same_template(a: str, b: str) -> bool:
    return set_version(a.replace("\r\n", "\n"), 0).strip() == set_version(b.replace("\r\n", "\n"), 0).strip()


def apply_import(session: Session, actor: User, plan: ImportPlan) -> ImportReport:
    """Make the planned changes in the caller's transaction (each audited by its service)."""
    from baihe_desk.services.common import documents

    report = ImportReport(skipped=list(plan.skipped))
    before_profile = organisation.profile_values(session)
    organisation.save_court_profile(session, actor, **plan.profile)
    changed = [organisation.PROFILE_FIELDS[k][0] for k, v in plan.profile.items() if before_profile.get(k) != v]
    if changed:
        report.changes.append(f"法院信息：更新了{'、'.join(changed)}")
    existing = {d.name: d for d in session.scalars(select(Department))}
    for item in plan.departments:
        dept = existing.get(item["name"])
        if dept is None:
            dept = organisation.add_department(session, actor, item["name"], item["kind"])
            report.changes.append(f"部门：新增“{item['name']}”")
        organisation.update_department(session, actor, dept.id, kind=item["kind"], sort_order=item["sort_order"])
        for post, setter, label in (("chief", organisation.set_chief, "庭长"),
                                    ("overseer", organisation.set_overseer, "分管院长")):
            if post in item and getattr(dept, f"{'chief' if post == 'chief' else 'overseer'}_id") != item[post]:
                setter(session, actor, dept.id, item[post])
                report.changes.append(f"部门：设置“{item['name']}”的{label}")
    changed_settings = settings.set_many(session, actor, plan.settings)
    for key in changed_settings:
        report.changes.append(f"设置：{settings.definition(key).label}")
    for kind, (body, note) in plan.templates.items():
        current = documents.template_versions(session, kind)[0]
        if _same_template(current.body, body):
            continue
        row = documents.save_template(session, actor, kind, body, note or "从设置文件导入")
        report.changes.append(f"文书模板：「{KINDS[kind].title}」导入为第 {row.version} 版")
    audit.record(session, actor, "settings.import", entity="setting",
                 after={"changes": report.changes, "skipped": report.skipped})
    return report


def import_data(session: Session, actor: User, data: dict[str, Any]) -> ImportReport:
    """Check everything, then apply in the caller's one transaction."""
    require(session, actor, Perm.SETTINGS_TRANSFER)
    return apply_import(session, actor, plan_import(session, data))


def import_file(session: Session, actor: User, path: Path) -> ImportReport:
    require(session, actor, Perm.SETTINGS_TRANSFER)
    return import_data(session, actor, read_file(path))
