"""The 执行咨询函 editor's crash drafts (草稿文件): what is on screen when the program crashes or quits
within the autosave delay goes to ``drafts/enforcement-consultation-<id>.json``; the next time the draft
is opened the editor offers it back (恢复草稿) or drops it (丢弃)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from baihe_desk.errors import KnownError
from baihe_desk.services.enforcement.draft import draft_from_json, draft_to_json
from baihe_desk.ui.common.qt import is_alive
from baihe_desk.ui.common.widgets import show_known_error

DRAFT_NAME = "enforcement-consultation"


class CrashDraftMixin:
    """Mixed into ``ConsultationEditor`` (uses its consultation_id, paths, dirty, data/set_data, banner)."""

    @property
    def crash_path(self) -> Path | None:
        if self.consultation_id is None:
            return None
        return self.paths.drafts / f"{DRAFT_NAME}-{self.consultation_id}.json"

    def save_crash_draft(self) -> Path | None:
        """What is on screen, for the crash handler (nothing when everything is saved)."""
        path = self.crash_path
        if path is None or not self.dirty:
            return None
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = {"version": 1, "consultation_id": str(self.consultation_id),
                   "saved_at": datetime.now().isoformat(timespec="seconds"), "data": draft_to_json(self.data())}
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(path)
        return path

    def _quitting(self) -> None:
        if is_alive(self):
            self.save_crash_draft()

    def restore_crash_draft(self) -> None:
        path = self.crash_path
        try:
            data = draft_from_json(json.loads(path.read_text(encoding="utf-8"))["data"])  # type: ignore[union-attr]
        except (OSError, ValueError, KeyError, TypeError):
            show_known_error(self, KnownError("草稿文件无法读取，可能已损坏。"))
            return
        self.set_data(data)
        self.banner.setVisible(False)
        self.edited()
        self.update_gaps()

    def drop_crash_draft(self) -> None:
        if self.crash_path is not None:
            self.crash_path.unlink(missing_ok=True)
        self.banner.setVisible(False)
