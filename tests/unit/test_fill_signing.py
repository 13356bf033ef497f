"""Signing as typed steps (core.filling.signing) and the policy both front ends share."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from builders import entry, sample_plan
from dapreturn.cli import common
from dapreturn.core import paths
from dapreturn.core.config import UserConfig
from dapreturn.core.filling.session import FillSession, SaveTarget
from dapreturn.core.filling.signing import (
    EnvPassphraseError,
    KeyReady,
    MakeKey,
    SignFlow,
    UnlockKey,
    trust_line_file,
)
from dapreturn.core.filling.submit import PersonalDataError
from dapreturn.core.periods import Period
from dapreturn.core.policy import ENV_PASSPHRASE, TRUST_FILE_NAME, returns_folder
from dapreturn.core.returns.model import Return
from dapreturn.core.signing import keys

PLAN = sample_plan()
TODAY = date(2019, 1, 15)


@pytest.fixture
def ready(fill_target: SaveTarget) -> FillSession:
    """A BSWA return for 2018/19 Q3 that breaks no rule, with a draft saved."""
    ret = Return(
        plan=PLAN.id,
        period=str(Period(2018, 3)),
        partner="BSWA",
        prepared_by="Jo, Manager",
        entries=[entry("3h"), entry("3l")],
    )
    session = FillSession(PLAN, ret, target=fill_target, today=TODAY)
    session.save()
    return session


def test_first_signing_makes_the_key_and_one_trust_line(ready: FillSession) -> None:
    flow = SignFlow(ready, environ={})
    step = flow.key_step()
    assert step == MakeKey("BSWA", keys.key_path("BSWA"))
    made = flow.make_key(b"long secret words")
    # the line the steering group needs, in a file beside the key (not the bare .pub key)
    assert made.line == keys.allowed_signers_line("BSWA", made.info.public_key)
    assert made.saved_in == trust_line_file(made.info)
    assert made.saved_in.read_text(encoding="utf-8") == made.line + "\n"
    assert made.saved_in != made.info.public_path
    assert flow.key_step() == KeyReady(made)  # unlocked by the passphrase just chosen
    signed = flow.submit()
    assert signed.revision == 1 and signed.path.is_file()
    assert signed.draft_kept_in is not None  # the draft was set aside
    assert ready.target.store.latest(ready.key) is None


def test_a_key_with_a_passphrase_is_unlocked(ready: FillSession) -> None:
    info = keys.new_key("BSWA", passphrase=b"secret words")
    flow = SignFlow(ready, environ={})
    assert flow.key_step() == UnlockKey(info)
    with pytest.raises(keys.WrongPassphrase):
        flow.unlock(b"wrong")
    flow.unlock(b"secret words")
    assert isinstance(flow.key_step(), KeyReady)
    assert flow.submit().path.name == "test-daps_2018-19-Q3_BSWA_r1.toml"


def test_the_passphrase_from_the_environment_is_used_in_every_front_end(
    ready: FillSession,
) -> None:
    made = SignFlow(ready, environ={ENV_PASSPHRASE: "from env"}).key_step()
    assert isinstance(made, KeyReady) and made.made is not None
    assert keys.key_needs_passphrase(made.made.info.private_path)
    again = SignFlow(ready, environ={ENV_PASSPHRASE: "from env"})
    assert again.key_step() == KeyReady()
    with pytest.raises(EnvPassphraseError, match=ENV_PASSPHRASE):
        SignFlow(ready, environ={ENV_PASSPHRASE: "not it"}).key_step()


def test_findings_must_be_confirmed_before_submit(ready: FillSession) -> None:
    ready.set_field("3l", "risks", "Mrs Smith lives at B12 9QR.")
    flow = SignFlow(ready, environ={})
    flow.make_key(None)
    findings = flow.unconfirmed()
    assert {f.field for f in findings} == {"3l.risks"}
    with pytest.raises(PersonalDataError):
        flow.submit()
    flow.confirm(findings)
    assert flow.unconfirmed() == []
    assert flow.submit().revision == 1


def test_returns_folder_and_names_are_decided_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert returns_folder(tmp_path, UserConfig(out_dir="elsewhere")) == tmp_path
    assert returns_folder(None, UserConfig(out_dir="elsewhere")) == Path("elsewhere")
    monkeypatch.setattr(paths, "default_returns_dir", lambda: tmp_path / "stick" / "returns")
    assert returns_folder(None, UserConfig()) == tmp_path / "stick" / "returns"
    assert (common.ENV_PASSPHRASE, common.TRUST_FILE_NAME) == (ENV_PASSPHRASE, TRUST_FILE_NAME)
