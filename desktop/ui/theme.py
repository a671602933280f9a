"""Light and dark themes: a Fusion palette, a short style sheet, and colours for answers."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QComboBox, QLabel


@dataclass(frozen=True, slots=True)
class Colors:
    """The colours the window and the rendered answers use."""

    dark: bool
    window: str
    base: str
    surface: str
    text: str
    muted: str
    accent: str
    accent_text: str
    border: str
    chip: str
    chip_text: str
    code_bg: str
    user_bg: str
    error: str
    error_bg: str
    cloud: str
    pygments_style: str


LIGHT = Colors(
    dark=False,
    window="#f4f3f0",
    base="#ffffff",
    surface="#ebe9e4",
    text="#1f1d1a",
    muted="#6f6a62",
    accent="#c2571a",
    accent_text="#ffffff",
    border="#d9d5cd",
    chip="#f6e3d6",
    chip_text="#8a3a0c",
    code_bg="#f5f4f1",
    user_bg="#f1ede6",
    error="#b3261e",
    error_bg="#fbe9e7",
    cloud="#2563b0",
    pygments_style="friendly",
)

DARK = Colors(
    dark=True,
    window="#1c1b1a",
    base="#242322",
    surface="#2d2b29",
    text="#ece9e4",
    muted="#a39d94",
    accent="#e9823f",
    accent_text="#1c1b1a",
    border="#3a3835",
    chip="#4a3224",
    chip_text="#f6c29c",
    code_bg="#1b1a19",
    user_bg="#302d2a",
    error="#f2b8b5",
    error_bg="#3c2220",
    cloud="#8ab4f8",
    pygments_style="monokai",
)


def system_is_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def resolve(theme: str) -> Colors:
    """The colours for a theme setting: "light", "dark" or "system"."""
    if theme == "system":
        return DARK if system_is_dark() else LIGHT
    return DARK if theme == "dark" else LIGHT


def apply(app: QApplication, colors: Colors) -> None:
    """Install the palette and style sheet on the whole application."""
    app.setStyle("Fusion")
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: colors.window,
        QPalette.ColorRole.WindowText: colors.text,
        QPalette.ColorRole.Base: colors.base,
        QPalette.ColorRole.AlternateBase: colors.surface,
        QPalette.ColorRole.Text: colors.text,
        QPalette.ColorRole.Button: colors.surface,
        QPalette.ColorRole.ButtonText: colors.text,
        QPalette.ColorRole.Highlight: colors.accent,
        QPalette.ColorRole.HighlightedText: colors.accent_text,
        QPalette.ColorRole.ToolTipBase: colors.base,
        QPalette.ColorRole.ToolTipText: colors.text,
        QPalette.ColorRole.PlaceholderText: colors.muted,
        QPalette.ColorRole.Link: colors.accent,
        QPalette.ColorRole.Mid: colors.border,
        QPalette.ColorRole.Dark: colors.border,
        QPalette.ColorRole.Midlight: colors.surface,
        QPalette.ColorRole.Light: colors.base,
        QPalette.ColorRole.Shadow: colors.border,
    }
    for role, value in roles.items():
        palette.setColor(role, QColor(value))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor(colors.muted))
    palette.setColor(
        QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor(colors.muted)
    )
    app.setPalette(palette)
    app.setStyleSheet(style_sheet(colors))


def style_sheet(c: Colors) -> str:
    return f"""
QWidget {{ font-size: 10pt; }}
QToolTip {{ border: 1px solid {c.border}; padding: 4px; }}
#Sidebar {{ background: {c.surface}; border-right: 1px solid {c.border}; }}
#Sidebar QTreeWidget, #Sidebar QListWidget {{ background: {c.surface}; border: none; }}
#SectionTitle {{ color: {c.muted}; font-size: 8.5pt; font-weight: 600;
    letter-spacing: 0.5px; padding: 8px 2px 2px 2px; }}
#TopBar {{ background: {c.window}; border-bottom: 1px solid {c.border}; }}
#StatusDot {{ font-size: 9pt; color: {c.muted}; }}
#Muted {{ color: {c.muted}; }}
#Headline {{ font-size: 15pt; font-weight: 600; }}
#ChatBrowser {{ background: {c.base}; border: none; }}
#Composer {{ background: {c.base}; border: 1px solid {c.border}; border-radius: 10px;
    padding: 6px; }}
#Composer:focus {{ border: 1px solid {c.accent}; }}
QPushButton {{ padding: 5px 12px; border-radius: 6px; border: 1px solid {c.border};
    background: {c.surface}; }}
QPushButton:hover {{ border-color: {c.accent}; }}
QPushButton#Primary {{ background: {c.accent}; color: {c.accent_text}; border: none;
    font-weight: 600; }}
QPushButton#Primary:disabled {{ background: {c.border}; color: {c.muted}; }}
QPushButton:checked {{ background: {c.accent}; color: {c.accent_text}; border-color: {c.accent}; }}
#DropOverlay {{ background: rgba(0, 0, 0, 110); }}
#DropCard {{ background: {c.base}; border: 2px dashed {c.accent}; border-radius: 16px; }}
#AboutChip {{ background: {c.surface}; border: 1px solid {c.accent}; border-radius: 12px; }}
#AboutChip QToolButton {{ border: none; padding: 0 4px; }}
#MessageBar {{ background: {c.error_bg}; color: {c.error}; border-radius: 6px; padding: 6px; }}
#MessageBar[kind="info"] {{ background: {c.surface}; color: {c.text}; }}
QScrollBar:vertical {{ background: transparent; width: 10px; margin: 0; }}
QScrollBar:horizontal {{ background: transparent; height: 10px; margin: 0; }}
QScrollBar::handle {{ background: {c.border}; border-radius: 4px; min-height: 24px;
    min-width: 24px; margin: 2px; }}
QScrollBar::handle:hover {{ background: {c.muted}; }}
QScrollBar::add-line, QScrollBar::sub-line {{ width: 0; height: 0; }}
QScrollBar::add-page, QScrollBar::sub-page {{ background: transparent; }}
QProgressBar {{ border: 1px solid {c.border}; border-radius: 4px; background: {c.base};
    text-align: center; height: 14px; }}
QProgressBar::chunk {{ background: {c.accent}; border-radius: 3px; }}
"""


def name_combo(combo: QComboBox, name: str) -> None:
    """Name a combo box and the list it opens for assistive technology: the list is a
    window of its own on the accessibility bus, found unnamed otherwise."""
    combo.setAccessibleName(name)
    combo.view().setAccessibleName(name)


def muted_label(text: str = "") -> QLabel:
    """A wrapped secondary line (a note under a field, a status, a result)."""
    label = QLabel(text)
    label.setObjectName("Muted")
    label.setWordWrap(True)
    return label
