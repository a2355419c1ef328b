"""Every error the code can raise has a Dutch message."""

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import assistant
from assistant.errors import AdempauzeError
from assistant.messages import ErrorMessages, Messages, ProtectionErrors, VoiceErrorMessages

PACKAGE = Path(assistant.__file__).parent


def _error_classes() -> list[type[AdempauzeError]]:
    for module in pkgutil.walk_packages([str(PACKAGE)], prefix="assistant."):
        importlib.import_module(module.name)
    found: list[type[AdempauzeError]] = []
    pending = [AdempauzeError]
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending.extend(cls.__subclasses__())
    return found


def _keys_passed_in_code() -> set[str]:
    """First string arguments of calls to *Error(...) whose __init__ takes a ``key``."""
    keyed = {cls.__name__ for cls in _error_classes()
             if "key" in inspect.signature(cls.__init__).parameters}
    keys: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in keyed and node.args
                    and isinstance(node.args[0], ast.Constant)):
                keys.add(str(node.args[0].value))
    return keys


def test_every_error_key_has_a_dutch_message() -> None:
    fields = (set(ErrorMessages.model_fields) | set(ProtectionErrors.model_fields)
              | set(VoiceErrorMessages.model_fields))
    class_keys = {cls.key for cls in _error_classes()}
    code_keys = _keys_passed_in_code()
    assert "microphone_missing" in code_keys and "model_no_network" in code_keys
    assert not (class_keys | code_keys) - fields


def test_error_messages_fill_in() -> None:
    messages = Messages.load()
    text = messages.error("model_no_network", {"url": "https://example.invalid/m.zip"})
    assert "https://example.invalid/m.zip" in text and "model add" in text


def test_voice_errors_have_their_own_messages() -> None:
    text = Messages.load().error("voice_needs_piper", {})
    assert "adempauze[piper]" in text and "Er ging iets mis" not in text


def test_every_crisis_reply_gives_all_the_help_lines() -> None:
    """Whatever the tier and the answer, the help lines are complete (NL and BE)."""
    messages = Messages.load()
    understanding = messages.understanding
    assert understanding is not None
    replies = [messages.text("crisis"), str(understanding.crisis_declined)]
    for reply in replies:
        for number in ("113", "0800-0113", "112", "1813"):
            assert number in reply, (number, reply)
