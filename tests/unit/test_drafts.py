"""A dictation survives SIGKILL: every word recognised before the kill is in the journal."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from assistant.journal.store import Journal

# The child plays the voice loop: it starts an evening reflection and feeds the writer a
# growing partial transcript every 0.3 s (the recognizer's partial results), printing each
# text once it has been handed over.
CHILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from assistant.converse.dialogue import Dialogue
    from assistant.journal.store import Journal
    from assistant.journal.writer import JournalWriter, Question
    from assistant.understand.matcher import IntentMatch
    from assistant.messages import Messages

    journal = Journal.open(Path(sys.argv[1]))
    dialogue = Dialogue(Messages.load(), practice_titles={})
    dialogue.handle(IntentMatch(text="hoe was mijn dag", intent="StartReflection", slots={},
                                score=1.0, crisis=False))
    pending = dialogue.pending_question
    question = Question(pending.kind, pending.prompt, pending.question_id)
    writer = JournalWriter(journal)
    words = []
    for number in range(1000):
        words.append(f"woord{number}")
        writer.dictation_partial(question, " ".join(words))
        print(" ".join(words), flush=True)
        time.sleep(0.3)
""")


def test_sigkill_in_the_middle_of_a_dictation_loses_no_recognised_word(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path)], stdout=subprocess.PIPE,
                             text=True)
    assert child.stdout is not None
    handed_over = ""
    for _ in range(8):  # about 2.4 s of speech
        handed_over = child.stdout.readline().strip()
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=10)
    assert child.returncode == -signal.SIGKILL
    with Journal.open(path) as journal:
        [recovered] = journal.entries().reflections
    assert handed_over.split()[-1] == "woord7"
    assert recovered.text.startswith(handed_over)  # every word handed over is on disk
    assert recovered.status == "recovered" and recovered.kind == "evening"
    assert recovered.prompt == dialogue_first_prompt()


def dialogue_first_prompt() -> str:
    from assistant.messages import Messages

    return Messages.load().reflections.evening.questions[0].prompt
