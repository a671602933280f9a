"""`hearth config list|get|set|reset`: the typed settings, by dotted key (provider.mode).

Values are checked by the settings schema (desktop.core.settings) before anything is
saved. The API key is never a setting: `hearth key` keeps it in the keyring.
"""

from __future__ import annotations

import argparse
import difflib
import json
import typing
from typing import TYPE_CHECKING, Any, Literal

from desktop.core.errors import AppError

if TYPE_CHECKING:
    from pydantic import BaseModel
    from pydantic.fields import FieldInfo

    from desktop.app import Services
    from desktop.core.settings import Settings


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    config = sub.add_parser("config", help="show or change settings (dotted keys)")
    config_sub = config.add_subparsers(dest="config_command", required=True, metavar="COMMAND")
    listed = config_sub.add_parser("list", help="every setting with its value")
    listed.add_argument("--json", action="store_true", help="print one JSON object")
    get = config_sub.add_parser("get", help="one setting's value")
    get.add_argument("key", metavar="KEY")
    get.add_argument("--json", action="store_true", help="print the value as JSON")
    put = config_sub.add_parser("set", help="change a setting (checked before it is saved)")
    put.add_argument("key", metavar="KEY")
    put.add_argument("value", metavar="VALUE", help='text, a number, true/false, or JSON ["a"]')
    reset = config_sub.add_parser("reset", help="put a setting back to its default")
    reset.add_argument("key", metavar="KEY")


def _sections() -> dict[str, type[BaseModel]]:
    # The schema (pydantic) is imported when a config command runs, not to parse arguments.
    from pydantic import BaseModel

    from desktop.core.settings import Settings

    sections: dict[str, type[BaseModel]] = {}
    for name, info in Settings.model_fields.items():
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            sections[name] = annotation
    return sections


def schema() -> dict[str, FieldInfo]:
    """Every setting a person can change, by dotted key, in the schema's order."""
    return {
        f"{section}.{name}": info
        for section, model in _sections().items()
        for name, info in model.model_fields.items()
    }


def accepts(info: FieldInfo) -> str:
    """What a setting accepts, in words."""
    annotation = info.annotation
    if typing.get_origin(annotation) is Literal:
        return "one of: " + ", ".join(str(a) for a in typing.get_args(annotation))
    if annotation is bool:
        return "true or false"
    if annotation is int:
        return "a whole number"
    if annotation is float:
        return "a number"
    if typing.get_origin(annotation) is list:
        return 'a JSON list of text, e.g. ["a", "b"] (or [] for none)'
    return "text"


def _unknown(key: str) -> AppError:
    keys = list(schema())
    if "key" in key.lower().split(".")[-1] and "api" in key.lower():
        return AppError(
            f"There is no setting {key!r}: the API key is never a setting.",
            "Use `hearth key set` (it keeps the key in the system keyring).",
        )
    close = difflib.get_close_matches(key, keys, n=5, cutoff=0.6)
    section = key.split(".")[0]
    same_section = [k for k in keys if k.startswith(f"{section}.")]
    if close:
        hint = "Did you mean: " + ", ".join(close) + "?"
    elif same_section:
        hint = f"Settings in {section}: " + ", ".join(same_section) + "."
    else:
        hint = "Valid keys: " + ", ".join(keys) + "."
    return AppError(f"There is no setting {key!r}.", hint + " See them all: hearth config list.")


def _field(key: str) -> tuple[str, str, FieldInfo]:
    info = schema().get(key)
    if info is None:
        raise _unknown(key)
    section, name = key.split(".", 1)
    return section, name, info


def _value(settings: Settings, key: str) -> Any:
    section, name, _ = _field(key)
    return settings.model_dump(mode="json")[section][name]


def _plain(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def parse_value(raw: str, info: FieldInfo) -> Any:
    """The value typed on the command line: text as it is for text settings, else JSON
    when it parses (true, 5, ["a"]), else the text (pydantic reads "yes", "1.5" ...)."""
    if info.annotation is str:
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def _assign(settings: Settings, key: str, value: Any) -> None:
    from pydantic import ValidationError

    section, name, info = _field(key)
    try:
        setattr(getattr(settings, section), name, value)
    except ValidationError as exc:
        reason = "; ".join(e["msg"] for e in exc.errors())
        raise AppError(
            f"{value!r} is not a valid value for {key}: {reason}.",
            f"{key} accepts {accepts(info)}. {info.description or ''}".strip(),
        ) from None


async def run(args: argparse.Namespace, services: Services) -> int:
    ctx = services.ctx
    settings = ctx.settings
    if args.config_command == "list":
        keys = schema()
        if args.json:
            print(json.dumps({k: _value(settings, k) for k in keys}, ensure_ascii=False))
        else:
            for key in keys:
                print(f"{key} = {json.dumps(_value(settings, key), ensure_ascii=False)}")
        return 0
    if args.config_command == "get":
        value = _value(settings, args.key)
        print(json.dumps(value, ensure_ascii=False) if args.json else _plain(value))
        return 0
    # Changed on a copy: nothing is saved unless the new value passes.
    changed = settings.model_copy(deep=True)
    if args.config_command == "set":
        _assign(changed, args.key, parse_value(args.value, _field(args.key)[2]))
    else:
        info = _field(args.key)[2]
        _assign(changed, args.key, info.get_default(call_default_factory=True))
    ctx.settings = changed
    ctx.save_settings()
    print(f"{args.key} = {json.dumps(_value(changed, args.key), ensure_ascii=False)}")
    return 0
