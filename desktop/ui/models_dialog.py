"""The Models dialog: pull, browse and delete models, and the Claude Code panel."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.model_catalogue import CatalogueModel
from desktop.core.models import ModelInfo, PullProgress
from desktop.core.units import human_bytes
from desktop.ui.theme import muted_label, name_combo


class ModelsDialog(QDialog):
    """Installed models, popular models to pull, pulls with progress, the cloud catalogue
    and Claude Code.

    Signals:
        pull_requested(str), pull_cancelled, delete_requested(str).
        cloud_model_chosen(str): answer with this cloud catalogue model.
        claude_env_requested(str): show Claude Code's environment for a model.
        claude_launch_requested(str): launch Claude Code with a model (a folder is asked).
    """

    pull_requested = Signal(str)
    pull_cancelled = Signal()
    delete_requested = Signal(str)
    cloud_model_chosen = Signal(str)
    claude_env_requested = Signal(str)
    claude_launch_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Models"))
        self.resize(760, 560)
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        # The pages take focus (it goes on to their tabs): a screen reader says this name.
        self.tabs.setAccessibleName(self.tr("Model sections"))
        self.tabs.addTab(self._local_page(), self.tr("On this computer"))
        self.tabs.addTab(self._popular_page(), self.tr("Popular models"))
        self.tabs.addTab(self._cloud_page(), self.tr("Ollama Cloud"))
        self.tabs.addTab(self._claude_page(), self.tr("Claude Code"))
        layout.addWidget(self.tabs)
        # A pull's progress shows under every tab: one may be started from two of them.
        for widget in (self.pull_bar, self.pull_status, self.layers):
            widget.hide()
            layout.addWidget(widget)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Close"))
        close.rejected.connect(self.reject)
        layout.addWidget(close)

    def _model_tree(self) -> QTreeWidget:
        tree = QTreeWidget()
        tree.setHeaderLabels(
            [
                self.tr("Name"),
                self.tr("Size"),
                self.tr("Parameters"),
                self.tr("Quantisation"),
                self.tr("Context"),
            ]
        )
        tree.setRootIsDecorated(False)
        tree.setColumnWidth(0, 240)
        return tree

    def _local_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.installed = self._model_tree()
        self.installed.setAccessibleName(self.tr("Installed models"))
        layout.addWidget(self.installed, 1)
        self.local_note = muted_label()
        layout.addWidget(self.local_note)
        row = QHBoxLayout()
        self.delete_button = QPushButton(self.tr("Delete…"))
        self.delete_button.clicked.connect(self._on_delete_clicked)
        row.addWidget(self.delete_button)
        row.addStretch(1)
        self.pull_name = QLineEdit()
        self.pull_name.setPlaceholderText(self.tr("Model name, e.g. llama3.2"))
        self.pull_name.setAccessibleName(self.tr("Model to pull"))
        self.pull_button = QPushButton(self.tr("Pull"))
        self.pull_button.clicked.connect(self._on_pull_clicked)
        self.pull_cancel = QPushButton(self.tr("Cancel"))
        self.pull_cancel.setAccessibleName(self.tr("Cancel the pull"))
        self.pull_cancel.clicked.connect(self.pull_cancelled)
        self.pull_cancel.setEnabled(False)
        row.addWidget(self.pull_name, 2)
        row.addWidget(self.pull_button)
        row.addWidget(self.pull_cancel)
        layout.addLayout(row)
        self.pull_bar = QProgressBar()
        self.pull_bar.setAccessibleName(self.tr("Pull progress"))
        self.pull_status = muted_label()
        self.layers = QTreeWidget()
        self.layers.setHeaderLabels([self.tr("Layer"), self.tr("Progress")])
        self.layers.setRootIsDecorated(False)
        self.layers.setAccessibleName(self.tr("Pull progress by layer"))
        self.layers.setMaximumHeight(100)
        self.layers.setColumnWidth(0, 160)
        return page

    def _popular_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.popular = QTreeWidget()
        self.popular.setHeaderLabels(
            [
                self.tr("Name"),
                self.tr("Download"),
                self.tr("Parameters"),
                self.tr("Context"),
                self.tr("What it is for"),
            ]
        )
        self.popular.setRootIsDecorated(False)
        self.popular.setColumnWidth(0, 170)
        self.popular.setColumnWidth(1, 80)
        self.popular.setColumnWidth(2, 80)
        self.popular.setColumnWidth(3, 70)
        self.popular.setAccessibleName(self.tr("Popular models to pull"))
        self.popular.currentItemChanged.connect(lambda *_: self._show_popular_choice())
        self.popular.itemDoubleClicked.connect(lambda *_: self._on_pull_popular_clicked())
        layout.addWidget(self.popular, 1)
        row = QHBoxLayout()
        self.popular_note = muted_label(
            self.tr(
                "Sizes as the Ollama library lists them. Embedding models search documents "
                "(Settings, Answers, Embedding model) and cannot write answers."
            )
        )
        row.addWidget(self.popular_note, 1)
        self.pull_popular_button = QPushButton(self.tr("Pull"))
        self.pull_popular_button.setObjectName("Primary")
        self.pull_popular_button.setEnabled(False)
        self.pull_popular_button.clicked.connect(self._on_pull_popular_clicked)
        row.addWidget(self.pull_popular_button)
        layout.addLayout(row)
        return page

    def _use_text(self, use: str) -> str:
        return {
            "small": self.tr("Answers on modest computers; small and quick"),
            "general": self.tr("Good all-round answers; needs about 8 GB of memory"),
            "reasoning": self.tr("Thinks step by step before answering; slower"),
            "large": self.tr("The best answers; needs a strong GPU or 16 GB or more"),
            "code": self.tr("Writing and explaining code"),
            "vision": self.tr("Answers, and reads pictures too"),
            "embedding": self.tr("Embedding model, for search: cannot write answers"),
        }[use]

    def show_popular(self, models: Sequence[CatalogueModel], installed: Collection[str]) -> None:
        """The catalogue to pull from, each model marked once it is on this computer."""
        current = self.popular.currentItem()
        chosen = current.text(0) if current is not None else ""
        self.popular.clear()
        have = {name.removesuffix(":latest") for name in installed}
        for m in models:
            use = self._use_text(m.use)
            if m.name.removesuffix(":latest") in have:
                use = self.tr("Installed") + " · " + use
            item = QTreeWidgetItem([m.name, m.size, m.parameters, f"{m.context:,}", use])
            item.setData(0, Qt.ItemDataRole.UserRole, m.name)
            item.setToolTip(4, use)
            if m.embedding:
                font = item.font(0)
                font.setItalic(True)
                item.setFont(0, font)
            self.popular.addTopLevelItem(item)
            if m.name == chosen:
                self.popular.setCurrentItem(item)
        self._show_popular_choice()

    def _show_popular_choice(self) -> None:
        item = self.popular.currentItem()
        pulling = not self.pull_button.isEnabled()
        self.pull_popular_button.setEnabled(item is not None and not pulling)
        name = item.text(0) if item is not None else ""
        label = self.tr("Pull %1").replace("%1", name) if name else self.tr("Pull")
        self.pull_popular_button.setText(label)
        self.pull_popular_button.setAccessibleName(label)

    def _on_pull_popular_clicked(self) -> None:
        item = self.popular.currentItem()
        if item is not None and self.pull_button.isEnabled():
            self.pull_requested.emit(str(item.data(0, Qt.ItemDataRole.UserRole)))

    def _cloud_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.catalogue = self._model_tree()
        self.catalogue.setAccessibleName(self.tr("Cloud models"))
        self.use_cloud_button = QPushButton(self.tr("Answer with this model"))
        self.use_cloud_button.setObjectName("Primary")
        self.use_cloud_button.setEnabled(False)
        self.use_cloud_button.clicked.connect(self._on_use_cloud_clicked)
        self.catalogue.itemDoubleClicked.connect(lambda *_: self._on_use_cloud_clicked())
        self.catalogue.currentItemChanged.connect(
            lambda item, _old: self.use_cloud_button.setEnabled(item is not None)
        )
        layout.addWidget(self.catalogue, 1)
        row = QHBoxLayout()
        self.cloud_note = muted_label()
        row.addWidget(self.cloud_note, 1)
        row.addWidget(self.use_cloud_button)
        layout.addLayout(row)
        return page

    def _on_use_cloud_clicked(self) -> None:
        item = self.catalogue.currentItem()
        if item is not None:
            self.cloud_model_chosen.emit(item.text(0))

    def _claude_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(
            muted_label(
                self.tr(
                    "Claude Code can write code with an Ollama model instead of Anthropic's. "
                    "Choose a model, copy the environment into a terminal, or launch it here."
                )
            )
        )
        row = QHBoxLayout()
        self.claude_model = QComboBox()
        self.claude_model.setEditable(True)
        name_combo(self.claude_model, self.tr("Model for Claude Code"))
        line = self.claude_model.lineEdit()
        if line is not None:
            line.setAccessibleName(self.tr("Model for Claude Code"))
        self.claude_show = QPushButton(self.tr("Show environment"))
        self.claude_show.clicked.connect(
            lambda: self.claude_env_requested.emit(self.claude_model.currentText())
        )
        row.addWidget(self.claude_model, 1)
        row.addWidget(self.claude_show)
        layout.addLayout(row)
        self.claude_mcp = QCheckBox(
            self.tr("Let Claude Code search my documents (Hearth's tools, over MCP)")
        )
        self.claude_mcp.setChecked(True)
        self.claude_mcp.setAccessibleName(self.tr("Give Claude Code the knowledge-base tools"))
        self.claude_mcp.toggled.connect(
            lambda _: self.claude_env_requested.emit(self.claude_model.currentText())
        )
        layout.addWidget(self.claude_mcp)
        self.claude_env = QPlainTextEdit()
        self.claude_env.setReadOnly(True)
        self.claude_env.setAccessibleName(self.tr("Claude Code environment"))
        layout.addWidget(self.claude_env, 1)
        row = QHBoxLayout()
        copy = QPushButton(self.tr("Copy"))
        copy.clicked.connect(
            lambda: QGuiApplication.clipboard().setText(self.claude_env.toPlainText())
        )
        launch = QPushButton(self.tr("Launch in folder…"))
        launch.setObjectName("Primary")
        launch.clicked.connect(
            lambda: self.claude_launch_requested.emit(self.claude_model.currentText())
        )
        row.addStretch(1)
        row.addWidget(copy)
        row.addWidget(launch)
        layout.addLayout(row)
        return page

    @staticmethod
    def _fill(tree: QTreeWidget, models: list[ModelInfo]) -> None:
        tree.clear()
        for m in models:
            context = f"{m.context_length:,}" if m.context_length else ""
            item = QTreeWidgetItem(
                [
                    m.name,
                    human_bytes(m.size) if m.size else "",
                    m.parameter_size,
                    m.quantization,
                    context,
                ]
            )
            tree.addTopLevelItem(item)

    def show_installed(self, models: list[ModelInfo], note: str = "") -> None:
        self._fill(self.installed, models)
        self.local_note.setText(note)
        names = [m.name for m in models]
        current = self.claude_model.currentText()
        self.claude_model.clear()
        self.claude_model.addItems(names)
        if current:
            self.claude_model.setCurrentText(current)

    def show_catalogue(self, models: list[ModelInfo], note: str = "") -> None:
        self._fill(self.catalogue, models)
        self.cloud_note.setText(note)

    def pull_started(self, name: str) -> None:
        self.pull_button.setEnabled(False)
        self.pull_popular_button.setEnabled(False)
        self.pull_cancel.setEnabled(True)
        self.layers.clear()
        self.pull_bar.setRange(0, 0)
        self.pull_status.setText(self.tr("Pulling %1…").replace("%1", name))
        for widget in (self.pull_bar, self.pull_status, self.layers):
            widget.show()

    def pull_progress(self, progress: PullProgress) -> None:
        if progress.total:
            self.pull_bar.setRange(0, 1000)
            self.pull_bar.setValue(int(progress.fraction * 1000))
        parts = [self._pull_step(progress.status)]
        if progress.bytes_per_second:
            parts.append(human_bytes(int(progress.bytes_per_second)) + "/s")
        if progress.seconds_left is not None:
            parts.append(self.tr("%1 s left").replace("%1", f"{progress.seconds_left:.0f}"))
        self.pull_status.setText(" · ".join(parts))
        self.layers.clear()
        for layer in progress.layers.values():
            done = f"{human_bytes(layer.completed)} / {human_bytes(layer.total)}"
            digest = layer.digest.removeprefix("sha256:")[:12]
            self.layers.addTopLevelItem(QTreeWidgetItem([digest, done]))

    def _pull_step(self, status: str) -> str:
        """Ollama's status line as a step in the window's language ("pulling 4f2a…" is
        "Downloading": the layers' ids are listed below); a line it does not know is
        shown as the server wrote it."""
        steps = {
            "pulling manifest": self.tr("Fetching the model's description"),
            "verifying sha256 digest": self.tr("Checking the download"),
            "writing manifest": self.tr("Saving the model"),
            "removing unused layers": self.tr("Removing files no longer used"),
            "success": self.tr("Done"),
        }
        if status in steps:
            return steps[status]
        if status.startswith("pulling "):
            return self.tr("Downloading")
        return status

    def pull_finished(self, text: str, *, complete: bool = False) -> None:
        """The pull ended: a full bar only when it `complete`d; a failed or cancelled
        pull keeps the share it reached."""
        self.pull_button.setEnabled(True)
        self.pull_cancel.setEnabled(False)
        self._show_popular_choice()
        if complete:
            self.pull_bar.setRange(0, 1)
            self.pull_bar.setValue(1)
        elif self.pull_bar.maximum() == 0:  # still "busy": nothing was downloaded
            self.pull_bar.setRange(0, 1)
            self.pull_bar.setValue(0)
        self.pull_status.setText(text)

    def show_claude_env(self, text: str) -> None:
        self.claude_env.setPlainText(text)

    def _on_pull_clicked(self) -> None:
        name = self.pull_name.text().strip()
        if name:
            self.pull_requested.emit(name)

    def _on_delete_clicked(self) -> None:
        item = self.installed.currentItem()
        if item is not None:
            self.delete_requested.emit(item.text(0))
