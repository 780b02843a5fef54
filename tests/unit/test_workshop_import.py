"""Many devices' dilemma exports merged on the moderator's machine: each dilemma once, with its
source and day, whatever is imported again; a damaged or foreign file is one line and changes
nothing; the workshop file is private and read back exactly."""

from __future__ import annotations

import json
import os
import stat
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.config import load_config
from assistant.errors import UserError
from assistant.workshop import workfile
from assistant.workshop.exchange import read_export
from assistant.workshop.merge import merge
from assistant.workshops import import_exports

DEVICES = Path(__file__).parent.parent / "fixtures" / "workshop"
EXPORTS = [DEVICES / "office.json", DEVICES / "laptop.json", DEVICES / "van.json"]


@pytest.fixture
def config(tmp_path):
    return load_config(data_dir=tmp_path / "data")


def test_three_devices_merge_into_one_file_each_dilemma_with_its_source_and_day(config):
    line = import_exports(config, EXPORTS)
    assert line.startswith("8 new, 0 already there, 0 updated from 3 files; 8 dilemmas of 6 participants")
    found = workfile.load(workfile.default_file(config.data_dir))
    assert [d.id for d in found] == list(range(1, 9))
    assert [(d.date, d.source) for d in found[:3]] == [
        ("2026-11-02", "office.json"), ("2026-11-02", "van.json"), ("2026-11-03", "office.json")]
    assert {d.family for d in found} == {"maintenance", "customer contact"}


def test_a_re_import_adds_nothing_twice_and_keeps_the_moderators_work(config):
    import_exports(config, EXPORTS)
    path = workfile.default_file(config.data_dir)
    found = workfile.load(path)
    worked = workfile.replaced(found, replace(workfile.with_id(found, 2, path), scenarios=("a", "b", "c"),
                                              session=1))
    workfile.save(path, worked)
    assert import_exports(config, [*EXPORTS, EXPORTS[0]]).startswith("0 new, 8 already there, 0 updated")
    again = workfile.load(path)
    assert len(again) == 8 and again[1].scenarios == ("a", "b", "c") and again[1].session == 1


def test_a_teller_s_correction_updates_the_text_and_keeps_its_number(config, tmp_path):
    import_exports(config, EXPORTS)
    body = json.loads(EXPORTS[2].read_text(encoding="utf-8"))
    body["dilemmas"][0]["situation"] = "Two urgent repairs at once, corrected."
    newer = tmp_path / "van-again.json"
    newer.write_text(json.dumps(body), encoding="utf-8")
    assert import_exports(config, [newer]).startswith("0 new, 1 already there, 1 updated")
    van = workfile.load(workfile.default_file(config.data_dir))[1]
    assert (van.id, van.situation, van.source) == (2, "Two urgent repairs at once, corrected.", "van.json")


def test_personal_devices_are_one_participant_a_shared_device_one_per_teller():
    assert len({e.participant for e in read_export(EXPORTS[0])}) == 4  # office.json: shared
    assert {e.participant for e in read_export(EXPORTS[1])} == {"1a2b3c4d"}


@pytest.mark.parametrize(("text", "said"), [
    ('{"kind": "assistant-dil', "damaged: not valid JSON (line 1, column 10)"),
    ('[{"id": 20264700001, "transcript": "calm"}]', "this is a journal export (`assistant export`)"),
    ('{"hello": 1}', "not a dilemmas export"),
    ('{"kind": "assistant-dilemmas", "version": 1, "device": "ab", "shared_device": false, "dilemmas": '
     '[{"id": "x", "date": "2026-11-02", "family": "f", "participant": "ab", "situation": "s", "goals": "g", '
     '"options": "o", "last_time": "l", "confidence": 0.9}]}', "dilemma 1: unknown field 'confidence'"),
    ('{"kind": "assistant-dilemmas", "version": 1, "device": "ab", "shared_device": false, "dilemmas": '
     '[{"id": "x", "date": "soon", "family": "f", "participant": "ab", "situation": "s", "goals": "g", '
     '"options": "o", "last_time": "l"}]}', "dilemma 1: date: 'soon' is not a day"),
])
def test_a_bad_import_file_is_one_line_and_nothing_is_merged(config, tmp_path, text, said):
    bad = tmp_path / "bad.json"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(UserError) as raised:
        import_exports(config, [EXPORTS[0], bad])
    assert said in str(raised.value) and "\n" not in str(raised.value)
    assert str(raised.value).startswith(str(bad))
    assert not workfile.default_file(config.data_dir).exists()


@pytest.mark.parametrize("field", ["situation", "participant", "family", "id"])
def test_a_lone_surrogate_in_an_export_is_one_line_and_nothing_is_merged(config, tmp_path, field):
    body = json.loads(EXPORTS[1].read_text(encoding="utf-8"))
    body["dilemmas"][1][field] = "half a character: \ud800"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(body), encoding="utf-8")  # "\\ud800": valid JSON, not valid text
    with pytest.raises(UserError) as raised:
        import_exports(config, [EXPORTS[0], bad])
    said = str(raised.value)
    assert said.startswith(f"{bad}: dilemma 2: {field}: not valid text") and "\n" not in said
    assert not workfile.default_file(config.data_dir).exists()


def test_an_export_file_name_that_is_not_utf8_is_one_line(config, tmp_path):
    named = os.fsdecode(os.fsencode(tmp_path) + b"/caf\xe9.json")  # a Latin-1 name: "caf\udce9.json"
    Path(named).write_bytes(EXPORTS[1].read_bytes())
    with pytest.raises(UserError) as raised:
        import_exports(config, [Path(named)])
    assert "file name is not valid UTF-8" in str(raised.value) and "\n" not in str(raised.value)
    assert not workfile.default_file(config.data_dir).exists()


def test_a_text_that_cannot_be_written_is_one_line_and_the_file_stays(config):
    import_exports(config, EXPORTS)
    path = workfile.default_file(config.data_dir)
    before = path.read_bytes()
    found = workfile.load(path)
    with pytest.raises(UserError) as raised:
        workfile.save(path, [replace(found[0], situation="\udcff"), *found[1:]])
    assert "not valid text" in str(raised.value) and "\n" not in str(raised.value)
    assert path.read_bytes() == before


ESCAPES = "\x1b]0;owned\x07\x1b[2J\u202e"  # a terminal title, a cleared screen, reversed text


def shows_no_escape(said: str) -> None:
    assert not any(c in said for c in "\x1b\x07\u202e\n"), repr(said)


@pytest.mark.parametrize("where", ["top", "dilemma"])
def test_an_unknown_field_is_named_with_its_escapes_shown_never_obeyed(config, tmp_path, where):
    body = json.loads(EXPORTS[1].read_text(encoding="utf-8"))
    (body if where == "top" else body["dilemmas"][0])[ESCAPES] = 1
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(body), encoding="utf-8")
    with pytest.raises(UserError) as raised:
        import_exports(config, [bad])
    shows_no_escape(str(raised.value))
    assert "unknown field '\\x1b]0;owned" in str(raised.value)


def test_an_unknown_key_or_field_in_the_workshop_file_is_shown_escaped(config):
    import_exports(config, EXPORTS)
    path = workfile.default_file(config.data_dir)
    text = path.read_text(encoding="utf-8")
    for edited in (text + '\n"\\u001b[2J" = 1\n', text.replace("[[dilemma]]\nid = 1\n",
                                                               '[[dilemma]]\nid = 1\n"\\u001b[2J" = 1\n')):
        path.write_text(edited, encoding="utf-8")
        with pytest.raises(UserError) as raised:
            workfile.load(path)
        shows_no_escape(str(raised.value))
        assert "'\\x1b[2J'" in str(raised.value)


def test_the_workshop_file_is_private_and_reads_back_exactly_what_was_written(config):
    import_exports(config, EXPORTS)
    path = workfile.default_file(config.data_dir)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    found = workfile.load(path)
    tricky = replace(found[0], situation='A "quoted" \\ line\twith\x7f and \x01, <b>ü</b>')
    workfile.save(path, [tricky, *found[1:]])
    assert workfile.load(path)[0] == tricky
    assert workfile.load(path) == [tricky, *found[1:]]


def test_on_a_fresh_machine_every_folder_import_makes_is_0700(tmp_path):
    config = load_config(data_dir=tmp_path / "share" / "assistant")
    old = os.umask(0o022)
    try:
        import_exports(config, EXPORTS)
    finally:
        os.umask(old)
    for folder in (tmp_path / "share", config.data_dir, config.data_dir / "workshop"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


def test_with_file_the_users_own_folder_is_left_as_it_is_and_the_file_is_private(config, tmp_path):
    own = tmp_path / "moderator"
    own.mkdir()
    (own / "notes.txt").write_text("the moderator's own", encoding="utf-8")
    os.chmod(own, 0o755)
    import_exports(config, EXPORTS, own / "kleine-keuzes.toml")
    assert stat.S_IMODE(own.stat().st_mode) == 0o755
    assert stat.S_IMODE((own / "kleine-keuzes.toml").stat().st_mode) == 0o600
    import_exports(config, EXPORTS, tmp_path / "new" / "w.toml")
    assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o700


def test_with_file_a_folder_that_cannot_be_made_names_file(config, tmp_path):
    (tmp_path / "blocker").write_text("x", encoding="utf-8")
    with pytest.raises(UserError) as raised:
        import_exports(config, EXPORTS, tmp_path / "blocker" / "w.toml")
    said = str(raised.value)
    assert "--file" in said and "--data-dir" not in said and "\n" not in said


@pytest.mark.parametrize(("change", "said"), [
    ('scenario_2 = 5', "dilemma 1: scenario_2: expected a text in quotes, got 5"),
    ('consensus = "maybe"', 'dilemma 1: consensus: expected "yes", "no" or "", got \'maybe\''),
    ('scenario_4 = "x"', "dilemma 1: unknown field 'scenario_4'"),
    ('agreed = 2', "dilemma 1: agreed: expected 0 (without consensus yes), got 2"),
    ('session = -1', "dilemma 1: session: expected a whole number"),
])
def test_a_mistake_in_the_edited_file_names_the_dilemma_and_the_field(config, change, said):
    import_exports(config, EXPORTS)
    path = workfile.default_file(config.data_dir)
    text = path.read_text(encoding="utf-8")
    key = change.split(" = ")[0]
    lines = text.split("\n")
    first = lines.index("[[dilemma]]")
    existing = next((i for i in range(first, len(lines)) if lines[i].startswith(key + " = ")), None)
    if existing is None:
        lines.insert(first + 2, change)
    else:
        lines[existing] = change
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(UserError) as raised:
        workfile.load(path)
    assert str(raised.value) == f"{path}: {said}" or str(raised.value).startswith(f"{path}: {said}")
    assert "\n" not in str(raised.value)


def test_merge_numbers_new_dilemmas_after_the_ones_there():
    incoming = read_export(EXPORTS[1])
    first = merge([], incoming[:1])
    second = merge(first.dilemmas, incoming)
    assert [(d.id, d.key) for d in second.dilemmas] == [(1, incoming[0].key), (2, incoming[1].key)]
    assert (second.added, second.known) == (1, 1)


def test_new_dilemmas_of_one_day_are_numbered_in_the_order_of_the_files_not_of_their_ids(tmp_path):
    body = json.loads(EXPORTS[1].read_text(encoding="utf-8"))
    for n, (item, named) in enumerate(zip(body["dilemmas"], ("ffffffffffffffff", "0000000000000000"),
                                          strict=True)):
        item.update(id=named, date="2026-11-04", situation=f"told {n}")
    both = tmp_path / "both.json"
    both.write_text(json.dumps(body), encoding="utf-8")
    assert [d.situation for d in merge([], read_export(both)).dilemmas] == ["told 0", "told 1"]
