"""The ``.baihe`` file: a signed manifest in clear, the cases' records sealed to the receiving desk.

Layout (UTF-8 JSON)::

    {"format": "baihe-bundle", "version": 1,
     "manifest": {bundle_id, purpose, sender{id,name,kind,public_key,fingerprint},
                  recipient{id,name,public_key,fingerprint}, sequence, base_bundle_id, created_at, due_on,
                  case_count, records{table: count}, parts{name: sha256 of the plaintext part},
                  payload_sha256 (of the sealed payload), payload_size},
     "signature": base64(Ed25519 signature of the canonical manifest),
     "payload": base64(SealedBox(recipient's X25519 key).encrypt(zlib(JSON {part name: base64 bytes})))}

- **Signed** by the sender's Ed25519 key (PyNaCl). The signature covers the manifest, and the manifest
  names the recipient and the SHA-256 of the sealed payload and of every part: a changed byte anywhere is
  found, and nobody can re-address the bundle to another desk without the sender's key.
- **Encrypted** to the recipient with libsodium's sealed box (X25519 + XSalsa20-Poly1305, anonymous
  sender; the signature says who sent it). Only the recipient's private key opens it.
- **No personal data in the manifest**: case ids (UUIDs), counts and hashes of parts. The records'
  versions (the row hashes a check-in is compared with) are the part ``versions`` inside the sealed
  payload, not in the manifest: the hash of a small row such as a party could confirm a guessed name or
  ID number to whoever finds the USB stick.
"""

from __future__ import annotations

import base64
import hashlib
import json
import zlib
from dataclasses import dataclass
from typing import Any

from baihe_desk.errors import KnownError

FORMAT = "baihe-bundle"
VERSION = 1
SUFFIX = ".baihe"


class BundleRefused(KnownError):
    """A bundle that is not accepted; nothing was changed."""

    title = "案件包未导入"


def canonical(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def seal(manifest: dict[str, Any], parts: dict[str, bytes], signing_key, recipient_public_key: str) -> bytes:  # type: ignore[no-untyped-def]
    """The bundle file's bytes; fills in the manifest's part and payload hashes before signing."""
    from nacl.public import SealedBox
    from nacl.signing import VerifyKey

    inner = canonical({name: base64.b64encode(data).decode("ascii") for name, data in parts.items()})
    box_key = VerifyKey(bytes.fromhex(recipient_public_key)).to_curve25519_public_key()
    sealed = SealedBox(box_key).encrypt(zlib.compress(inner, 6))
    manifest = {**manifest, "parts": {name: sha256(data) for name, data in sorted(parts.items())},
                "payload_sha256": sha256(sealed), "payload_size": len(sealed)}
    signature = signing_key.sign(canonical(manifest)).signature
    envelope = {"format": FORMAT, "version": VERSION, "manifest": manifest,
                "signature": base64.b64encode(signature).decode("ascii"),
                "payload": base64.b64encode(sealed).decode("ascii")}
    return json.dumps(envelope, ensure_ascii=False, indent=1).encode("utf-8")


@dataclass
class Envelope:
    manifest: dict[str, Any]
    signature: bytes
    sealed: bytes


def parse(data: bytes) -> Envelope:
    """The envelope, or :class:`BundleRefused` for a file that is not a bundle or is damaged."""
    damaged = BundleRefused("这不是白河案件包（.baihe），或文件已损坏（无法读取其结构）。未导入任何内容。")
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise damaged from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise damaged
    if raw.get("version") != VERSION:
        raise BundleRefused(f"案件包格式版本 {raw.get('version')} 不受本程序支持，请升级白河工作台。未导入任何内容。")
    try:
        manifest = raw["manifest"]
        signature = base64.b64decode(raw["signature"], validate=True)
        sealed = base64.b64decode(raw["payload"], validate=True)
        for key in ("bundle_id", "sender", "recipient", "sequence", "parts", "payload_sha256"):
            manifest[key]  # noqa: B018 - presence check
        manifest["sender"]["public_key"], manifest["recipient"]["public_key"]  # noqa: B018
    except (KeyError, TypeError, ValueError):
        raise damaged from None
    return Envelope(manifest, signature, sealed)


def signature_valid(env: Envelope, public_key_hex: str) -> bool:
    from nacl.exceptions import BadSignatureError
    from nacl.signing import VerifyKey

    try:
        VerifyKey(bytes.fromhex(public_key_hex)).verify(canonical(env.manifest), env.signature)
    except (BadSignatureError, ValueError, TypeError):
        return False
    return True


def open_payload(env: Envelope, private_box_key) -> dict[str, bytes]:  # type: ignore[no-untyped-def]
    """Decrypt and check every part against the (already verified) manifest."""
    from nacl.exceptions import CryptoError
    from nacl.public import SealedBox

    if sha256(env.sealed) != env.manifest["payload_sha256"]:
        raise BundleRefused("案件包内容与签名清单不符：文件在签名后被改动（或传输损坏）。未导入任何内容。")
    try:
        inner = zlib.decompress(SealedBox(private_box_key).decrypt(env.sealed))
        parts = {name: base64.b64decode(text) for name, text in json.loads(inner).items()}
    except (CryptoError, zlib.error, ValueError, TypeError):
        raise BundleRefused("无法用本工作台的密钥解密该案件包。未导入任何内容。") from None
    expected = env.manifest["parts"]
    if set(parts) != set(expected) or any(sha256(parts[n]) != expected[n] for n in parts):
        raise BundleRefused("案件包的内容与清单中的校验值不符。未导入任何内容。")
    return parts
