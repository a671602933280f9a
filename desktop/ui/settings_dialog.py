"""The Settings dialog: answers, connections, appearance and privacy."""

from __future__ import annotations

import re

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSpacerItem,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.core.models import ServerStatus
from desktop.core.privacy import is_loopback_url
from desktop.core.settings import Settings
from desktop.ui.theme import muted_label, name_combo

LANGUAGES = [("system", "System"), ("en", "English"), ("ru", "Русский"), ("zh_CN", "简体中文")]


class SettingsDialog(QDialog):
    """Every setting a person can change, on four pages.

    Signals:
        test_local(str): test the local server at that URL.
        test_cloud(str): test the cloud with the key typed in ("" for the stored one).
        save_key(str): store this API key in the keyring ("" removes it).
        settings_saved(object): the edited `Settings`, when OK is pressed.
    """

    test_local = Signal(str)
    test_cloud = Signal(str)
    save_key = Signal(str)
    settings_saved = Signal(object)

    def __init__(
        self,
        settings: Settings,
        data_dir: str,
        key_source: str,
        local_url: str,
        parent: QWidget | None = None,
        *,
        url_from: str = "",
    ) -> None:
        """`url_from` names the environment variable that sets the local server's address
        ("" when the address saved here is used)."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self._effective_url = local_url
        self._url_from = url_from
        self.resize(620, 520)
        self._settings = settings.model_copy(deep=True)
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        # The pages take focus (it goes on to their tabs): a screen reader says this name.
        self.tabs.setAccessibleName(self.tr("Settings sections"))
        self.tabs.addTab(self._connections_page(key_source), self.tr("Connections"))
        self.tabs.addTab(self._answers_page(), self.tr("Answers"))
        self.tabs.addTab(self._privacy_page(data_dir), self.tr("Privacy and data"))
        self.tabs.addTab(self._appearance_page(), self.tr("Appearance"))
        layout.addWidget(self.tabs)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Save"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        buttons.accepted.connect(self._on_accepted)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _connections_page(self, key_source: str) -> QWidget:
        s = self._settings.provider
        page = QWidget()
        layout = QVBoxLayout(page)
        local = QGroupBox(self.tr("Local Ollama server"))
        form = QFormLayout(local)
        self.local_url = QLineEdit(self._effective_url)
        self.local_url.setAccessibleName(self.tr("Local server URL"))
        form.addRow(self.tr("URL"), self.local_url)
        self.url_source = muted_label()
        if self._url_from:
            # The environment decides the address: editing it here would change nothing.
            self.local_url.setReadOnly(True)
            self.url_source.setText(
                self.tr(
                    "Set by %1 in the environment Hearth was started from; remove it there "
                    "to choose the address here."
                ).replace("%1", self._url_from)
            )
            form.addRow(self.url_source)
        self.remote_warning = muted_label()
        self.remote_warning.setWordWrap(True)
        form.addRow(self.remote_warning)
        self.local_url.textChanged.connect(self._update_remote_warning)
        self._update_remote_warning(self.local_url.text())
        row = QHBoxLayout()
        self.test_local_button = QPushButton(self.tr("Test connection"))
        self.test_local_button.clicked.connect(
            lambda: self.test_local.emit(self.local_url.text().strip())
        )
        self.local_result = muted_label()
        row.addWidget(self.test_local_button)
        row.addWidget(self.local_result, 1)
        form.addRow(row)
        layout.addWidget(local)

        self.cloud_group = cloud = QGroupBox(self.tr("Ollama Cloud"))
        form = QFormLayout(cloud)
        self.cloud_enabled = QCheckBox(self.tr("Allow answers from Ollama Cloud"))
        self.cloud_enabled.setChecked(s.cloud_enabled)
        form.addRow(self.cloud_enabled)
        self.api_key = QLineEdit()
        self.api_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.api_key.setPlaceholderText(self.tr("Paste a key from ollama.com/settings/keys"))
        self.api_key.setAccessibleName(self.tr("Cloud API key"))
        form.addRow(self.tr("API key"), self.api_key)
        self.key_source = muted_label("")
        self.key_source.setWordWrap(True)
        self._key_source = key_source
        self._show_key_source()
        form.addRow(self.key_source)
        # Beside the key it is about: "Save key" on a system without a keyring uses it at
        # once (it was on another page, and took effect only after the dialog's Save).
        self.key_file = QCheckBox(self.tr("Without a keyring, keep the API key in a private file"))
        self.key_file.setChecked(self._settings.secrets.allow_file_fallback)
        form.addRow(self.key_file)
        row = QHBoxLayout()
        self.save_key_button = QPushButton(self.tr("Save key"))
        self.save_key_button.clicked.connect(lambda: self.save_key.emit(self.api_key.text()))
        self.test_cloud_button = QPushButton(self.tr("Test connection"))
        self.test_cloud_button.setAccessibleName(self.tr("Test cloud connection"))
        self.test_cloud_button.clicked.connect(
            lambda: self.test_cloud.emit(self.api_key.text().strip())
        )
        self.cloud_result = muted_label()
        row.addWidget(self.save_key_button)
        row.addWidget(self.test_cloud_button)
        row.addWidget(self.cloud_result, 1)
        form.addRow(row)
        layout.addWidget(cloud)

        policy = QGroupBox(self.tr("Where answers are written"))
        form = QFormLayout(policy)
        self.mode = QComboBox()
        for value, label in (
            ("auto", self.tr("Auto: local when it has the model, else the cloud")),
            ("local", self.tr("Local only")),
            ("cloud", self.tr("Cloud only")),
        ):
            self.mode.addItem(label, value)
        self.mode.setCurrentIndex(max(0, self.mode.findData(s.mode)))
        name_combo(self.mode, self.tr("Where answers are written"))
        form.addRow(self.tr("Answers"), self.mode)
        layout.addWidget(policy)
        layout.addStretch(1)
        return page

    def _update_remote_warning(self, url: str) -> None:
        """Say so when the "local" server is another machine: questions and passages go there."""
        if is_loopback_url(url):
            self.remote_warning.clear()
            self.remote_warning.setVisible(False)
            return
        if url.strip().lower().startswith("https://"):
            text = self.tr(
                "This server is not on this computer: your questions and passages from your "
                "documents are sent to it (encrypted, https)."
            )
        else:
            text = self.tr(
                "This server is not on this computer: your questions and passages from your "
                "documents travel to it unencrypted. Use https, or a server on this computer."
            )
        self.remote_warning.setText(text)
        self.remote_warning.setVisible(True)

    def _answers_page(self) -> QWidget:
        s = self._settings
        page = QWidget()
        form = QFormLayout(page)
        self.chat_model = QLineEdit(s.provider.chat_model)
        self.chat_model.setAccessibleName(self.tr("Local chat model"))
        form.addRow(self.tr("Local chat model"), self.chat_model)
        self.cloud_model = QLineEdit(s.provider.cloud_model)
        self.cloud_model.setAccessibleName(self.tr("Cloud chat model"))
        form.addRow(self.tr("Cloud chat model"), self.cloud_model)
        self.embedder = QLineEdit(s.embedding.embedder)
        self.embedder.setAccessibleName(self.tr("Embedding model"))
        form.addRow(self.tr("Embedding model"), self.embedder)
        form.addRow(
            muted_label(
                self.tr(
                    '"builtin" works offline; "ollama:bge-m3" uses a local Ollama model; '
                    '"onnx:/path/to/folder" uses an ONNX model folder. '
                    "After a change, every knowledge base is re-embedded in the background; "
                    "searches use the old vectors until it is done."
                )
            )
        )
        self.top_k = QSpinBox()
        self.top_k.setRange(1, 100)
        self.top_k.setValue(s.retrieval.top_k)
        form.addRow(self.tr("Passages per answer"), self.top_k)
        self.mmr = QCheckBox(self.tr("Prefer diverse passages"))
        self.mmr.setChecked(s.retrieval.use_mmr)
        form.addRow(self.mmr)
        self.chunk_tokens = QSpinBox()
        self.chunk_tokens.setRange(64, 4096)
        self.chunk_tokens.setValue(s.retrieval.chunk_tokens)
        form.addRow(self.tr("Chunk size (tokens)"), self.chunk_tokens)
        self.chunk_overlap = QSpinBox()
        self.chunk_overlap.setRange(0, 1024)
        self.chunk_overlap.setValue(s.retrieval.chunk_overlap)
        form.addRow(self.tr("Chunk overlap (tokens)"), self.chunk_overlap)
        self.ocr = QCheckBox(self.tr("Read scans and pictures of pages (OCR)"))
        self.ocr.setChecked(s.reading.ocr)
        form.addRow(self.ocr)
        form.addRow(
            muted_label(
                self.tr(
                    "Scanned PDF pages and pictures (PNG, JPEG, TIFF, WebP) are read offline "
                    "in English, Russian and Chinese, a few seconds a page. Off: they are "
                    "left out. Applies to files indexed from now on."
                )
            )
        )
        self.read_seconds = QSpinBox()
        self.read_seconds.setRange(1, 3600)
        self.read_seconds.setSuffix(self.tr(" s"))
        self.read_seconds.setValue(round(s.reading.time_limit_s))
        form.addRow(self.tr("Time limit per file"), self.read_seconds)
        self.read_megabytes = QSpinBox()
        self.read_megabytes.setRange(128, 65536)
        self.read_megabytes.setSingleStep(256)
        self.read_megabytes.setSuffix(self.tr(" MB"))
        self.read_megabytes.setValue(s.reading.memory_limit_mb)
        form.addRow(self.tr("Memory limit per file"), self.read_megabytes)
        form.addRow(
            muted_label(
                self.tr(
                    "A file whose reading takes longer or uses more memory is stopped and "
                    "marked as failed; the other files go on."
                )
            )
        )
        return page

    def _privacy_page(self, data_dir: str) -> QWidget:
        s = self._settings
        page = QWidget()
        form = QFormLayout(page)
        self.scrub = QCheckBox(self.tr("Remove personal data from text sent to the cloud"))
        self.scrub.setChecked(s.privacy.scrub_cloud_text)
        form.addRow(self.scrub)
        self.patterns = QPlainTextEdit("\n".join(s.privacy.custom_patterns))
        self.patterns.setAccessibleName(self.tr("Extra patterns to remove"))
        self.patterns.setFixedHeight(80)
        form.addRow(self.tr("Extra patterns (one per line)"), self.patterns)
        # A read-only line, as tall as its label: a long path scrolls in it instead of
        # wrapping into a block that floats beside its label.
        self.data_location = QLineEdit(data_dir)
        self.data_location.setReadOnly(True)
        self.data_location.setCursorPosition(0)
        self.data_location.setAccessibleName(self.tr("Data location"))
        form.addRow(self.tr("Data location"), self.data_location)
        form.addRow(
            muted_label(self.tr("Documents, the index and conversations stay in this folder."))
        )
        # The page's spare height goes below the rows (the note above grew to take it, its
        # line floating half a page under the data location it is about).
        form.addItem(QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding))
        return page

    def _appearance_page(self) -> QWidget:
        s = self._settings.ui
        page = QWidget()
        form = QFormLayout(page)
        self.theme = QComboBox()
        for value, label in (
            ("system", self.tr("Follow the system")),
            ("light", self.tr("Light")),
            ("dark", self.tr("Dark")),
        ):
            self.theme.addItem(label, value)
        self.theme.setCurrentIndex(max(0, self.theme.findData(s.theme)))
        name_combo(self.theme, self.tr("Theme"))
        form.addRow(self.tr("Theme"), self.theme)
        self.language = QComboBox()
        for value, label in LANGUAGES:
            self.language.addItem(self.tr("System") if value == "system" else label, value)
        self.language.setCurrentIndex(max(0, self.language.findData(s.language)))
        name_combo(self.language, self.tr("Language"))
        form.addRow(self.tr("Language"), self.language)
        return page

    def show_local_result(self, status: ServerStatus | None, error: str = "") -> None:
        if status is not None and status.reachable:
            self.local_result.setText(
                self.tr("Connected: Ollama %1, %2 ms, %n models", "", status.model_count)
                .replace("%1", status.version)
                .replace("%2", f"{status.latency_ms:.0f}")
            )
        else:
            self.local_result.setText(error or self.tr("Not reachable"))

    def show_cloud_result(self, text: str) -> None:
        self.cloud_result.setText(text)

    def show_key_source(self, source: str) -> None:
        self.api_key.clear()
        self._key_source = source
        self._show_key_source()

    def _show_key_source(self) -> None:
        self.key_source.setText(
            self.tr("Current key: %1").replace("%1", self._key_source_words(self._key_source))
        )

    def _key_source_words(self, source: str) -> str:
        """Where the key is kept, in the language shown (the secret store says it in
        English; a path or a keyring's name is kept as it is)."""
        fixed = {
            "the OLLAMA_API_KEY environment variable": self.tr(
                "the OLLAMA_API_KEY environment variable"
            ),
            "no API key is set": self.tr("no API key is set"),
            "no secure keyring on this system": self.tr("no secure keyring on this system"),
        }
        if source in fixed:
            return fixed[source]
        keyring = re.fullmatch(r"the system keyring \((.*)\)", source)
        if keyring:
            return self.tr("the system keyring (%1)").replace("%1", keyring.group(1))
        key_file = re.fullmatch(r"the key file (\S.*?)( \(readable only by you\)\..*)?", source)
        if key_file:
            words = self.tr("the key file %1").replace("%1", key_file.group(1))
            if key_file.group(2):
                words += " " + self.tr(
                    "(readable only by you). Warning: a file is less safe than a system "
                    "keyring; anyone who can use your account can read it."
                )
            return words
        return source

    def edited(self) -> Settings:
        s = self._settings.model_copy(deep=True)
        url = self.local_url.text().strip()
        if url and url != self._effective_url and not self._url_from:
            s.provider.local_url = url
        s.provider.cloud_enabled = self.cloud_enabled.isChecked()
        s.provider.mode = self.mode.currentData()
        s.provider.chat_model = self.chat_model.text().strip()
        s.provider.cloud_model = self.cloud_model.text().strip()
        s.embedding.embedder = self.embedder.text().strip() or "builtin"
        s.retrieval.top_k = self.top_k.value()
        s.retrieval.use_mmr = self.mmr.isChecked()
        s.reading.ocr = self.ocr.isChecked()
        s.retrieval.chunk_tokens = self.chunk_tokens.value()
        s.retrieval.chunk_overlap = self.chunk_overlap.value()
        s.reading.time_limit_s = self.read_seconds.value()
        s.reading.memory_limit_mb = self.read_megabytes.value()
        s.privacy.scrub_cloud_text = self.scrub.isChecked()
        s.privacy.custom_patterns = [
            p.strip() for p in self.patterns.toPlainText().splitlines() if p.strip()
        ]
        s.secrets.allow_file_fallback = self.key_file.isChecked()
        s.ui.theme = self.theme.currentData()
        s.ui.language = self.language.currentData()
        return s

    def _on_accepted(self) -> None:
        self.settings_saved.emit(self.edited())
        self.accept()
