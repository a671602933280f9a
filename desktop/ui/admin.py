"""Controllers behind the Settings and Models dialogs."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable

from PySide6.QtCore import QProcess, QProcessEnvironment, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from desktop.core.errors import AppError
from desktop.core.installation import hearth_command
from desktop.core.model_catalogue import popular_models
from desktop.core.models import ModelInfo
from desktop.core.settings import Settings
from desktop.ui.controller_base import Base, MessageChannel
from desktop.ui.error_text import describe
from desktop.ui.models_dialog import ModelsDialog
from desktop.ui.settings_dialog import SettingsDialog
from desktop.ui.tasks import TaskRegistry

log = logging.getLogger(__name__)


class SettingsController(Base):
    """Tests connections, stores the API key and applies saved settings.

    Signals:
        applied(object, object): the old and the new `Settings` after a save.
        embedder_changed: the new embedding model is in use; knowledge bases built by
            another one are to be re-embedded.
    """

    applied = Signal(object, object)
    embedder_changed = Signal()

    def __init__(self, tasks: TaskRegistry, channel: MessageChannel) -> None:
        super().__init__(tasks, channel)
        self.dialog: SettingsDialog | None = None

    def open(self, parent: QWidget) -> SettingsDialog:
        s = self.services
        assert s is not None
        url_from = next((n for n in ("OLLAMA_HOST", "OLLAMA_URL") if s.ctx.env.get(n)), "")
        dialog = SettingsDialog(
            s.ctx.settings,
            str(s.ctx.paths.data_dir),
            s.key_source,
            s.local.base_url,
            parent,
            url_from=url_from,
        )
        dialog.test_local.connect(self.test_local)
        dialog.test_cloud.connect(self.test_cloud)
        dialog.save_key.connect(self.save_key)
        dialog.settings_saved.connect(self.save)
        self.dialog = dialog
        dialog.open()
        return dialog

    def test_local(self, url: str) -> None:
        async def run() -> None:
            s = self.services
            assert s is not None and self.dialog is not None
            try:
                self.dialog.show_local_result(await s.probe_local(url))
            except AppError as exc:
                self.dialog.show_local_result(None, describe(exc)[0])

        self.start("test-local", run)

    def test_cloud(self, typed_key: str = "") -> None:
        """Test the key typed in (before it is saved), else the stored one."""

        async def run() -> None:
            s = self.services
            assert s is not None and self.dialog is not None
            if not typed_key and s.cloud is None:
                self.dialog.show_cloud_result(self.tr("No API key is set."))
                return
            try:
                if typed_key:
                    models = await s.probe_cloud(typed_key)
                else:
                    assert s.cloud is not None
                    models = await s.cloud.list_models()
            except AppError as exc:
                self.dialog.show_cloud_result(" ".join(describe(exc)).strip())
                return
            text = self.tr("Connected: %n cloud models", "", len(models))
            self.dialog.show_cloud_result(text)

        self.start("test-cloud", run)

    def save_key(self, key: str) -> None:
        """Store the key (an empty one removes it). The dialog's "keep the API key in a
        private file" applies to this save at once, as the key itself does."""

        async def run() -> None:
            s = self.services
            assert s is not None and self.dialog is not None
            try:
                secrets = s.ctx.settings.secrets
                allowed = self.dialog.key_file.isChecked()
                if key.strip() and secrets.allow_file_fallback != allowed:
                    secrets.allow_file_fallback = allowed
                    s.ctx.save_settings()
                stored = ""
                if key.strip():
                    stored = await s.secrets.set_api_key(key.strip())
                else:
                    await s.secrets.delete_api_key()
            except AppError as exc:
                # Said in the dialog the person is looking at, not behind it.
                self.dialog.show_cloud_result("⚠ " + " ".join(describe(exc)).strip())
                return
            await s.refresh_cloud()
            # Where the key went, with the store's own warning (a key file is less safe
            # than a keyring), unless the key in use comes from elsewhere (the environment).
            in_use = s.key_source
            self.dialog.show_key_source(stored if stored.startswith(in_use) else in_use)

        self.start("save-key", run)

    def save(self, edited: Settings) -> None:
        s = self.services
        assert s is not None
        old = s.ctx.settings.model_copy(deep=True)
        current = s.ctx.settings
        for section in (
            "provider",
            "secrets",
            "embedding",
            "retrieval",
            "reading",
            "privacy",
            "ui",
        ):
            setattr(current, section, getattr(edited, section))
        # A new embedding model is saved only once it is probed (see _apply), so nothing
        # that opens the knowledge base meanwhile uses an unchecked one.
        chosen = current.embedding.embedder
        current.embedding.embedder = old.embedding.embedder
        try:
            s.ctx.save_settings()
        except AppError as exc:
            self.channel.error(exc)
            return
        services_changed = chosen != old.embedding.embedder or any(
            getattr(old, section) != getattr(current, section)
            for section in ("provider", "secrets", "embedding", "reading", "retrieval", "privacy")
        )
        if services_changed:
            # Applying rebuilds the model clients; an answer being streamed finishes on the
            # old ones. Theme and language alone leave the services alone.
            self.start("apply-settings", lambda: self._apply(current, chosen))
        self.applied.emit(old, current)

    async def _apply(self, current: Settings, chosen: str) -> None:
        """Put saved settings to work at once: the services first, then a new embedding
        model, probed before it is used and saved (on failure the old one stays, and the
        message says why)."""
        s = self.services
        assert s is not None
        await s.apply_settings()
        if chosen == current.embedding.embedder:
            return
        k = await self.knowledge()
        await k.use_embedder(chosen)
        current.embedding.embedder = chosen
        s.ctx.save_settings()
        self.channel.info(
            self.tr(
                "Now embedding with %1; knowledge bases are re-embedded in the background "
                "and searches use their old vectors until then."
            ).replace("%1", chosen)
        )
        self.embedder_changed.emit()


class ModelsController(Base):
    """Installed models, pulls, deletes, the cloud catalogue and Claude Code."""

    def __init__(
        self,
        tasks: TaskRegistry,
        channel: MessageChannel,
        on_models_changed: Callable[[], None],
        on_cloud_model_chosen: Callable[[str], None],
    ) -> None:
        super().__init__(tasks, channel)
        self.dialog: ModelsDialog | None = None
        self._on_models_changed = on_models_changed
        self._on_cloud_model_chosen = on_cloud_model_chosen

    def open(self, parent: QWidget) -> ModelsDialog:
        dialog = ModelsDialog(parent)
        dialog.pull_requested.connect(self.pull)
        dialog.pull_cancelled.connect(lambda: self.tasks.cancel("pull"))
        dialog.delete_requested.connect(self.delete)
        dialog.cloud_model_chosen.connect(self._cloud_model_chosen)
        dialog.claude_env_requested.connect(self.claude_env)
        dialog.claude_launch_requested.connect(self.claude_launch)
        dialog.finished.connect(lambda _: self.tasks.cancel("pull"))
        self.dialog = dialog
        dialog.open()
        self.refresh()
        return dialog

    def _cloud_model_chosen(self, name: str) -> None:
        self._on_cloud_model_chosen(name)
        text = self.tr("Answers are now written by %1 in Ollama Cloud.")
        self.channel.info(text.replace("%1", name))

    def refresh(self) -> None:
        async def run() -> None:
            s = self.services
            assert s is not None and self.dialog is not None
            self.dialog.show_popular(popular_models(), [])
            try:
                installed = await s.local.list_models()
                self.dialog.show_popular(popular_models(), [m.name for m in installed])
                self.dialog.show_installed(installed)
                self.dialog.show_installed(await self._with_context(installed))
            except AppError as exc:
                self.dialog.show_installed([], " ".join(describe(exc)).strip())
            if s.cloud is None:
                self.dialog.show_catalogue(
                    [], self.tr("Add an Ollama Cloud API key in Settings to see the catalogue.")
                )
                return
            try:
                self.dialog.show_catalogue(await s.cloud.list_models())
            except AppError as exc:
                self.dialog.show_catalogue([], " ".join(describe(exc)).strip())

        self.start("models", run)

    async def _with_context(self, models: list[ModelInfo]) -> list[ModelInfo]:
        """Fill in each model's context length (only `/api/show` reports it)."""
        assert self.services is not None
        filled = []
        for model in models:
            details = await self.services.local.show(model.name)
            filled.append(dataclasses.replace(model, context_length=details.context_length))
        return filled

    def pull(self, name: str) -> None:
        async def run() -> None:
            s = self.services
            assert s is not None and self.dialog is not None
            dialog = self.dialog
            dialog.pull_started(name)
            try:
                async for progress in s.local.pull(name):
                    dialog.pull_progress(progress)
            except AppError as exc:
                dialog.pull_finished(describe(exc)[0])
                raise
            except BaseException:
                dialog.pull_finished(self.tr("Pull cancelled."))
                raise
            dialog.pull_finished(self.tr("%1 is ready.").replace("%1", name), complete=True)
            self.refresh()
            self._on_models_changed()

        self.start("pull", run)

    def delete(self, name: str) -> None:
        assert self.dialog is not None
        answer = QMessageBox.question(
            self.dialog,
            self.tr("Delete model"),
            self.tr("Delete %1 from this computer?").replace("%1", name),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return

        async def run() -> None:
            assert self.services is not None
            await self.services.local.delete(name)
            self.refresh()
            self._on_models_changed()

        self.start("delete-model", run)

    def _hearth(self, *args: str) -> QProcess:
        """A `hearth` child process on this window's data folder and local server."""
        assert self.services is not None
        process = QProcess(self)
        env = QProcessEnvironment.systemEnvironment()
        env.insert("OLLAMA_HOST", self.services.local.base_url)
        process.setProcessEnvironment(env)
        program, *prefix = hearth_command()
        process.setProgram(program)
        data_dir = str(self.services.ctx.paths.data_dir)
        process.setArguments([*prefix, "--data-dir", data_dir, *args])
        return process

    def claude_env(self, model: str) -> None:
        """Show the environment that points Claude Code at the model (what
        `hearth claude-env` prints), and the command Launch runs."""
        if not model or self.dialog is None:
            return
        dialog = self.dialog
        tools = dialog.claude_mcp.isChecked()
        launch = " ".join(["hearth", *self.claude_arguments(model, tools)])

        async def run() -> None:
            assert self.services is not None
            try:
                text = await self.services.claude_environment(model, with_tools=tools)
            except AppError as exc:
                dialog.show_claude_env(" ".join(describe(exc)).strip())
                return
            command = "# " + self.tr("Launch runs: %1").replace("%1", launch) + "\n"
            dialog.show_claude_env(command + text)

        self.start("claude-env", run)

    @staticmethod
    def claude_arguments(model: str, tools: bool) -> list[str]:
        """The `hearth` arguments that launch Claude Code (with Hearth's tools or not)."""
        return ["claude", "--model", model, *([] if tools else ["--no-mcp"])]

    def claude_launch(self, model: str) -> None:
        if not model or self.dialog is None:
            return
        folder = QFileDialog.getExistingDirectory(self.dialog, self.tr("Launch Claude Code in"))
        if not folder:
            return
        process = self._hearth(*self.claude_arguments(model, self.dialog.claude_mcp.isChecked()))
        process.setWorkingDirectory(folder)
        started, _pid = process.startDetached()
        process.deleteLater()
        if not started:
            self.channel.info(self.tr("Claude Code could not be started."))
