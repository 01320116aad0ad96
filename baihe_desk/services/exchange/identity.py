"""工作台身份 — this desk's key pair, and the other desks the administrator registered.

Each installation (data folder) has one Ed25519 key pair, made on first need from the OS random source by
PyNaCl (libsodium). The private seed is kept by :class:`~baihe_desk.storage.keystore.Keystore` (the OS
credential store, else a key file only this account can read) — never in the database, which the court's
server shares with every desk. The same key signs bundles and, converted to X25519 by libsodium
(``to_curve25519_private_key``), opens the sealed boxes other desks encrypt to it.

The public key travels as a small *desk card* (``.baihe-desk``, JSON: name, kind, public key); before the
administrator registers it, the two sides read the **fingerprint** aloud (20 digits in five groups, from the
SHA-256 of the public key) and compare: a card swapped on the way would not match.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from baihe_desk.errors import KnownError, NotFound, PermissionDenied, ValidationError
from baihe_desk.models import Role, User, utcnow
from baihe_desk.models.exchange import Desk, DeskKind
from baihe_desk.services.common import audit
from baihe_desk.storage.keystore import Keystore

KEY_NAME = "desk-identity"
CARD_FORMAT = "baihe-desk-card"


def fingerprint(public_key: bytes) -> str:
    """The short code read aloud: 20 decimal digits of SHA-256(public key), in five groups of four."""
    digest = hashlib.sha256(b"baihe-desk-fingerprint\x00" + public_key).digest()
    digits = f"{int.from_bytes(digest[:10], 'big') % 10**20:020d}"
    return " ".join(digits[i:i + 4] for i in range(0, 20, 4))


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


@dataclass
class Identity:
    """This desk: its row and its signing key (kept in memory only while a bundle is written or read)."""

    desk: Desk
    seed: bytes

    def signing_key(self):  # type: ignore[no-untyped-def]
        from nacl.signing import SigningKey

        return SigningKey(self.seed)

    def private_box_key(self):  # type: ignore[no-untyped-def]
        return self.signing_key().to_curve25519_private_key()


def _require_admin(session: Session, actor: User | None, doing: str) -> User:
    if actor is None or not actor.active or actor.role is not Role.ADMIN:
        audit.record(session, actor, "permission.denied", entity="exchange_desk", after={"doing": doing})
        session.commit()
        raise PermissionDenied(f"只有管理员可以{doing}。")
    return actor


def _stored(keystore: Keystore) -> tuple[uuid.UUID, bytes] | None:
    raw = keystore.get(KEY_NAME)
    if raw is None:
        return None
    if len(raw) != 48:
        raise KnownError("本工作台的身份密钥已损坏，请联系管理员。")
    return uuid.UUID(bytes=raw[:16]), raw[16:]


def own_identity(session: Session, keystore: Keystore) -> Identity | None:
    """This desk's identity, or None before it was made (or when this database does not know it)."""
    stored = _stored(keystore)
    if stored is None:
        return None
    desk = session.get(Desk, stored[0])
    return Identity(desk, stored[1]) if desk is not None else None


def ensure_identity(session: Session, keystore: Keystore, actor: User | None, *, name: str = "",
                    kind: DeskKind | str = DeskKind.COURT) -> Identity:
    """This desk's identity, made on first need (key pair in the keystore, its row in the database)."""
    from nacl.signing import SigningKey

    stored = _stored(keystore)
    if stored is None:
        desk_id, seed = uuid.uuid4(), bytes(SigningKey.generate())
        keystore.set(KEY_NAME, desk_id.bytes + seed)
    else:
        desk_id, seed = stored
    desk = session.get(Desk, desk_id)
    if desk is None:
        public = bytes(SigningKey(seed).verify_key)
        clash = session.scalar(select(Desk).where(Desk.public_key == public.hex()))
        if clash is not None:  # the same key under another id: keep the registered row
            return Identity(clash, seed)
        desk = Desk(id=desk_id, name=(name or "本工作台").strip()[:100], kind=DeskKind(kind),
                    public_key=public.hex(), fingerprint=fingerprint(public), is_self=True,
                    registered_by_id=actor.id if actor else None)
        session.add(desk)
        session.flush()
        audit.record(session, actor, "exchange.identity_created", entity="exchange_desk", entity_id=desk.id,
                     after={"name": desk.name, "kind": desk.kind, "fingerprint": desk.fingerprint})
    return Identity(desk, seed)


def card(desk: Desk) -> bytes:
    """The desk card handed to the other desk's administrator (public data only)."""
    return json.dumps({"format": CARD_FORMAT, "id": str(desk.id), "name": desk.name, "kind": desk.kind.value,
                       "public_key": desk.public_key}, ensure_ascii=False, indent=2).encode("utf-8")


@dataclass
class CardInfo:
    id: uuid.UUID
    name: str
    kind: DeskKind
    public_key: str
    fingerprint: str


def read_card(data: bytes) -> CardInfo:
    try:
        raw = json.loads(data.decode("utf-8"))
        if raw.get("format") != CARD_FORMAT:
            raise ValueError
        key = bytes.fromhex(raw["public_key"])
        if len(key) != 32:
            raise ValueError
        return CardInfo(uuid.UUID(raw["id"]), str(raw["name"])[:100], DeskKind(raw["kind"]), key.hex(),
                        fingerprint(key))
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
        raise KnownError("这不是白河工作台的身份卡（.baihe-desk 文件），或文件已损坏。") from None


def register_desk(session: Session, actor: User, info: CardInfo, spoken_fingerprint: str, *,
                  name: str | None = None, note: str = "") -> Desk:
    """Register another desk after comparing the fingerprint read aloud with the card's."""
    actor = _require_admin(session, actor, "登记工作台")
    if not _digits(spoken_fingerprint):
        raise ValidationError("指纹", "请输入对方念出的 20 位指纹数字。")
    if _digits(spoken_fingerprint) != _digits(info.fingerprint):
        raise ValidationError("指纹", "与身份卡的公钥不符：身份卡可能在传递中被替换，未登记。请重新核对。")
    existing = session.scalar(select(Desk).where(Desk.public_key == info.public_key))
    if existing is not None:
        if existing.is_self:
            raise KnownError("这是本工作台自己的身份卡，无需登记。")
        if existing.active:
            raise KnownError(f"该工作台已登记为“{existing.name}”。")
        raise KnownError(f"该工作台（“{existing.name}”）的密钥已被撤销，不能再次登记；请对方重新生成身份。")
    if session.get(Desk, info.id) is not None:
        raise KnownError("已有同一编号的工作台，未登记。")
    desk = Desk(id=info.id, name=(name or info.name).strip()[:100], kind=info.kind, public_key=info.public_key,
                fingerprint=info.fingerprint, note=note, registered_by_id=actor.id)
    session.add(desk)
    session.flush()
    audit.record(session, actor, "exchange.desk_registered", entity="exchange_desk", entity_id=desk.id,
                 after={"name": desk.name, "kind": desk.kind, "fingerprint": desk.fingerprint})
    return desk


def revoke_desk(session: Session, actor: User, desk_id: uuid.UUID, reason: str = "") -> Desk:
    """撤销: the desk's bundles are refused from now on (its key may be lost or stolen)."""
    actor = _require_admin(session, actor, "撤销工作台")
    desk = session.get(Desk, desk_id)
    if desk is None:
        raise NotFound("未找到该工作台。")
    if desk.is_self:
        raise KnownError("不能撤销本工作台自己的身份。")
    if not desk.active:
        raise KnownError(f"工作台“{desk.name}”已被撤销。")
    desk.active, desk.revoked_at, desk.revoked_by_id = False, utcnow(), actor.id
    desk.note = (desk.note + ("\n" if desk.note else "") + f"撤销原因：{reason}") if reason else desk.note
    session.flush()
    audit.record(session, actor, "exchange.desk_revoked", entity="exchange_desk", entity_id=desk.id,
                 before={"active": True}, after={"active": False, "reason": reason})
    return desk


def desks(session: Session) -> list[Desk]:
    return list(session.scalars(select(Desk).order_by(Desk.is_self.desc(), Desk.active.desc(), Desk.name)))
