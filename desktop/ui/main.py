"""The window's entry point: `run(ctx, open_services) -> int` (called by desktop.app)."""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QLibraryInfo, QLocale, Qt, QTimer, QTranslator
from PySide6.QtWidgets import QApplication

from desktop.core.errors import AppError
from desktop.core.settings import Settings
from desktop.ui import theme
from desktop.ui.crash import install_crash_handler
from desktop.ui.error_text import describe
from desktop.ui.loop import close_loop, install_loop
from desktop.ui.main_window import MainWindow
from desktop.ui.services import AppContext, OpenServices, WindowServices
from desktop.ui.single_instance import InstanceServer, channel_name, hand_over
from desktop.ui.tasks import TaskRegistry

log = logging.getLogger(__name__)

I18N_DIR = Path(__file__).with_name("i18n")
LANGUAGES = ("en", "ru", "zh_CN")


def language_for(setting: str) -> str:
    """The language to show for a setting ("system" follows the OS locale)."""
    if setting != "system":
        return setting
    name = QLocale.system().name()
    if name.startswith("zh"):
        return "zh_CN"
    return "ru" if name.startswith("ru") else "en"


def prepare_qt_environment() -> None:
    """Qt settings read when the application starts: call before creating it.

    Qt hands big fills to a thread pool and waits for it; on a machine whose cores are busy
    embedding, that wait is a stall of the window, so fills stay on the window's thread.
    """
    os.environ.setdefault("QT_NO_GUI_THREADPOOL", "1")


# Qt 6.11's own file dialog asks for these two with a mnemonic "&", which its Russian and
# Chinese catalogues carry only without it: Hearth's catalogues translate them.
QT_FILE_DIALOG_STRINGS = (
    QT_TRANSLATE_NOOP("QFileDialog", "&Look in:"),
    QT_TRANSLATE_NOOP("QFileDialog", "Files of &type:"),
)


def install_translator(app: QApplication, setting: str) -> QTranslator | None:
    """Install Hearth's translation for the language setting, and Qt's own for standard
    buttons and dialogs; return Hearth's (None when it is missing).

    English has one too: it holds only the plural forms ("1 chunk", "2 chunks").
    """
    for old in app.findChildren(QTranslator):
        app.removeTranslator(old)
        old.deleteLater()
    language = language_for(setting)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt_own = QTranslator(app)
    if language != "en" and qt_own.load(f"qtbase_{language}", qt_dir):
        app.installTranslator(qt_own)
    translator = QTranslator(app)
    if not translator.load(str(I18N_DIR / f"hearth_{language}.qm")):
        log.info("no translation for %s", language)
        return None
    app.installTranslator(translator)
    return translator


def freeze_startup_heap() -> None:
    """Put what start-up built (modules, widgets, the services) out of the garbage
    collector's reach: a full collection walks only what came later. Left in, each full
    collection walked all of it and froze the window for 40-100 ms, in the middle of a
    streamed answer as anywhere (docs/ui.md). Garbage is collected first, not frozen."""
    gc.collect()
    gc.freeze()


class WindowHost:
    """Owns the window; theme and language changes apply to it in place."""

    def __init__(self, app: QApplication, ctx: AppContext) -> None:
        self.app = app
        self.ctx = ctx
        self.tasks = TaskRegistry()
        self.services: WindowServices | None = None
        self.pending_files: list[str] = []
        self.closed = asyncio.Event()
        self.window = self._build()

    def _build(self) -> MainWindow:
        settings = self.ctx.settings
        install_translator(self.app, settings.ui.language)
        colors = theme.resolve(settings.ui.theme)
        theme.apply(self.app, colors)
        window = MainWindow(self.ctx, colors, self.tasks)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        window.settings_applied.connect(self._on_settings_applied)
        window.destroyed.connect(self._on_window_destroyed)
        return window

    def attach(self, services: WindowServices) -> None:
        """Connect the window to the opened services; a window closed while they opened
        (a SIGTERM during start-up) is gone, and there is nothing to connect."""
        self.services = services
        if self.closed.is_set():
            return
        self.window.attach(services)
        if self.pending_files:
            self.window.knowledge.add(self.pending_files)
            self.pending_files = []
        elif self.window.first_run:
            self.window.show_welcome()

    def bring_forward(self, files: list[str]) -> None:
        """Another launch asked for the window (and maybe handed it files to index)."""
        if self.closed.is_set():
            return
        self.window.showNormal()
        self.window.raise_()
        self.window.activateWindow()
        if not files:
            return
        if self.services is None:
            self.pending_files.extend(files)
        else:
            self.window.knowledge.add(files)

    def _on_settings_applied(self, old: Settings, new: Settings) -> None:
        """Theme and language apply to the live window: nothing is rebuilt, so nothing
        running (an import, an answer) is cancelled and nothing shown is lost."""
        if new.ui.language != old.ui.language:
            # Installing and removing translators sends LanguageChange to every widget;
            # each widget family sets its texts again (`_retranslate`).
            install_translator(self.app, new.ui.language)
        if new.ui.theme != old.ui.theme:
            colors = theme.resolve(new.ui.theme)
            theme.apply(self.app, colors)
            self.window.set_colors(colors)

    def _on_window_destroyed(self) -> None:
        self.closed.set()


def _close_on_signals(app: QApplication, host: WindowHost) -> Callable[[], None]:
    """SIGTERM and SIGINT close the window the normal way (settings saved, tasks stopped,
    exit code 0). Qt's loop runs in C++, so a timer lets Python see the signal."""
    wake = QTimer(app)
    wake.timeout.connect(lambda: None)
    wake.start(200)
    previous = {
        sig: signal.signal(sig, lambda *_: QTimer.singleShot(0, host.window.close))
        for sig in (signal.SIGTERM, signal.SIGINT)
    }

    def stop() -> None:
        wake.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)

    return stop


def run(ctx: AppContext, open_services: OpenServices, files: Sequence[str] = ()) -> int:
    """Show the window at once, open the services on the event loop, run until closed.

    When a window is already open on this data folder, `files` go to it instead (it comes
    forward and indexes them) and this call returns 0 at once.
    """
    prepare_qt_environment()
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("Hearth")
    app.setApplicationDisplayName("Hearth")
    app.setQuitOnLastWindowClosed(False)
    name = channel_name(ctx.paths.data_dir)
    absolute = [str(Path(f).absolute()) for f in files]
    if hand_over(name, absolute):
        log.info("handed %d files to the running window", len(absolute))
        return 0
    hooks = sys.get_asyncgen_hooks()
    loop = install_loop(app)
    host = WindowHost(app, ctx)
    host.pending_files = absolute
    instance = InstanceServer(name, app)
    instance.files_received.connect(host.bring_forward)
    host.window.show()
    log.info("window shown")
    previous_hook = install_crash_handler(lambda: host.window)
    stop = _close_on_signals(app, host)

    async def main() -> int:
        try:
            services = await open_services()
        except AppError as exc:
            host.window.show_message(*describe(exc), True)
            await host.closed.wait()
            return 1
        host.attach(services)
        freeze_startup_heap()
        log.info("services opened")
        await host.closed.wait()
        await host.tasks.shutdown()
        await services.aclose()
        return 0

    try:
        with loop:
            code: int = loop.run_until_complete(main())
    finally:
        close_loop(loop)
        sys.excepthook = previous_hook
        stop()
        instance.close()
        asyncio.set_event_loop(None)
        sys.set_asyncgen_hooks(*hooks)
    return code
