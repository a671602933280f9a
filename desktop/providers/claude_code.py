"""Pointing Claude Code at Ollama's Anthropic-compatible API.

The local route sets exactly what `ollama launch claude` sets: the local server as
ANTHROPIC_BASE_URL (no /v1), a dummy auth token, an empty ANTHROPIC_API_KEY (so a logged-in
Anthropic subscription does not take over), the model for every alias, and the flags that
keep the KV cache stable. Cloud models go through the local server under their `:cloud`
name by default. The direct cloud route puts the API key in ANTHROPIC_AUTH_TOKEN: it is
printed only when the person asked for that route.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from desktop.core.errors import AppError, AuthenticationFailed
from desktop.core.installation import hearth_command
from desktop.providers.names import direct_cloud_name, local_route_name

Shell = Literal["sh", "fish", "powershell"]
MIN_CONTEXT = 65536
INSTALL_HINT = (
    "Install it with `npm install -g @anthropic-ai/claude-code` "
    "(see https://docs.anthropic.com/en/docs/claude-code), then run this again."
)


@dataclass(frozen=True, slots=True)
class ClaudeEnv:
    """The variables to set, the model Claude Code will use, and warnings to show."""

    env: dict[str, str]
    model: str
    warnings: list[str] = field(default_factory=list)


def claude_env(
    *,
    provider: Literal["local", "cloud"],
    model: str,
    local_url: str,
    cloud_url: str,
    api_key: str | None,
    context_length: int | None,
    cloud_model: bool = False,
    served_context: int | None = None,
    can_think: bool | None = None,
) -> ClaudeEnv:
    """Build Claude Code's environment.

    Args:
        provider: "local" (through the local server, also for cloud models) or "cloud"
            (straight to Ollama Cloud with the API key).
        model: the model name as the person gave it.
        local_url: the local server's base URL.
        cloud_url: Ollama Cloud's base URL.
        api_key: the cloud key (needed only for provider "cloud").
        context_length: the model's maximum context, if known (None: could not be checked).
        cloud_model: the model is a cloud catalogue model (on the local route it is named
            as the local server expects: "gpt-oss:120b" -> "gpt-oss:120b-cloud").
        served_context: the context the local server runs the model with (None: unknown;
            Ollama's Anthropic-compatible API sets no num_ctx, so the model runs with its
            Modelfile's num_ctx, else OLLAMA_CONTEXT_LENGTH, else a default by GPU memory).
        can_think: whether the model can think (None: unknown). Claude Code asks for
            thinking and an effort level in every request; for a model that cannot think
            it is told not to.

    Raises:
        AuthenticationFailed: provider "cloud" without a key.
    """
    warnings: list[str] = []
    if provider == "cloud":
        if not api_key:
            raise AuthenticationFailed(
                "The direct cloud route needs an Ollama Cloud API key, and none is set.",
                "Add it in Settings or set OLLAMA_API_KEY; or use --provider local with a "
                "signed-in local server.",
                provider="cloud",
                key_source="no API key is set",
            )
        name = direct_cloud_name(model)
        env = {
            "ANTHROPIC_BASE_URL": cloud_url.rstrip("/"),
            "ANTHROPIC_AUTH_TOKEN": api_key,
            "ANTHROPIC_API_KEY": "",
        }
        warnings.append(
            "The direct cloud route has been reported to fail with 401 for Claude Code; "
            "the local route (--provider local, with a signed-in Ollama) is preferred."
        )
    else:
        name = local_route_name(model) if cloud_model else model
        env = {
            "ANTHROPIC_BASE_URL": local_url.rstrip("/").removesuffix("/v1"),
            "ANTHROPIC_AUTH_TOKEN": "ollama",
            "ANTHROPIC_API_KEY": "",
        }
    env.update(
        {
            "ANTHROPIC_MODEL": name,
            "ANTHROPIC_DEFAULT_OPUS_MODEL": name,
            "ANTHROPIC_DEFAULT_SONNET_MODEL": name,
            "ANTHROPIC_DEFAULT_HAIKU_MODEL": name,
            "CLAUDE_CODE_SUBAGENT_MODEL": name,
            "CLAUDE_CODE_ATTRIBUTION_HEADER": "0",
            "CLAUDE_CODE_TOTAL_TOKENS_REMINDER": "off",
            "DISABLE_ERROR_REPORTING": "1",
            "DISABLE_FEEDBACK_COMMAND": "1",
            "CLAUDE_CODE_DISABLE_FEEDBACK_SURVEY": "1",
            # No telemetry, update checks or other calls to Anthropic's servers: the
            # session talks to the model's server only.
            "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1",
        }
    )
    if can_think is False:
        # Without these every request carries `thinking` and `output_config.effort`, which
        # a server may refuse for a model that cannot think (Ollama drops them).
        env["CLAUDE_CODE_DISABLE_THINKING"] = "1"
        env["CLAUDE_CODE_EFFORT_LEVEL"] = "unset"
    window = served_context or context_length
    if window:
        env["CLAUDE_CODE_AUTO_COMPACT_WINDOW"] = str(window)
    warning = _context_warning(name, context_length, served_context)
    if warning:
        warnings.append(warning)
    return ClaudeEnv(env, name, warnings)


RAISE_CONTEXT = (
    "Raise it: start the server with OLLAMA_CONTEXT_LENGTH=65536 (`OLLAMA_CONTEXT_LENGTH=65536 "
    "ollama serve`, or Context length in the Ollama app's settings), or give the model "
    "`PARAMETER num_ctx 65536` in a Modelfile (`ollama create`)."
)


def _context_warning(name: str, maximum: int | None, served: int | None) -> str | None:
    """What to say about the context Claude Code will get (None: nothing to say)."""
    if maximum and maximum < MIN_CONTEXT:
        return (
            f"Claude Code needs a 64k+ context; {name} takes at most {maximum} tokens. "
            "Choose a larger model."
        )
    if served and served < MIN_CONTEXT:
        return (
            f"Claude Code needs a 64k+ context; the server runs {name} with {served} tokens "
            f"(the model takes up to {maximum or 'more'}). {RAISE_CONTEXT}"
        )
    if not maximum:
        return f"The context length of {name} could not be checked."
    return None


# PowerShell ends a single-quoted string at any of these, so each is doubled.
_POWERSHELL_QUOTES = ("'", "\u2018", "\u2019", "\u201a", "\u201b")


def format_env(env: Mapping[str, str], shell: Shell) -> str:
    """Lines that set `env` in the given shell, every value single-quoted.

    Empty values are written as explicit empty strings ('') so that, for example,
    ANTHROPIC_API_KEY really is set to nothing. The output holds whatever `env` holds:
    `claude_env` puts the API key there only for the direct cloud route, which the person
    chose, so the key is printed only then.

    Args:
        env: the variables to set, in order.
        shell: "sh" (POSIX sh, bash, zsh), "fish" or "powershell".
    """
    lines = []
    for key, value in env.items():
        if shell == "sh":
            escaped = value.replace("'", "'\\''")
            lines.append(f"export {key}='{escaped}'")
        elif shell == "fish":
            escaped = value.replace("\\", "\\\\").replace("'", "\\'")
            lines.append(f"set -gx {key} '{escaped}'")
        else:
            escaped = value
            for quote in _POWERSHELL_QUOTES:
                escaped = escaped.replace(quote, quote * 2)
            lines.append(f"$env:{key} = '{escaped}'")
    return "\n".join(lines)


# Hearth's read-only MCP tools, as Claude Code names them. Print mode (-p) denies MCP tools
# that are not allowed, so `hearth claude` allows exactly these.
HEARTH_TOOLS = (
    "mcp__hearth__search_knowledge_base",
    "mcp__hearth__list_knowledge_bases",
    "mcp__hearth__read_document",
)
# With MCP on: offer the tools in the first request. Claude Code 2.1.3xx otherwise holds
# them back behind a ToolSearch step, and 2.1.197 otherwise sends its first request before
# the MCP servers have connected. Even when it waits, Claude Code gives up waiting after
# 5 s (MCP_CONNECT_TIMEOUT_MS) and then offers a WaitForMcpServers tool instead, so it waits
# as long as it lets a server take to start (MCP_TIMEOUT, 30 s by default).
MCP_ENV = {
    "ENABLE_TOOL_SEARCH": "false",
    "MCP_CONNECTION_NONBLOCKING": "0",
    "MCP_CONNECT_TIMEOUT_MS": "30000",
}


def mcp_server_command(
    data_dir: str, kb: str | None = None, *, hearth: Sequence[str] | None = None
) -> list[str]:
    """The argv that starts `hearth mcp` on the given data folder."""
    command = [*(hearth_command() if hearth is None else hearth), "--data-dir", data_dir, "mcp"]
    return [*command, "--kb", kb] if kb else command


def mcp_config(data_dir: str, kb: str | None = None, *, hearth: Sequence[str] | None = None) -> str:
    """Claude Code's `--mcp-config` JSON that starts `hearth mcp` on the same data folder."""
    command = mcp_server_command(data_dir, kb, hearth=hearth)
    return json.dumps({"mcpServers": {"hearth": {"command": command[0], "args": command[1:]}}})


def mcp_arguments(
    data_dir: str, kb: str | None = None, *, hearth: Sequence[str] | None = None
) -> list[str]:
    """Claude Code's arguments that register Hearth's tools and allow them.

    Both options take several values in Claude Code (anything after them up to the next
    option, the person's prompt included), so each is one `--option=value` item: nothing
    here changes how the person's own arguments are read.
    """
    return [
        f"--mcp-config={mcp_config(data_dir, kb, hearth=hearth)}",
        f"--allowedTools={','.join(HEARTH_TOOLS)}",
    ]


def env_script(
    result: ClaudeEnv, shell: Shell, *, mcp_data_dir: str | None = None, kb: str | None = None
) -> str:
    """What `hearth claude-env` prints: the variables to set, then (with `mcp_data_dir`)
    the MCP configuration `hearth claude` passes for that data folder, as comments."""
    lines = [format_env(result.env, shell)]
    if mcp_data_dir is not None:
        lines += [
            f"# hearth claude also passes: --mcp-config='{mcp_config(mcp_data_dir, kb)}'",
            f"# and: {mcp_arguments(mcp_data_dir, kb)[1]}",
            f"# with: {' '.join(f'{k}={v}' for k, v in MCP_ENV.items())}",
        ]
    return "\n".join(lines)


def find_claude(env: Mapping[str, str] | None = None) -> str | None:
    """Claude Code's executable: PATH, then ~/.local/bin/claude, ~/.claude/local/claude."""
    env = os.environ if env is None else env
    found = shutil.which("claude", path=env.get("PATH"))
    if found:
        return found
    home = Path(env.get("HOME") or Path.home())
    for candidate in (home / ".local/bin/claude", home / ".claude/local/claude"):
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return None


def require_claude(env: Mapping[str, str] | None = None) -> str:
    """Like find_claude, but a missing Claude Code is an error saying how to install it."""
    found = find_claude(env)
    if found is None:
        raise AppError("Claude Code is not installed (no `claude` on PATH).", INSTALL_HINT)
    return found


def launch_claude(
    executable: str,
    env_overrides: Mapping[str, str],
    args: Sequence[str],
    *,
    model: str,
    cwd: str | None = None,
) -> int:
    """Run Claude Code in the foreground with the environment added; return its exit code.

    Ctrl+C goes to Claude Code (same terminal); this process ignores it meanwhile.
    """
    env = {**os.environ, **env_overrides}
    child = subprocess.Popen([executable, "--model", model, *args], env=env, cwd=cwd)
    # Ignored only after the start, so the child keeps the default Ctrl+C behaviour.
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        return child.wait()
    finally:
        signal.signal(signal.SIGINT, previous)


SKILLS = Path(__file__).resolve().parents[2] / "resources" / "skills"


def skill_folders(source: Path = SKILLS) -> list[Path]:
    """The Claude Code skills shipped with Hearth (folders holding a SKILL.md)."""
    return sorted(p.parent for p in source.glob("*/SKILL.md"))


def install_skills(target: Path, source: Path = SKILLS) -> list[Path]:
    """Copy Hearth's skills into Claude Code's skills folder (replacing older copies).

    Raises:
        AppError: the skills are missing from this installation, or the target cannot be
            written.
    """
    folders = skill_folders(source)
    if not folders:
        raise AppError(
            f"No skills were found in {source}.", "Reinstall Hearth; the skills ship with it."
        )
    installed = []
    try:
        for folder in folders:
            destination = target / folder.name
            if destination.exists():
                shutil.rmtree(destination)
            shutil.copytree(folder, destination)
            installed.append(destination)
    except OSError as exc:
        raise AppError(
            f"The skills could not be written to {target}: {exc.strerror or exc}.",
            "Choose another folder with --dir, or check its permissions.",
        ) from None
    return installed
