"""Piper voices on disk: download from a local server (resumable, checked), add, use, remove."""

from __future__ import annotations

import hashlib
import http.server
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.speak.active_voice import active_voice, speech_engine
from assistant.speak.engines import Synthesizer, Voice
from assistant.speak.voice_files import (
    ACTIVE_FILE,
    ESPEAK,
    VoiceCatalog,
    VoiceError,
    VoiceManager,
    VoiceSpec,
    load_catalog,
)

NAME = "nl_NL-proef-medium"
MODEL = bytes(range(256)) * 400  # 100 kB standing in for an .onnx file
CONFIG = json.dumps({"audio": {"sample_rate": 22050}, "espeak": {"voice": "nl"},
                     "phoneme_type": "espeak", "phoneme_id_map": {"a": [1]},
                     "num_symbols": 2, "num_speakers": 1}).encode()
ADEMPAUZE = str(Path(sys.executable).parent / "adempauze")


class Server:
    """Serves the model and its config, honouring Range, recording the requests."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = files
        self.ranges: list[str | None] = []
        self.cut_after: int | None = None
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                body = server.files.get(self.path)
                if body is None:
                    self.send_error(404)
                    return
                server.ranges.append(self.headers.get("Range"))
                start = 0
                if self.headers.get("Range"):
                    start = int(self.headers["Range"].split("=")[1].rstrip("-"))
                    self.send_response(206)
                else:
                    self.send_response(200)
                payload = body[start:]
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if server.cut_after is not None and self.path.endswith(".onnx"):
                    payload = payload[: server.cut_after]
                self.wfile.write(payload)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def catalog(self, md5: str | None = None) -> VoiceCatalog:
        spec = VoiceSpec(name=NAME, region="Nederland", url=f"{self.base}/{NAME}.onnx",
                         size_bytes=len(MODEL), md5=md5 or hashlib.md5(MODEL).hexdigest())
        return VoiceCatalog(voices=[spec], calibration_text="Een zin om de snelheid te meten.")


@pytest.fixture
def server() -> Iterator[Server]:
    s = Server({f"/{NAME}.onnx": MODEL, f"/{NAME}.onnx.json": CONFIG})
    yield s
    s.httpd.shutdown()
    s.httpd.server_close()


def voice_files(folder: Path, name: str = NAME, config: bytes = CONFIG) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.onnx").write_bytes(MODEL)
    (folder / f"{name}.onnx.json").write_bytes(config)
    return folder / f"{name}.onnx"


def test_download_installs_a_checked_voice(tmp_path: Path, server: Server) -> None:
    manager = VoiceManager(tmp_path / "voices", catalog=server.catalog())
    voice = manager.download("proef")  # the speaker's name is enough
    assert voice.name == NAME and voice.complete
    assert voice.model_path.read_bytes() == MODEL and voice.config_path.read_bytes() == CONFIG
    assert [v.name for v in manager.list()] == [NAME]
    assert not (tmp_path / "voices" / ".downloads").exists()
    assert not [p for p in (tmp_path / "voices").iterdir() if p.name.startswith(".adding")]


def test_interrupted_download_resumes(tmp_path: Path, server: Server) -> None:
    manager = VoiceManager(tmp_path / "voices", catalog=server.catalog())
    server.cut_after = 30_000
    with pytest.raises(VoiceError) as info:
        manager.download(NAME)
    assert info.value.key == "voice_download_interrupted"
    assert manager.list() == []  # nothing half-installed
    server.cut_after = None
    assert manager.download(NAME).complete
    assert server.ranges[-2] == "bytes=30000-"  # the model went on where it stopped


def test_wrong_checksum_is_refused_and_deleted(tmp_path: Path, server: Server) -> None:
    manager = VoiceManager(tmp_path / "voices", catalog=server.catalog(md5="0" * 32))
    with pytest.raises(VoiceError) as info:
        manager.download(NAME)
    assert info.value.key == "voice_checksum_mismatch"
    assert manager.list() == [] and not list((tmp_path / "voices").rglob("*.onnx"))


def test_a_config_that_is_no_piper_voice_is_refused(tmp_path: Path, server: Server) -> None:
    server.files[f"/{NAME}.onnx.json"] = b'{"audio": {}}'
    manager = VoiceManager(tmp_path / "voices", catalog=server.catalog())
    with pytest.raises(VoiceError) as info:
        manager.download(NAME)
    assert info.value.key == "voice_corrupt" and "sample_rate" in str(info.value)
    assert manager.list() == []


def test_no_network_says_how_to_add_by_hand(tmp_path: Path, server: Server) -> None:
    catalog = server.catalog()
    server.httpd.shutdown()
    server.httpd.server_close()
    manager = VoiceManager(tmp_path / "voices", catalog=catalog, timeout_seconds=2)
    with pytest.raises(VoiceError) as info:
        manager.download(NAME)
    assert info.value.key == "voice_no_network"


def test_unknown_voice(tmp_path: Path, server: Server) -> None:
    with pytest.raises(VoiceError) as info:
        VoiceManager(tmp_path, catalog=server.catalog()).download("nl_NL-mls-medium")
    assert info.value.key == "voice_unknown" and NAME in info.value.fields["known"]


def test_add_from_a_file_or_a_folder(tmp_path: Path) -> None:
    manager = VoiceManager(tmp_path / "voices")
    model = voice_files(tmp_path / "elsewhere")
    assert manager.add(model).complete
    assert model.exists()  # copied, not moved
    assert manager.add(tmp_path / "elsewhere").name == NAME  # again: replaced in place
    assert [v.name for v in manager.list()] == [NAME]


def test_add_needs_the_config_beside_the_model(tmp_path: Path) -> None:
    model = voice_files(tmp_path / "elsewhere")
    model.with_name(model.name + ".json").unlink()
    with pytest.raises(VoiceError) as info:
        VoiceManager(tmp_path / "voices").add(model)
    assert info.value.key == "voice_missing"
    with pytest.raises(VoiceError):
        VoiceManager(tmp_path / "voices").add(tmp_path / "nothing.onnx")


def test_use_remembers_the_voice_and_its_speed(tmp_path: Path) -> None:
    manager = VoiceManager(tmp_path / "voices")
    manager.add(voice_files(tmp_path / "src"))
    assert manager.active() is None
    measured: list[str] = []
    chosen = manager.use(NAME, measure=lambda v: measured.append(v.name) or 171.23)
    assert chosen is not None and chosen.words_per_minute == pytest.approx(171.2)
    assert manager.active() == chosen
    manager.use(NAME, measure=lambda v: measured.append(v.name) or 1.0)
    assert measured == [NAME]  # measured once, kept with the voice
    manager.use(ESPEAK)
    assert manager.active() is None


def test_removing_the_active_voice_goes_back_to_espeak(tmp_path: Path) -> None:
    manager = VoiceManager(tmp_path / "voices")
    manager.add(voice_files(tmp_path / "src"))
    manager.use(NAME)
    manager.remove(NAME)
    assert manager.list() == [] and manager.active() is None
    assert not (tmp_path / "voices" / ACTIVE_FILE).exists()
    with pytest.raises(VoiceError) as info:
        manager.remove(NAME)
    assert info.value.key == "voice_not_installed"


def test_a_damaged_active_voice_is_not_used(tmp_path: Path) -> None:
    manager = VoiceManager(tmp_path / "voices")
    manager.add(voice_files(tmp_path / "src"))
    manager.use(NAME)
    (tmp_path / "voices" / NAME / f"{NAME}.onnx").unlink()
    assert manager.active() is None
    assert "missing" in str(manager.list()[0].problem)


def test_espeak_speaks_without_a_voice_and_when_the_voice_fails(tmp_path: Path) -> None:
    voices = tmp_path / "voices"
    assert isinstance(speech_engine(voices, Voice()), Synthesizer)
    assert active_voice(voices) == ("espeak", None)
    manager = VoiceManager(voices)
    manager.add(voice_files(tmp_path / "src"))  # not a real model: it cannot load
    manager.use(NAME)
    assert active_voice(voices) == ("piper", NAME)
    assert isinstance(speech_engine(voices, Voice()), Synthesizer)


def test_shipped_catalog_recommends_the_single_speaker_medium_voices() -> None:
    catalog = load_catalog()
    names = {spec.name for spec in catalog.voices}
    assert names == {"nl_NL-pim-medium", "nl_NL-ronnie-medium", "nl_NL-alex-medium",
                     "nl_BE-nathalie-medium", "nl_BE-rdh-medium"}
    assert all(spec.url.startswith("https://") for spec in catalog.voices)
    assert all(60_000_000 < spec.size_bytes < 70_000_000 for spec in catalog.voices)
    assert catalog.find("pim") is catalog.find("nl_NL-pim-medium") is not None


def test_voice_commands_in_dutch(tmp_path: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([ADEMPAUZE, "voice", *args], capture_output=True, text=True,
                              timeout=60, env=dict(os.environ))

    listed = run("list")
    assert listed.returncode == 0 and "espeak-ng" in listed.stdout and "pim" in listed.stdout
    added = run("add", str(voice_files(tmp_path / "src")))
    assert added.returncode == 0 and f"voice use {NAME}" in added.stdout
    assert NAME in run("list").stdout
    missing = run("use", "nl_NL-niemand-medium")
    assert missing.returncode == 2 and "niet geïnstalleerd" in missing.stderr
    assert "Traceback" not in missing.stderr
    removed = run("remove", NAME)
    assert removed.returncode == 0 and "verwijderd" in removed.stdout
