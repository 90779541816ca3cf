"""Reading delivered files safely: size limit, hashing, encodings and delimiters."""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
from pathlib import Path

from pipeline.kernel.errors import InputError

SNIFF_BYTES = 64 * 1024


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def head_bytes(path: Path, size: int = SNIFF_BYTES) -> bytes:
    with path.open("rb") as fh:
        return fh.read(size)


def detect_encoding(path: Path, head: bytes) -> str:
    """The text encoding of a delivery: BOMs first, then UTF-16 without BOM, UTF-8, Windows-1252."""
    name = path.name
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith(codecs.BOM_UTF16_LE) or head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16"
    if b"\x00" in head:
        even_zeros = head[1::2].count(0)
        odd_zeros = head[0::2].count(0)
        if even_zeros > len(head) // 4 and odd_zeros == 0:
            return "utf-16-le"
        if odd_zeros > len(head) // 4 and even_zeros == 0:
            return "utf-16-be"
        raise InputError(
            "dit is geen tekstbestand (binaire inhoud); lever CSV als tekst of een .xlsx-werkmap aan",
            file=name,
        )
    try:
        # a cut multi-byte character at the end of the sample is fine
        head.decode("utf-8") if len(head) < SNIFF_BYTES else head[:-4].decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    control = sum(1 for b in head if b < 9 or 13 < b < 32)
    if control > len(head) // 100 + 2:
        raise InputError(
            "dit is geen tekstbestand (onleesbare tekens); lever CSV als tekst of een .xlsx-werkmap aan",
            file=name,
        )
    return "cp1252"


def read_text(path: Path, encoding: str) -> str:
    try:
        with path.open("r", encoding=encoding, errors="strict", newline="") as fh:
            return fh.read()
    except UnicodeDecodeError as exc:
        if encoding == "utf-8":
            return read_text(path, "cp1252")
        raise InputError(
            f"het bestand is niet te lezen als {encoding}: ongeldig teken op positie {exc.start}",
            file=path.name,
        ) from None
    except UnicodeError as exc:
        raise InputError(f"het bestand is niet te lezen als tekst ({exc})", file=path.name) from None


def first_lines(text: str, count: int = 40) -> list[str]:
    return io.StringIO(text[: SNIFF_BYTES * 4]).read().splitlines()[:count]


def sniff_delimiter(lines: list[str]) -> str:
    """`;`, `,` or tab: the one that splits the header-like lines most consistently."""
    sample = [line for line in lines if line.strip() and not line.lstrip().startswith("#")][:20]
    best, best_score = ",", -1.0
    for delim in (";", ",", "\t"):
        try:
            counts = [len(next(csv.reader([line], delimiter=delim))) for line in sample]
        except csv.Error:  # one field longer than the limit: not this delimiter
            continue
        if not counts:
            continue
        wide = [c for c in counts if c > 1]
        if not wide:
            continue
        most = max(set(wide), key=wide.count)
        score = wide.count(most) + most / 100
        if score > best_score:
            best, best_score = delim, score
    return best


def parser_message(message: str, skip: int) -> str:
    match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", message)
    if match:
        expected, line, saw = match.groups()
        return (
            f"rij {int(line) + skip}: {saw} velden in plaats van {expected}; "
            "controleer het scheidingsteken en aanhalingstekens [regel: schema]"
        )
    return f"het bestand is niet als tabel te lezen: {message}"
