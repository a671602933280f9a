"""The provider controller: where answers run, the model picker, and the connection state."""

from __future__ import annotations

import contextlib
import dataclasses
import time

from PySide6.QtCore import QTimer, Signal

from desktop.core.errors import AppError, ProviderUnreachable
from desktop.core.models import ModelDetails, ModelInfo, RoutingMode, ServerStatus
from desktop.ui.controller_base import Base, MessageChannel
from desktop.ui.error_text import describe
from desktop.ui.services import WindowServices
from desktop.ui.tasks import TaskRegistry
from desktop.ui.top_bar import ModelChoice, TopBar

STATUS_POLL_MS = 15_000
# The cloud catalogue in the model picker is asked for again after this long.
CATALOGUE_TTL_S = 600.0


class ProviderController(Base):
    """The provider switch, live server status and the model picker.

    Signals:
        availability_changed(bool): whether any model can answer.
    """

    availability_changed = Signal(bool)

    def __init__(self, bar: TopBar, tasks: TaskRegistry, channel: MessageChannel) -> None:
        super().__init__(tasks, channel)
        self.bar = bar
        self.local_status: ServerStatus | None = None
        self.local_models: list[str] = []
        # Local names the signed-in local server sends to Ollama Cloud (`glm-4.7:cloud`).
        self.remote_models: set[str] = set()
        # The live Ollama Cloud catalogue, and when it was fetched.
        self.cloud_models: list[str] = []
        self._catalogue_at: float | None = None
        # While the window starts (the knowledge base opening), a round trip measures the
        # start-up, not the server: latencies are shown only once it has opened.
        self._started = False
        # What `/api/show` said a model can do, by name and digest (`/api/tags` may not say).
        self._capabilities: dict[tuple[str, str], tuple[str, ...]] = {}
        self._timer = QTimer(self)
        self._timer.setInterval(STATUS_POLL_MS)
        self._timer.timeout.connect(self.poll)
        bar.mode_changed.connect(self.set_mode)
        bar.model_chosen.connect(self.choose_model)

    def attach(self, services: WindowServices) -> None:
        super().attach(services)
        self.bar.set_mode(services.ctx.settings.provider.mode)
        self._timer.start()
        self.poll()
        self.start("status-after-start", self._poll_when_started)

    async def _poll_when_started(self) -> None:
        with contextlib.suppress(AppError):
            await self.knowledge()
        self._started = True
        self.poll()

    def _measured(self, status: ServerStatus) -> ServerStatus:
        """The status to show: without a latency while the window is still starting."""
        return status if self._started else dataclasses.replace(status, latency_ms=0.0)

    def poll(self) -> None:
        self.start("status", self._poll)

    async def _poll(self) -> None:
        s = self.services
        assert s is not None
        try:
            self.local_status = await s.local.status()
        except AppError:
            self.local_status = ServerStatus(False)
        self.bar.show_status("local", self._measured(self.local_status))
        self.local_models = []
        self.remote_models = set()
        if self.local_status.reachable:
            with contextlib.suppress(AppError):
                # Answering in the cloud asks the local server nothing about its models.
                inspect = s.ctx.settings.provider.mode != RoutingMode.CLOUD.value
                listed = await s.local.list_models()
                self.local_models = await self.chat_models(listed, inspect=inspect)
                self.remote_models = {m.name for m in listed if m.remote}
        cloud_ok = await self._poll_cloud(s)
        self._show_models()
        self.availability_changed.emit(bool(self.local_models) or cloud_ok)

    async def chat_models(self, models: list[ModelInfo], *, inspect: bool) -> list[str]:
        """The names of the models that can answer: embedding-only models are left out.

        `/api/tags` may not say what a model can do; `inspect` asks `/api/show` then.
        """
        assert self.services is not None
        names = []
        for model in models:
            capabilities = model.capabilities
            if not capabilities:
                key = (model.name, model.digest)
                if key not in self._capabilities and inspect:
                    try:
                        details = await self.services.local.show(model.name)
                    except AppError:
                        details = ModelDetails(model.name)
                    self._capabilities[key] = details.capabilities
                capabilities = self._capabilities.get(key, ())
            # An older server says nothing about capabilities: offer the model then.
            if not capabilities or "completion" in capabilities:
                names.append(model.name)
        return names

    async def _poll_cloud(self, s: WindowServices) -> bool:
        p = s.ctx.settings.provider
        if not p.cloud_enabled:
            # Off by choice is no failure: a grey dot, not the red one.
            self.bar.show_status("cloud", None, self.tr("off"))
            return False
        if s.cloud is None:
            self.bar.show_status("cloud", ServerStatus(False), self.tr("no API key"))
            return False
        try:
            status = await s.cloud.status()
        except AppError as exc:
            self.bar.show_status("cloud", ServerStatus(False), describe(exc)[0])
            return False
        self.bar.show_status("cloud", self._measured(status))
        now = time.monotonic()
        stale = self._catalogue_at is None or now - self._catalogue_at >= CATALOGUE_TTL_S
        if status.reachable and (stale or not self.cloud_models):
            with contextlib.suppress(AppError):
                self.cloud_models = [m.name for m in await s.cloud.list_models()]
                self._catalogue_at = now
        return status.reachable

    async def local_problem(self) -> AppError | None:
        """Why an answer cannot be written, when the top bar already says the local server
        is not reachable and the answer would be written there: one more quick look (a
        refused connection answers at once), then the reason and the fix, instead of
        seconds of retries."""
        s = self.services
        if s is None or self.local_status is None or self.local_status.reachable:
            return None
        p = s.ctx.settings.provider
        if p.mode == RoutingMode.CLOUD.value or (
            p.mode == RoutingMode.AUTO.value and p.cloud_enabled and s.cloud is not None
        ):
            return None  # the cloud writes it (Auto falls back to the cloud)
        try:
            self.local_status = await s.local.status()
        except AppError:
            self.local_status = ServerStatus(False)
        self.bar.show_status("local", self._measured(self.local_status))
        if self.local_status.reachable:
            return None
        return ProviderUnreachable(
            self.tr("Local Ollama is not reachable at %1.").replace("%1", s.local.base_url),
            self.tr(
                "Start Ollama (open the Ollama app, or run “ollama serve” in a terminal), "
                "then ask again; or check the address in Settings."
            ),
            provider="local",
        )

    def _choices(self) -> list[ModelChoice]:
        """What the picker offers in the current mode: installed local models in Local, the
        cloud catalogue (or, without a key, the local server's `:cloud` names) in Cloud,
        all of them in Auto. Nothing that would reach the cloud while it is off."""
        s = self.services
        assert s is not None
        p = s.ctx.settings.provider
        local = [ModelChoice(n, "local") for n in self.local_models if n not in self.remote_models]
        cloud_on = p.cloud_enabled
        through = [
            ModelChoice(n, "through-local")
            for n in self.local_models
            if cloud_on and n in self.remote_models
        ]
        direct = [ModelChoice(n, "cloud") for n in self.cloud_models] if cloud_on else []
        if s.cloud is None:
            direct = []
        if p.mode == RoutingMode.LOCAL.value:
            return local
        if p.mode == RoutingMode.CLOUD.value:
            # With a key the router sends `:cloud` names straight to ollama.com.
            return direct or through
        return local + through + direct

    def _show_models(self) -> None:
        """Fill the picker; what it shows is what answers, so when nothing it offers is
        chosen, its first model becomes the choice (and is saved)."""
        s = self.services
        assert s is not None
        p = s.ctx.settings.provider
        choices = self._choices()
        cloud_on = p.cloud_enabled
        on_server = [c for c in choices if c.where != "cloud"]
        current: ModelChoice | None
        if p.mode == RoutingMode.CLOUD.value and not p.cloud_enabled:
            # Nothing answers in this mode: the picker says why instead of a model.
            current = None
        elif p.mode == RoutingMode.CLOUD.value:
            current = self._pick(choices, p.cloud_model)
            if current is None and choices:
                current = choices[0]
                p.cloud_model = current.name
                self._save()
            elif current is None and p.cloud_model:
                # The catalogue is not fetched yet (or cannot be): show the choice as is.
                current = ModelChoice(p.cloud_model, "cloud")
        elif is_installed(p.chat_model, [c.name for c in on_server]):
            current = self._pick(on_server, p.chat_model)
        elif p.mode == RoutingMode.AUTO.value and cloud_on and not p.chat_model and p.cloud_model:
            # Auto with a catalogue model chosen (and no local one) answers in the cloud.
            current = self._pick(choices, p.cloud_model) or ModelChoice(p.cloud_model, "cloud")
        elif on_server:
            current = on_server[0]
            p.chat_model = current.name
            self._save()
        elif p.mode == RoutingMode.AUTO.value and cloud_on and p.cloud_model:
            # The local server has nothing: Auto answers with the cloud model.
            current = self._pick(choices, p.cloud_model) or ModelChoice(p.cloud_model, "cloud")
        else:
            current = ModelChoice(p.chat_model, "") if p.chat_model else None
        self.bar.set_models(choices, current, "" if choices else self._empty_hint())

    def _empty_hint(self) -> str:
        """What to do when the picker has nothing to offer in this mode."""
        s = self.services
        assert s is not None
        p = s.ctx.settings.provider
        if p.mode == RoutingMode.CLOUD.value:
            if not p.cloud_enabled:
                return self.tr("Turn on Ollama Cloud in Settings")
            if s.cloud is None:
                return self.tr("Add an Ollama Cloud API key in Settings")
            return self.tr("Fetching the Ollama Cloud catalogue…")
        if self.local_status is not None and not self.local_status.reachable:
            return self.tr("Start Ollama to see its models")
        return self.tr("Pull a model in Models")

    @staticmethod
    def _pick(choices: list[ModelChoice], name: str) -> ModelChoice | None:
        """The choice of that name (`llama3.2` is `llama3.2:latest`)."""
        for choice in choices:
            if is_installed(name, [choice.name]):
                return choice
        return None

    def set_mode(self, mode: str) -> None:
        s = self.services
        if s is None:
            return
        p = s.ctx.settings.provider
        # Answers read the mode from the settings when they are routed.
        p.mode = RoutingMode(mode).value
        if mode == RoutingMode.CLOUD.value and not p.cloud_enabled:
            self.channel.message.emit(
                self.tr("Ollama Cloud is turned off, so nothing will be sent there."),
                self.tr("Turn it on in Settings, and add an API key."),
                True,
            )
        self._save()
        if mode == RoutingMode.CLOUD.value:
            self._show_models()
        # The local list is checked for chat models before the picker shows it.
        self.poll()

    def use_cloud_model(self, name: str) -> None:
        """Answer with a cloud catalogue model (the Models dialog): Cloud mode unless Auto
        is on, and the picker shows it."""
        s = self.services
        if s is None:
            return
        if s.ctx.settings.provider.mode == RoutingMode.LOCAL.value:
            self.bar.set_mode(RoutingMode.CLOUD.value)
            self.set_mode(RoutingMode.CLOUD.value)
        self.choose_model(name, "cloud")
        self._show_models()

    def choose_model(self, name: str, where: str) -> None:
        """A model picked in the picker becomes the one that answers in this mode."""
        s = self.services
        if s is None or not name:
            return
        p = s.ctx.settings.provider
        if p.mode == RoutingMode.CLOUD.value:
            p.cloud_model = name
        elif where == "cloud":
            # Auto with a catalogue model: no local choice, so it answers in the cloud.
            p.cloud_model = name
            p.chat_model = ""
        else:
            p.chat_model = name
        self._save()

    def _save(self) -> None:
        s = self.services
        assert s is not None
        try:
            s.ctx.save_settings()
        except AppError as exc:
            self.channel.error(exc)


def is_installed(name: str, installed: list[str]) -> bool:
    """Whether a model name is one of the installed ones (`llama3.2` is `llama3.2:latest`)."""
    if not name:
        return False
    return name in installed or (":" not in name and f"{name}:latest" in installed)
