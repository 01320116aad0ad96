"""Errors the desk expects (KnownError: calm message) versus bugs (crash dialog + log).

Every KnownError carries a Chinese message a clerk understands. Validation errors name the field.
"""

from __future__ import annotations


class KnownError(Exception):
    """An expected problem with the environment or the user's input; shown calmly, never a crash."""

    title = "无法完成操作"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.message


class ValidationError(KnownError):
    """Bad input in one field. ``field`` is the Chinese field label (e.g. 身份证号)."""

    title = "输入有误"

    def __init__(self, field: str, message: str, *, key: str | None = None):
        super().__init__(f"{field}：{message}")
        self.field = field
        self.key = key or field
        self.reason = message


class ValidationErrors(KnownError):
    """Several field errors at once (a form lists them all, next to their fields)."""

    title = "输入有误"

    def __init__(self, errors: list[ValidationError]):
        super().__init__("；".join(e.message for e in errors))
        self.errors = errors


class PermissionDenied(KnownError):
    title = "无权操作"


class AuthenticationError(KnownError):
    title = "登录失败"


class NotFound(KnownError):
    title = "未找到"


class ConflictError(KnownError):
    """Someone else changed the record, or a unique value is taken."""

    title = "数据冲突"


class DatabaseError(KnownError):
    """Locked, read-only, full, corrupt or too new database: calm message, nothing lost."""

    title = "数据库问题"


class SchemaTooNew(DatabaseError):
    pass
