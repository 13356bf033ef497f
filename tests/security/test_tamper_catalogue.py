"""Tamper and forgery catalogue: every variant of a real signed return is caught and diagnosed.

A real return (emoji, Arabic, Hebrew, an accented letter) is signed with ``submit_return`` and
then changed in every way the catalogue lists. No variant is ever VERIFIED, and each gets the
verdict its category calls for:

======================================  ============================================
category                                 expected verdict
======================================  ============================================
byte changed inside the signed body      BAD_SIGNATURE
byte deleted inside the signed body      BAD_SIGNATURE
newline before ``[signature]`` changed   INVALID (the header is no longer a line)
``[signature]`` header itself changed    NOT_SIGNED or INVALID (no header: unsigned)
signature table keys / quotes changed    INVALID (table not exactly as written)
armored signature changed                BAD_SIGNATURE if only the raw signature or
                                          the namespace bytes change (decided by an
                                          independent decoder), else INVALID
truncation inside the body               NOT_SIGNED if the prefix is a readable
                                          unsigned return, else INVALID
truncation inside the signature table    INVALID
tables appended after the signature      INVALID (nothing unsigned rides along)
tables inserted before the signature     BAD_SIGNATURE
signature moved from another return      BAD_SIGNATURE
relabelled partner, signature kept       BAD_SIGNATURE
relabelled + re-signed by other partner  WRONG_PARTNER
re-signed by an unknown key              UNKNOWN_KEY
signer label / key label disagree        INVALID
duplicated keys                          BAD_SIGNATURE (body), INVALID (re-signed
                                          body, or in the table)
signature in another namespace           BAD_SIGNATURE, message names the namespace
CRLF conversion (whole file or body)     CRLF
CRLF mixed with any other change         BAD_SIGNATURE
CR-only line ends                        INVALID
BOM prefix (with or without CRLF)        BAD_SIGNATURE
UTF-16 re-encoding                       INVALID
trailing data after the table            INVALID
======================================  ============================================

The number of variants is printed (``-s``).
"""

from __future__ import annotations

import base64
import binascii
import struct
import tomllib
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from secsupport import (
    BSWA_KEY,
    STRANGER_KEY,
    T0,
    TODAY,
    WMP_KEY,
    mini_plan,
    one_line,
    ready_return,
    tally,
    trust_list,
)

from dapreturn.core.collection.load import load_collection
from dapreturn.core.filling.submit import submit_return
from dapreturn.core.signing import sshsig
from dapreturn.core.signing.files import (
    NAMESPACE,
    Verdict,
    sign_body,
    signature_block,
    verify_bytes,
)
from dapreturn.core.signing.files import VerdictState as V
from dapreturn.core.signing.table import SIGNATURE_HEADER, split_signed

TRUST = trust_list(("BSWA", BSWA_KEY), ("WMP", WMP_KEY))
SOURCE = "daps_2018-19-Q3_BSWA_r1.toml"
TEXT = (
    "Trained 12 ambassadors 👩‍👧 in Sparkbrook café; leaflets in Urdu: خوش آمدید and Hebrew: שלום."
)
COUNTS = tally("tamper catalogue: variants, none VERIFIED, each with its expected verdict")
"""Variants checked per category (printed in the test summary)."""


def _verify(data: bytes) -> Verdict:
    verdict = verify_bytes(data, TRUST, source=SOURCE)
    assert one_line(verdict.message) and verdict.message.startswith(f"{SOURCE}: "), verdict
    return verdict


def _check(category: str, data: bytes, expected: set[V], context: object = "") -> Verdict:
    """Verify ``data``: never VERIFIED, and the verdict is one of ``expected``."""
    verdict = _verify(data)
    COUNTS[category] += 1
    assert verdict.state is not V.VERIFIED, (category, context)
    assert verdict.state in expected, (category, context, verdict.state, verdict.message)
    if verdict.state is V.BAD_SIGNATURE:
        assert "BAD SIGNATURE" in verdict.message
    if verdict.state is V.INVALID:
        assert "not a return / invalid: " in verdict.message
    return verdict


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A real signed return file, as ``submit_return`` writes it."""
    out = tmp_path_factory.mktemp("tamper-out")
    ret = ready_return(action_taken=TEXT, risks="None.")
    result = submit_return(ret, mini_plan(), BSWA_KEY, out, now=T0, today=TODAY)
    data = result.path.read_bytes()
    assert _verify(data).state is V.VERIFIED
    return data


@pytest.fixture(scope="module")
def other_signed(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """Another genuine BSWA return (different content, revision 2)."""
    out = tmp_path_factory.mktemp("tamper-other")
    plan = mini_plan()
    submit_return(ready_return(), plan, BSWA_KEY, out, now=T0, today=TODAY)
    ret = ready_return(action_taken="Different text entirely.")
    result = submit_return(ret, plan, BSWA_KEY, out, now=T0, today=TODAY)
    assert result.revision == 2
    return result.path.read_bytes()


def _parts(data: bytes) -> tuple[bytes, bytes]:
    body, table = split_signed(data)
    assert table is not None
    return body, table


# --- an independent reading of the armored signature -----------------------------------------


def _armor_span(data: bytes) -> tuple[int, int]:
    start = data.index(b"-----BEGIN SSH SIGNATURE-----")
    end = data.index(b"-----END SSH SIGNATURE-----") + len(b"-----END SSH SIGNATURE-----")
    return start, end


def _blob_fields(blob: bytes) -> dict[str, tuple[int, int]]:
    """Byte ranges of the SSHSIG blob's fields (PROTOCOL.sshsig), read independently."""
    ranges: dict[str, tuple[int, int]] = {}
    pos = 10  # "SSHSIG" + uint32 version
    for name in ("key", "namespace", "reserved", "hash", "sigblob"):
        (size,) = struct.unpack(">I", blob[pos : pos + 4])
        ranges[name] = (pos + 4, pos + 4 + size)
        pos += 4 + size
    end = ranges["sigblob"][1]
    ranges["raw_signature"] = (end - 64, end)
    assert pos == len(blob)
    return ranges


def _armor_expectation(original: bytes, mutated: bytes) -> set[V]:
    """What a change inside the armored block must give, decided without dapreturn's parser.

    Only a change confined to the raw 64-byte signature, or to the namespace bytes (still
    UTF-8), leaves a well-formed signature: that is a BAD_SIGNATURE. Everything else (base64
    broken or non-canonical, lines re-wrapped, key, lengths, hash name, magic) is INVALID.
    """
    a0, a1 = _armor_span(original)
    if len(mutated) != len(original) or mutated[:a0] != original[:a0]:
        return {V.INVALID}
    old_lines = original[a0:a1].split(b"\n")
    new_lines = mutated[a0:a1].split(b"\n")
    if len(new_lines) != len(old_lines) or [len(x) for x in new_lines] != [
        len(x) for x in old_lines
    ]:
        return {V.INVALID}
    if new_lines[0] != old_lines[0] or new_lines[-1] != old_lines[-1]:
        return {V.INVALID}
    encoded = b"".join(new_lines[1:-1])
    try:
        blob = binascii.a2b_base64(encoded, strict_mode=True)
    except binascii.Error:
        return {V.INVALID}
    if base64.b64encode(blob) != encoded:
        return {V.INVALID}
    old_blob = base64.b64decode(b"".join(old_lines[1:-1]))
    fields = _blob_fields(old_blob)
    changed = [i for i, (x, y) in enumerate(zip(old_blob, blob, strict=True)) if x != y]
    assert changed, "a mutation that decodes to the same blob"

    def within(name: str) -> bool:
        lo, hi = fields[name]
        return all(lo <= i < hi for i in changed)

    if within("raw_signature"):
        return {V.BAD_SIGNATURE}
    if within("namespace"):
        lo, hi = fields["namespace"]
        try:
            blob[lo:hi].decode("utf-8")
        except UnicodeDecodeError:
            return {V.INVALID}
        return {V.BAD_SIGNATURE}
    return {V.INVALID}


def _unsigned_expectation(data: bytes) -> set[V]:
    """A file without a ``[signature]`` line: NOT_SIGNED if readable as a return, else INVALID."""
    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {V.INVALID}
    ok = (
        str(doc.get("schema", "")).startswith("dapreturn/return/")
        and isinstance(doc.get("partner"), str)
        and "signature" not in doc
    )
    return {V.NOT_SIGNED} if ok else {V.INVALID}


# --- 1. single-byte changes and deletions, everywhere ----------------------------------------

FLIPS = (
    lambda b: b ^ 0x01,
    lambda b: b ^ 0x20,
    lambda b: b ^ 0x80,
    lambda b: 0x00,
    lambda b: 0x0A,
    lambda b: 0x0D,
    lambda b: 0x41,
)


def _region(data: bytes, index: int) -> str:
    body, _ = _parts(data)
    header_end = len(body) + len(SIGNATURE_HEADER)
    a0, a1 = _armor_span(data)
    if index < len(body) - 1:
        return "body"
    if index == len(body) - 1 or index == header_end:
        return "newline around [signature]"
    if index < header_end:
        return "[signature] header"
    if a0 <= index < a1:
        return "armored"
    return "table"


def _expected_for_change(data: bytes, mutated: bytes, region: str) -> set[V]:
    if region == "body":
        return {V.BAD_SIGNATURE}
    if region == "[signature] header":
        return _unsigned_expectation(mutated) if not _has_header(mutated) else {V.INVALID}
    if region == "armored":
        return _armor_expectation(data, mutated)
    return {V.INVALID}


def _has_header(data: bytes) -> bool:
    return any(line.rstrip(b"\r") == SIGNATURE_HEADER for line in data.split(b"\n"))


def test_every_single_byte_change_gets_its_diagnosis(signed: bytes) -> None:
    for index, original in enumerate(signed):
        region = _region(signed, index)
        for flip in FLIPS:
            value = flip(original)
            if value == original:
                continue
            mutated = bytearray(signed)
            mutated[index] = value
            expected = _expected_for_change(signed, bytes(mutated), region)
            _check(f"byte change: {region}", bytes(mutated), expected, (index, value))


def test_every_single_byte_deletion_gets_its_diagnosis(signed: bytes) -> None:
    for index in range(len(signed)):
        region = _region(signed, index)
        mutated = signed[:index] + signed[index + 1 :]
        if region == "body":
            expected = {V.BAD_SIGNATURE}
        elif region == "[signature] header":
            expected = _unsigned_expectation(mutated)
        else:
            expected = {V.INVALID}
        _check(f"byte deletion: {region}", mutated, expected, index)


def test_every_truncation_gets_its_diagnosis(signed: bytes) -> None:
    body, _ = _parts(signed)
    for size in range(len(signed)):
        prefix = signed[:size]
        if size <= len(body):
            expected = _unsigned_expectation(prefix)
            category = "truncation inside the body"
        else:
            expected = {V.INVALID}
            category = "truncation inside the signature table"
        _check(category, prefix, expected, size)
    # the body alone is an intact *unsigned* return: reported as not signed, never verified
    assert _verify(body).state is V.NOT_SIGNED


# --- 2. appended and inserted tables -----------------------------------------------------------

APPENDED = [
    b'[[entries]]\nref = "3d"\nrole = "contributor"\nstatus = "complete"\n',
    b'\n[[entries]]\nref = "3l"\naction_taken = "Overwritten."\n',
    b'[[kpis]]\nid = "K1"\nvalue = 4200\n',
    b'partner = "WMP"\n',
    b'approved_by = "Steering group"\n',
    b"[signature]\n",
    b'[signature]\nformat = "sshsig"\n',
    b"[signature.extra]\nnote = 1\n",
    b"[review]\ndecision = 'accepted'\n",
    b"# approved by the steering group\n",
]


@pytest.mark.parametrize("extra", APPENDED, ids=range(len(APPENDED)))
def test_tables_appended_after_the_signature_are_invalid(signed: bytes, extra: bytes) -> None:
    verdict = _check("appended after [signature]", signed + extra, {V.INVALID})
    if extra.startswith(b"[[entries]]"):
        line = signed.count(b"\n") + 1
        assert f"line {line}: [[entries]]" in verdict.message
    if extra.startswith(b"[signature]"):
        assert "more than one [signature] line" in verdict.message


def test_the_whole_signature_table_appended_twice_is_invalid(
    signed: bytes, other_signed: bytes
) -> None:
    _, table = _parts(signed)
    _, other_table = _parts(other_signed)
    for extra in (table, other_table, b"\n" + table):
        verdict = _check("appended after [signature]", signed + extra, {V.INVALID})
        assert "more than one [signature] line" in verdict.message


@pytest.mark.parametrize("extra", APPENDED[:5], ids=range(5))
def test_tables_inserted_before_the_signature_break_it(signed: bytes, extra: bytes) -> None:
    body, table = _parts(signed)
    _check("inserted before [signature]", body + extra + table, {V.BAD_SIGNATURE})
    _check("inserted at the top", extra + body + table, {V.BAD_SIGNATURE})


# --- 3. signatures moved, returns relabelled, keys swapped -------------------------------------


def test_signature_moved_from_another_return(signed: bytes, other_signed: bytes) -> None:
    body, table = _parts(signed)
    other_body, other_table = _parts(other_signed)
    verdict = _check("signature moved", body + other_table, {V.BAD_SIGNATURE})
    assert verdict.message.endswith("BAD SIGNATURE — the file was changed after signing")
    _check("signature moved", other_body + table, {V.BAD_SIGNATURE})
    # a WMP return's signature (valid, by a trusted key) moved onto the BSWA body
    wmp_body = body.replace(b'partner = "BSWA"', b'partner = "WMP"')
    wmp_signed = sign_body(wmp_body, WMP_KEY, "WMP")
    assert _verify(wmp_signed).state is V.VERIFIED
    _check("signature moved", body + _parts(wmp_signed)[1], {V.BAD_SIGNATURE})
    _check("signature moved", wmp_body + table, {V.BAD_SIGNATURE})


def test_relabelled_with_another_partner(signed: bytes) -> None:
    body, table = _parts(signed)
    as_wmp = body.replace(b'partner = "BSWA"', b'partner = "WMP"')
    wmp_table = table.replace(b'signer = "BSWA"', b'signer = "WMP"')
    # signature kept: the body changed
    _check("relabelled, signature kept", as_wmp + table, {V.BAD_SIGNATURE})
    _check("relabelled, signature kept", as_wmp + wmp_table, {V.BAD_SIGNATURE})
    # only the (unsigned) signer label changed: it must agree with the signed partner
    verdict = _check("signer label disagrees", body + wmp_table, {V.INVALID})
    assert "signer WMP is not partner BSWA" in verdict.message
    # WMP's own, trusted key signs a return that claims to be BSWA's
    forged = sign_body(body, WMP_KEY, "BSWA")
    verdict = _check("re-signed by another partner", forged, {V.WRONG_PARTNER})
    assert "key belongs to another partner (WMP), file claims BSWA" in verdict.message
    # ... with the signer label saying WMP (label and body disagree)
    _check("signer label disagrees", sign_body(body, WMP_KEY, "WMP"), {V.INVALID})
    # ... with BSWA's fingerprint written in the key label
    wmp_fpr = sshsig.fingerprint(WMP_KEY.public_key()).encode()
    bswa_fpr = sshsig.fingerprint(BSWA_KEY.public_key()).encode()
    lying_label = forged.replace(wmp_fpr, bswa_fpr)
    verdict = _check("key label disagrees", lying_label, {V.INVALID})
    assert "is not the signing key" in verdict.message
    # a key nobody vouches for
    verdict = _check(
        "re-signed by unknown key", sign_body(body, STRANGER_KEY, "BSWA"), {V.UNKNOWN_KEY}
    )
    assert "unknown key" in verdict.message and "(claims BSWA)" in verdict.message
    stranger_as_wmp = sign_body(as_wmp, STRANGER_KEY, "WMP")
    _check("re-signed by unknown key", stranger_as_wmp, {V.UNKNOWN_KEY})


# --- 4. duplicated keys, namespaces -------------------------------------------------------------


def test_duplicated_keys(signed: bytes) -> None:
    body, table = _parts(signed)
    dup_lines = [
        (b'partner = "BSWA"\n', b'partner = "BSWA"\npartner = "WMP"\n'),
        (b"revision = 1\n", b"revision = 1\nrevision = 2\n"),
        (b'status = "on_track"\n', b'status = "on_track"\nstatus = "complete"\n'),
        (b'id = "K1"\nvalue = 42\n', b'id = "K1"\nvalue = 42\nvalue = 4200\n'),
    ]
    for old, new in dup_lines:
        assert old in body
        changed = body.replace(old, new, 1)
        _check("duplicated key in body", changed + table, {V.BAD_SIGNATURE})
        # even genuinely signed, a body with a duplicated key is not a return
        verdict = _check(
            "duplicated key, re-signed", sign_body(changed, BSWA_KEY, "BSWA"), {V.INVALID}
        )
        assert "Cannot overwrite a value" in verdict.message or "line" in verdict.message
    first = body.index(b"[[entries]]")
    entries = body[first : body.index(b"\n[[entries]]", first) + 1]
    assert entries.startswith(b"[[entries]]\n") and b'ref = "3l"' in entries
    _check("duplicated table in body", body + entries + table, {V.BAD_SIGNATURE})
    for old, new in [
        (b'signer = "BSWA"\n', b'signer = "BSWA"\nsigner = "BSWA"\n'),
        (b'format = "sshsig"\n', b'format = "sshsig"\nformat = "sshsig"\n'),
        (b'namespace = "return@dapreturn"\n', b'namespace = "return@dapreturn"\nnamespace = "x"\n'),
    ]:
        _check("duplicated key in table", body + table.replace(old, new), {V.INVALID})


@pytest.mark.parametrize(
    "namespace",
    [
        "file",
        "git",
        "return@dapreturn ",
        "RETURN@DAPRETURN",
        "return@dapreturn.evil",
        "r\u00e9turn",
    ],
)
def test_signature_over_another_namespace(signed: bytes, namespace: str) -> None:
    body, _ = _parts(signed)
    armored = sshsig.sign(body, BSWA_KEY, namespace)
    data = body + signature_block("BSWA", BSWA_KEY.public_key(), armored)
    verdict = _check("other namespace", data, {V.BAD_SIGNATURE})
    assert f"namespace '{namespace}'" in verdict.message
    # and a table that admits the other namespace is refused outright
    admitted = data.replace(
        f'namespace = "{NAMESPACE}"'.encode(), f'namespace = "{namespace}"'.encode()
    )
    _check("other namespace, table says so", admitted, {V.INVALID})


# --- 5. line endings, BOM, encodings, trailing data --------------------------------------------


def test_crlf_conversions(signed: bytes) -> None:
    body, table = _parts(signed)
    crlf = signed.replace(b"\n", b"\r\n")
    verdict = _check("CRLF conversion", crlf, {V.CRLF})
    assert "line endings changed in transit (CRLF)" in verdict.message
    _check("CRLF conversion", body.replace(b"\n", b"\r\n") + table, {V.CRLF})
    lines = body.split(b"\n")
    for n in range(len(lines) - 1):  # one line at a time converted
        one = b"\n".join(lines[:n]) + (b"\n" if n else b"") + lines[n] + b"\r\n"
        one += b"\n".join(lines[n + 1 :])
        _check("CRLF conversion", one + table, {V.CRLF}, n)
    # CRLF plus any other change is not excused as a line-ending problem
    _check("CRLF + change", crlf.replace(b"value = 42", b"value = 43"), {V.BAD_SIGNATURE})
    _check("CRLF + change", crlf.replace(b"\r\n", b"\r\r\n"), {V.BAD_SIGNATURE, V.INVALID})
    _check("CRLF + change", body.replace(b"\n", b"\r\r\n") + table, {V.BAD_SIGNATURE})
    _check("CR-only line ends", signed.replace(b"\n", b"\r"), {V.INVALID})


def test_crlf_in_the_unsigned_table_alone_changes_nothing_signed(signed: bytes) -> None:
    """Deliberately tolerated: the table holds no data and the signed bytes are untouched."""
    body, table = _parts(signed)
    verdict = _verify(body + table.replace(b"\n", b"\r\n"))
    assert verdict.state is V.VERIFIED
    assert verdict.body == body


def test_bom_and_reencoding(signed: bytes) -> None:
    bom = b"\xef\xbb\xbf"
    _check("BOM prefix", bom + signed, {V.BAD_SIGNATURE})
    _check("BOM prefix", bom + signed.replace(b"\n", b"\r\n"), {V.BAD_SIGNATURE})
    text = signed.decode("utf-8")
    for encoding in ("utf-16", "utf-16-le", "utf-32"):
        _check("re-encoded", text.encode(encoding), {V.INVALID})
    nfd = unicodedata.normalize("NFD", text).encode("utf-8")
    assert nfd != signed
    _check("Unicode re-normalised (NFD)", nfd, {V.BAD_SIGNATURE})


TRAILING = [
    b"\n",
    b"\n\n",
    b" ",
    b"\t\n",
    b"\x00",
    b"\x1a",
    b"\xff\xfe",
    b"# comment\n",
    b"x",
    b"\r\n",
    b'"""\n',
    b"-----END SSH SIGNATURE-----\n",
]


@pytest.mark.parametrize("extra", TRAILING, ids=range(len(TRAILING)))
def test_trailing_data(signed: bytes, extra: bytes) -> None:
    _check("trailing data", signed + extra, {V.INVALID})


def test_trailing_copy_of_the_whole_file(signed: bytes, other_signed: bytes) -> None:
    _check("trailing data", signed + signed, {V.INVALID})
    _check("trailing data", signed + other_signed, {V.INVALID})


# --- 6. edits an editor or a mail client might make ---------------------------------------------


def _edits(signed: bytes) -> Iterator[tuple[str, bytes, set[V]]]:
    body, table = _parts(signed)
    a0, a1 = _armor_span(table)
    armor = table[a0:a1]
    b64 = b"".join(armor.split(b"\n")[1:-1])
    for width in (64, 76, 60):
        lines = [b64[i : i + width] for i in range(0, len(b64), width)]
        rewrapped = b"\n".join([armor.split(b"\n")[0], *lines, armor.split(b"\n")[-1]])
        yield "armor re-wrapped", body + table.replace(armor, rewrapped), {V.INVALID}
    yield "armor indented", body + table.replace(b"\nU1NI", b"\n  U1NI"), {V.INVALID}
    keys = table.split(b"\n")
    yield (
        "table keys reordered",
        body + b"\n".join([keys[0], keys[2], keys[1], *keys[3:]]),
        {V.INVALID},
    )
    yield (
        "table spacing",
        body + table.replace(b'format = "sshsig"', b'format="sshsig"'),
        {V.INVALID},
    )
    yield "table literal strings", body + table.replace(b'"sshsig"', b"'sshsig'"), {V.INVALID}
    yield (
        "table comment",
        body + table.replace(b"[signature]\n", b"[signature] # ok\n"),
        {V.INVALID},
    )
    yield "value re-typed", body.replace(b"value = 42", b"value = 42.0") + table, {V.BAD_SIGNATURE}
    yield (
        "revision bumped",
        body.replace(b"revision = 1", b"revision = 2") + table,
        {V.BAD_SIGNATURE},
    )
    yield "time changed", body.replace(b"09:30:00Z", b"09:30:01Z") + table, {V.BAD_SIGNATURE}
    yield "status changed", body.replace(b'"on_track"', b'"complete"') + table, {V.BAD_SIGNATURE}
    yield "trailing spaces", body.replace(b"\n", b" \n") + table, {V.BAD_SIGNATURE}
    yield "tabs", body.replace(b"    ", b"\t") + table, {V.BAD_SIGNATURE}
    first, second = body.split(b"\n[[entries]]\n")[1:3]
    swapped = body.replace(first, b"@@").replace(second.split(b"\n[[kpis]]")[0], first)
    yield (
        "entries swapped",
        swapped.replace(b"@@", second.split(b"\n[[kpis]]")[0]) + table,
        {V.BAD_SIGNATURE},
    )
    yield "blank line added", body + b"\n" + table, {V.BAD_SIGNATURE}
    yield "final newline lost", signed.rstrip(b"\n"), {V.INVALID}
    yield "forwarded header", b"> " + signed.replace(b"\n", b"\n> "), {V.INVALID}


def test_editor_and_mail_client_edits(signed: bytes) -> None:
    for category, data, expected in _edits(signed):
        assert data != signed, category
        _check(f"edit: {category}", data, expected)


# --- officer side and totals ----------------------------------------------------------------------


def test_the_officer_loader_counts_none_of_a_sample(
    signed: bytes, other_signed: bytes, tmp_path: Path
) -> None:
    """One variant of each kind in a folder: only the two genuine files count."""
    body, _ = _parts(signed)
    folder = tmp_path / "collected"
    folder.mkdir()
    (folder / "mini_2018-19-Q3_BSWA_r1.toml").write_bytes(signed)
    (folder / "mini_2018-19-Q3_BSWA_r2.toml").write_bytes(other_signed)
    samples = {
        "flip": signed.replace(b"value = 42", b"value = 43"),
        "crlf": signed.replace(b"\n", b"\r\n"),
        "moved": body + _parts(other_signed)[1],
        "wrong-partner": sign_body(body.replace(b"revision = 1", b"revision = 9"), WMP_KEY, "BSWA"),
        "appended": signed + b'[[entries]]\nref = "3d"\n',
        "bom": b"\xef\xbb\xbf" + signed,
        "unknown": sign_body(body.replace(b"revision = 1", b"revision = 8"), STRANGER_KEY, "BSWA"),
    }
    for n, (name, data) in enumerate(samples.items(), start=3):
        (folder / f"mini_2018-19-Q3_BSWA_r{n}-{name}.toml").write_bytes(data)
    collection = load_collection(folder, TRUST, plans={"mini": mini_plan()}, today=TODAY)
    verified = sorted(r.rel for r in collection.files if r.verified)
    assert verified == ["mini_2018-19-Q3_BSWA_r1.toml", "mini_2018-19-Q3_BSWA_r2.toml"]
    counted = collection.current("mini", "2018/19 Q3")
    assert set(counted) == {"BSWA"} and counted["BSWA"].revision == 2
    assert len(collection.bad_files) == len(samples)
    COUNTS["officer loader sample"] += len(samples)
