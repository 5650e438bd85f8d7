#!/usr/bin/env python3
"""Regenerates the bad-*.toml vectors from v1.toml (see README.md).

Run from this directory: python3 make_bad.py
"""
import base64
import hashlib

with open("v1.toml", "rb") as f:
    good = f.read()


def with_checksum(text: bytes) -> bytes:
    """Replaces the last line with a checksum recomputed over the rest."""
    body = text[: text.rindex(b"checksum = ")]
    digest = hashlib.sha256(body).hexdigest()
    return body + b'checksum = "sha256:' + digest.encode() + b'"\n'


def replace_line(text: bytes, field: bytes, value: bytes) -> bytes:
    lines = text.split(b"\n")
    for i, line in enumerate(lines):
        if line.startswith(field + b" = "):
            lines[i] = field + b" = " + value
            return b"\n".join(lines)
    raise SystemExit(f"no field {field!r}")


def field(text: bytes, name: bytes) -> bytes:
    for line in text.split(b"\n"):
        if line.startswith(name + b" = "):
            return line[len(name) + 3 :]
    raise SystemExit(f"no field {name!r}")


vectors = {}

# One bit of one byte of the payload's base64 changed; the checksum is left alone.
flipped = bytearray(good)
at = good.index(b"payload = ") + 200
flipped[at] ^= 0x01
vectors["bad-flipped-byte.toml"] = bytes(flipped)

# Cut in the middle of the payload line.
vectors["bad-truncated.toml"] = good[: good.index(b"payload = ") + 100]

# One newline added at the end.
vectors["bad-trailing-newline.toml"] = good + b"\n"

# A newer format version, checksum recomputed so only the version is "wrong".
vectors["bad-unknown-version.toml"] = with_checksum(
    good.replace(b"\nformat = 1\n", b"\nformat = 4\n", 1)
)

# 64 GiB of Argon2 memory, checksum recomputed: must be refused before any work.
vectors["bad-hostile-kdf-memory.toml"] = with_checksum(
    replace_line(good, b"kdf_memory_kib", b"67108864")
)

# A wrapped key one byte short (47 bytes instead of 48), checksum recomputed.
wrapped = base64.b64decode(field(good, b"wrapped_key").strip(b'"'))
vectors["bad-wrapped-key-length.toml"] = with_checksum(
    replace_line(good, b"wrapped_key", b'"' + base64.b64encode(wrapped[:-1]) + b'"')
)

# One ciphertext byte changed and the checksum recomputed: deliberate tampering,
# caught by the payload's authentication tag after the key is unwrapped.
payload = bytearray(base64.b64decode(field(good, b"payload").strip(b'"')))
payload[10] ^= 0x80
vectors["bad-tampered-payload.toml"] = with_checksum(
    replace_line(good, b"payload", b'"' + base64.b64encode(bytes(payload)) + b'"')
)

vectors["bad-empty.toml"] = b""

for name, data in vectors.items():
    with open(name, "wb") as f:
        f.write(data)
    print(f"{name}: {len(data)} bytes")
