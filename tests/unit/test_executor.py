import io
import threading
from pathlib import Path

from assistant.app.executor import Assistant
from assistant.converse.dialogue import Dialogue, State
from assistant.journal.store import Journal
from assistant.messages import Messages
from assistant.practice.script import load_library
from assistant.speak.output import TextOutput
from assistant.understand.matcher import Matcher


def make_assistant(tmp_path: Path, time_scale: float = 0.001) -> tuple[Assistant, io.StringIO]:
    printed = io.StringIO()
    library = load_library()
    assistant = Assistant(
        matcher=Matcher.load(),
        dialogue=Dialogue(Messages.load(), practice_titles={k: p.title for k, p in library.items()}),
        journal=Journal.open(tmp_path / "journal.sqlite3"),
        output=TextOutput(printed),
        library=library,
        time_scale=time_scale,
    )
    return assistant, printed


def test_skeleton_conversation_is_journaled(tmp_path: Path) -> None:
    assistant, printed = make_assistant(tmp_path, time_scale=1.0)  # real silences: stop must cut
    lines = ["begin ademhaling", "stop", "hoe was mijn dag", "rustig",
             "de vergadering ging goed", "wandelen"]
    assistant.converse(lines)
    entries = assistant.journal.entries()
    assert [r.text for r in entries.reflections] == lines[3:]
    assert len(entries.sessions) == 1
    session = entries.sessions[0]
    assert session.practice_id == "ademhaling" and not session.completed
    assert session.ended_at is not None
    messages = Messages.load()
    assert messages.dialogue.practice_stopped in printed.getvalue()


def test_practice_runs_to_completion_when_input_ends(tmp_path: Path) -> None:
    assistant, printed = make_assistant(tmp_path)
    assistant.converse(["begin ademhaling"])
    session = assistant.journal.entries().sessions[0]
    assert session.completed
    library = load_library()
    spoken = [step.say for step in library["ademhaling"].steps if getattr(step, "say", None)]
    assert spoken and spoken[-1] in printed.getvalue()


def test_pause_holds_the_practice_until_resume(tmp_path: Path) -> None:
    assistant, printed = make_assistant(tmp_path, time_scale=0.01)
    done = threading.Event()

    def run() -> None:
        assistant.loop()
        done.set()

    thread = threading.Thread(target=run)
    thread.start()
    assistant.hear("begin ademhaling")
    assistant.hear("pauze")
    # paused: a practice of 2 minutes at 1/100 speed would finish in ~1.2 s; it must not
    assert not done.wait(2.5)
    assert assistant.dialogue.state is State.PRACTICE
    assistant.hear("ga verder")
    assistant.close_input()
    assert done.wait(10)
    thread.join()
    assert assistant.journal.entries().sessions[0].completed
