"""The top bar: where answers run, the model picker and the connection state."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QPaintEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStyle,
    QStyleOptionComboBox,
    QStylePainter,
    QWidget,
)

from desktop.core.models import ServerStatus
from desktop.ui.theme import Colors, name_combo


@dataclass(frozen=True)
class ModelChoice:
    """One model the picker offers, and where its answers are written.

    `where` is "local" (this computer), "cloud" (Ollama Cloud with the API key) or
    "through-local" (a `:cloud` name the signed-in local server sends to Ollama Cloud).
    """

    name: str
    where: str


# Where a choice's answers run, in words, kept whole when its name is shortened.
WHERE_ROLE = Qt.ItemDataRole.UserRole + 1
SEPARATOR = "  ·  "
# The fewest characters of a model's name worth showing beside where it runs.
MIN_NAME_CHARS = 8


class ModelPicker(QComboBox):
    """A combo box for model names: as wide as its longest choice (up to `WIDEST`), never
    narrower than `NARROWEST`; when the bar has less room, the name is shortened in the
    middle (the tag after the colon stays) while where it runs stays whole, and the
    tooltip gives both in full. The list opens wide enough for every name."""

    WIDEST = 420
    NARROWEST = 150

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        hint = super().sizeHint()
        return QSize(max(self.NARROWEST, min(hint.width(), self.WIDEST)), hint.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(self.NARROWEST, super().minimumSizeHint().height())

    def shown_text(self) -> str:
        """The text the closed picker shows in its present width: its model, or with none,
        its placeholder (what to do)."""
        option = self._label_option()
        field = self.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox,
            option,
            QStyle.SubControl.SC_ComboBoxEditField,
            self,
        )
        return self._fitted(option.currentText, field.width())

    def _fitted(self, text: str, width: int) -> str:
        metrics = self.fontMetrics()
        if metrics.horizontalAdvance(text) <= width:
            return text
        where = self.currentData(WHERE_ROLE) if self.currentIndex() >= 0 else None
        if not where:
            return metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
        tail = SEPARATOR + str(where)
        name = text.removesuffix(tail)
        room = width - metrics.horizontalAdvance(tail)
        if room < metrics.horizontalAdvance(name[:MIN_NAME_CHARS] + "…"):
            # Too narrow for both: the name is what a person picks by; where it runs
            # stays in the tooltip and in the servers' dots beside the picker.
            return metrics.elidedText(name, Qt.TextElideMode.ElideMiddle, width)
        return metrics.elidedText(name, Qt.TextElideMode.ElideMiddle, room) + tail

    def _label_option(self) -> QStyleOptionComboBox:
        """The style option the closed picker is drawn with; with nothing chosen it carries
        the placeholder in the placeholder colour, as QComboBox's own painting does (an
        overridden paintEvent must do it itself, or the box is drawn empty)."""
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        if self.currentIndex() < 0 and self.placeholderText():
            option.currentText = self.placeholderText()
            option.palette.setBrush(QPalette.ColorRole.ButtonText, option.palette.placeholderText())
        return option

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QStylePainter(self)
        option = self._label_option()
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        option.currentText = self.shown_text()
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)

    def fit_list(self) -> None:
        """Open the list wide enough for its longest entry."""
        view = self.view()
        view.setMinimumWidth(
            view.sizeHintForColumn(0) + view.verticalScrollBar().sizeHint().width()
        )


class TopBar(QWidget):
    """Provider switch with live status, and the model picker.

    Signals:
        mode_changed(str): "local", "cloud" or "auto".
        model_chosen(str, str): a model name from the picker and where it runs
            (see `ModelChoice`).
        models_requested: the Models button.
        settings_requested: the Settings button.
    """

    mode_changed = Signal(str)
    model_chosen = Signal(str, str)
    models_requested = Signal()
    settings_requested = Signal()

    def __init__(self, colors: Colors, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TopBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._colors = colors
        self._statuses: dict[str, tuple[ServerStatus | None, str]] = {}
        self._choices: list[ModelChoice] = []
        self._current: ModelChoice | None = None
        self._setup_ui()

    def _setup_ui(self) -> None:
        self._layout = layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 8, 16, 8)
        layout.setSpacing(8)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.mode_buttons: dict[str, QPushButton] = {}
        labels = {"local": self.tr("Local"), "cloud": self.tr("Cloud"), "auto": self.tr("Auto")}
        for mode, label in labels.items():
            button = QPushButton(label)
            button.setCheckable(True)
            button.setAccessibleName(self.tr("Answer with: %1").replace("%1", label))
            button.clicked.connect(lambda _=False, m=mode: self.mode_changed.emit(m))
            self.group.addButton(button)
            self.mode_buttons[mode] = button
            layout.addWidget(button)
        layout.addSpacing(8)
        self.local_status = QLabel()
        self.local_status.setObjectName("StatusDot")
        self.cloud_status = QLabel()
        self.cloud_status.setObjectName("StatusDot")
        layout.addWidget(self.local_status)
        layout.addWidget(self.cloud_status)
        layout.addStretch(1)
        self.model_label = model_label = QLabel(self.tr("Model"))
        model_label.setObjectName("Muted")
        layout.addWidget(model_label)
        self.model_picker = ModelPicker()
        name_combo(self.model_picker, self.tr("Model (Ctrl+K)"))
        self.model_picker.setToolTip(self.tr("Model (Ctrl+K)"))
        self.model_picker.activated.connect(self._on_model_picker_activated)
        model_label.setBuddy(self.model_picker)
        layout.addWidget(self.model_picker)
        self.models_button = QPushButton(self.tr("Models"))
        self.models_button.clicked.connect(self.models_requested)
        self.settings_button = QPushButton(self.tr("Settings"))
        self.settings_button.clicked.connect(self.settings_requested)
        layout.addWidget(self.models_button)
        layout.addWidget(self.settings_button)
        self.show_status("local", None)
        self.show_status("cloud", None)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        """Set every text again in the language just installed."""
        labels = {"local": self.tr("Local"), "cloud": self.tr("Cloud"), "auto": self.tr("Auto")}
        for mode, label in labels.items():
            self.mode_buttons[mode].setText(label)
            self.mode_buttons[mode].setAccessibleName(
                self.tr("Answer with: %1").replace("%1", label)
            )
        self.model_label.setText(self.tr("Model"))
        name_combo(self.model_picker, self.tr("Model (Ctrl+K)"))
        self.set_models(self._choices, self._current, self.model_picker.placeholderText())
        self.models_button.setText(self.tr("Models"))
        self.settings_button.setText(self.tr("Settings"))
        for which, (status, note) in list(self._statuses.items()):
            self.show_status(which, status, note)

    def set_colors(self, colors: Colors) -> None:
        """A new theme: the status dots are drawn again in its colours."""
        self._colors = colors
        for which, (status, note) in list(self._statuses.items()):
            self.show_status(which, status, note)

    def set_mode(self, mode: str) -> None:
        self.mode_buttons[mode].setChecked(True)

    def where_label(self, where: str) -> str:
        """Where a model's answers are written, in words."""
        return {
            "local": self.tr("this computer"),
            "cloud": self.tr("Ollama Cloud"),
            "through-local": self.tr("Ollama Cloud, through local Ollama"),
        }.get(where, "")

    def set_models(
        self, choices: list[ModelChoice], current: ModelChoice | None, empty_hint: str = ""
    ) -> None:
        """Offer `choices`, each with where it runs beside its name; show `current`, or
        `empty_hint` (what to do) when there is nothing to offer."""
        self._choices, self._current = list(choices), current
        self.model_picker.setPlaceholderText(empty_hint)
        shown = list(choices)
        if current is not None and current.name and current not in shown:
            shown.append(current)
        self.model_picker.blockSignals(True)
        self.model_picker.clear()
        for index, choice in enumerate(shown):
            where = self.where_label(choice.where)
            text = f"{choice.name}{SEPARATOR}{where}" if where else choice.name
            self.model_picker.addItem(text, choice)
            self.model_picker.setItemData(index, where, WHERE_ROLE)
            self.model_picker.setItemData(
                index, self._describe(choice), Qt.ItemDataRole.ToolTipRole
            )
        self.model_picker.setCurrentIndex(shown.index(current) if current in shown else -1)
        self.model_picker.fit_list()
        self.model_picker.blockSignals(False)
        self._show_current()

    def _describe(self, choice: ModelChoice) -> str:
        """A choice in full, for its tooltip."""
        where = self.where_label(choice.where)
        if not where:
            return choice.name
        return (
            self.tr("%1: answers are written on %2").replace("%1", choice.name).replace("%2", where)
        )

    def _show_current(self) -> None:
        """The picker's tooltip: the model it shows in full, and the shortcut."""
        current = self.current_model()
        shortcut = self.tr("Model (Ctrl+K)")
        # With nothing to show, the placeholder says why and what to do; so does the tip.
        about = self._describe(current) if current else self.model_picker.placeholderText()
        self.model_picker.setToolTip(f"{about}\n{shortcut}" if about else shortcut)
        self.model_picker.setAccessibleDescription(about)

    def current_model(self) -> ModelChoice | None:
        """The model the picker shows."""
        data = self.model_picker.currentData()
        return data if isinstance(data, ModelChoice) else None

    def _on_model_picker_activated(self, index: int) -> None:
        choice = self.model_picker.itemData(index)
        if isinstance(choice, ModelChoice):
            self._current = choice
            self._show_current()
            self.model_chosen.emit(choice.name, choice.where)

    def show_status(self, which: str, status: ServerStatus | None, note: str = "") -> None:
        """Show a server's health: None while unknown; `note` replaces the figures."""
        self._statuses[which] = (status, note)
        label = self.local_status if which == "local" else self.cloud_status
        name = self.tr("Local") if which == "local" else self.tr("Cloud")
        if status is None:
            color, text = self._colors.muted, note or self.tr("checking…")
        elif status.reachable:
            color = "#2e9d5b"
            figures = [status.version] if status.version else []
            if status.latency_ms > 0:
                figures.append(f"{status.latency_ms:.0f} ms")
            text = " · ".join(figures)
        else:
            color, text = self._colors.error, note or self.tr("not reachable")
        dot = f"<span style='color:{color}'>●</span> {name}"
        label.setProperty("full", f"{dot} <span>{text}</span>")
        label.setProperty("compact", dot)
        label.setToolTip(f"{name}: {text}")
        label.setAccessibleName(f"{name}: {text}")
        self._fit_statuses()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._fit_statuses()

    def _fit_statuses(self) -> None:
        """The servers' figures beside their dots and the picker's label when the bar has
        room; in a narrow window first the figures go, then the label (both stay in the
        tooltips and accessible names), so nothing overlaps."""
        labels = (self.local_status, self.cloud_status)
        layout = self._layout
        for label in labels:
            label.setText(str(label.property("full") or ""))
        self.model_label.setVisible(True)
        layout.invalidate()
        if layout.minimumSize().width() > self.width():
            for label in labels:
                label.setText(str(label.property("compact") or ""))
            layout.invalidate()
            self.model_label.setVisible(layout.minimumSize().width() <= self.width())
