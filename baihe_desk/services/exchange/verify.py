"""Reading a bundle: every check before anything is merged, and ``inspect`` without decrypting.

Order: the file's structure → the signer is a registered, not revoked desk → the signature → addressed to
this desk → not seen before (bundle id) and newer than the last accepted from that desk (sequence) → the
sealed payload's hash → decryption → each part's hash. The first failure refuses the bundle with a message
that says what is wrong; nothing is changed (the refusal itself is audited by the caller).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from baihe_desk.models.exchange import BundleLog, Desk, DeskKind
from baihe_desk.services.exchange import bundle_file
from baihe_desk.services.exchange.bundle_file import BundleRefused
from baihe_desk.services.exchange.identity import Identity, own_identity
from baihe_desk.services.exchange.preview import TABLE_LABELS, local_time
from baihe_desk.storage.keystore import Keystore

NOTHING = "未导入任何内容。"


@dataclass
class Opened:
    manifest: dict[str, Any]
    sender: Desk
    me: Identity
    rows: dict[str, dict[str, dict[str, Any]]]
    versions: dict[str, str]
    files: dict[str, bytes]

    @property
    def bundle_id(self) -> uuid.UUID:
        return uuid.UUID(self.manifest["bundle_id"])

    @property
    def purpose(self) -> str:
        return str(self.manifest.get("purpose", "checkout"))


def _sender(session: Session, env: bundle_file.Envelope) -> Desk:
    info = env.manifest["sender"]
    desk = session.scalar(select(Desk).where(Desk.public_key == str(info.get("public_key", ""))))
    if desk is None:
        raise BundleRefused(f"案件包的签名者“{info.get('name', '')}”（指纹 {info.get('fingerprint', '')}）未在本工作台登记。"
                            f"请管理员当面或电话核对指纹并登记该工作台后再导入。{NOTHING}")
    if not desk.active:
        raise BundleRefused(f"签名的工作台“{desk.name}”已于 {local_time(desk.revoked_at.isoformat() if desk.revoked_at else '')} 被撤销，其案件包一律不予接收。{NOTHING}")
    return desk


def _not_replayed(session: Session, env: bundle_file.Envelope, sender: Desk) -> None:
    try:
        bundle_id, seq = uuid.UUID(str(env.manifest["bundle_id"])), int(env.manifest["sequence"])
    except (ValueError, TypeError):
        raise BundleRefused(f"案件包清单已损坏。{NOTHING}") from None
    seen = session.get(BundleLog, bundle_id)
    if seen is not None:
        raise BundleRefused(f"该案件包（编号 {bundle_id}）已于 {local_time(seen.processed_at.isoformat())} 处理过，"
                            f"不能重复导入（可能是重放的旧文件）。{NOTHING}")
    if seq <= sender.last_received_seq:
        raise BundleRefused(f"该案件包的序号 {seq} 不大于已从“{sender.name}”接收的最新序号 {sender.last_received_seq}："
                            f"这是旧的或被重放的案件包。{NOTHING}")


def open_bundle(session: Session, keystore: Keystore, data: bytes) -> Opened:
    """Verify and decrypt ``data``, or raise :class:`BundleRefused`."""
    env = bundle_file.parse(data)
    sender = _sender(session, env)
    if not bundle_file.signature_valid(env, sender.public_key):
        raise BundleRefused(f"案件包的签名无效：文件在签名后被改动，或并非由“{sender.name}”签发。{NOTHING}")
    me = own_identity(session, keystore)
    if me is None:
        raise BundleRefused(f"本工作台尚未生成身份密钥，无法接收案件包。{NOTHING}")
    recipient = env.manifest["recipient"]
    if recipient.get("public_key") != me.desk.public_key:
        raise BundleRefused(f"该案件包是发给“{recipient.get('name', '')}”（指纹 {recipient.get('fingerprint', '')}）的，"
                            f"不是本工作台（指纹 {me.desk.fingerprint}）。{NOTHING}")
    _not_replayed(session, env, sender)
    parts = bundle_file.open_payload(env, me.private_box_key())
    try:
        rows = json.loads(parts.pop("records"))
        versions = json.loads(parts.pop("versions"))
    except (KeyError, ValueError):
        raise BundleRefused(f"案件包缺少案件数据。{NOTHING}") from None
    files = {name.split(":", 1)[1]: data for name, data in parts.items() if name.startswith("file:")}
    return Opened(env.manifest, sender, me, rows, versions, files)


@dataclass
class Inspection:
    lines: list[str]
    signer_known: bool
    signature_ok: bool


def inspect(session: Session | None, data: bytes) -> Inspection:
    """The manifest and who signed it, without decrypting (no key needed, no personal data shown)."""
    env = bundle_file.parse(data)
    m = env.manifest
    sender, recipient = m["sender"], m["recipient"]
    desk = None
    if session is not None:
        desk = session.scalar(select(Desk).where(Desk.public_key == str(sender.get("public_key", ""))))
    sig_self = bundle_file.signature_valid(env, str(sender.get("public_key", "")))
    if desk is None:
        signer = "签名者未在本工作台登记" + ("（签名与包内声明的公钥相符，但身份未经核实）" if sig_self else "（签名无效）")
    elif not desk.active:
        signer = f"签名者：已撤销的工作台“{desk.name}”"
    else:
        signer = f"签名者：已登记的工作台“{desk.name}”，签名{'有效' if sig_self else '无效：文件被改动'}"
    kind_label = {k.value: k.label for k in DeskKind}
    purpose = {"checkout": "借出（检出）", "checkin": "交回（检入）"}.get(m.get("purpose", ""), m.get("purpose", ""))
    lines = [
        f"案件包编号：{m['bundle_id']}",
        f"用途：{purpose}",
        f"发送：{sender.get('name', '')}（{kind_label.get(sender.get('kind', ''), '')}），指纹 {sender.get('fingerprint', '')}",
        f"接收：{recipient.get('name', '')}，指纹 {recipient.get('fingerprint', '')}",
        f"序号：{m.get('sequence')}　生成时间：{local_time(str(m.get('created_at', '')))}"
        + (f"　应归还：{m['due_on']}" if m.get("due_on") else ""),
        f"案件 {m.get('case_count', 0)} 件；记录：" + "，".join(
            f"{TABLE_LABELS.get(k, (k, ''))[0]} {v}" for k, v in m.get("records", {}).items()),
        "各部分 SHA-256：" + "；".join(f"{k} {v[:16]}…" for k, v in sorted(m.get("parts", {}).items())),
        f"加密内容：{m.get('payload_size', len(env.sealed))} 字节，SHA-256 {str(m.get('payload_sha256', ''))[:16]}…（仅接收方可解密）",
        signer,
    ]
    return Inspection(lines, desk is not None and desk.active, sig_self)
