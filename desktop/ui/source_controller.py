"""Opens cited passages in the source view: finds them and renders their pages off the
window's thread (`desktop.core.sources.SourceService`), then hands the view the result."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget

from desktop.core.conversations import StoredCitation
from desktop.core.errors import AppError
from desktop.core.sources import PageLocation
from desktop.ui.controller_base import Base, MessageChannel
from desktop.ui.source_view import SourceView
from desktop.ui.tasks import TaskRegistry
from desktop.ui.theme import Colors


class SourceController(Base):
    """Owns the one source view of a window; a new citation replaces the one loading.

    Signals:
        open_requested(str, int): open a file in the system viewer (path, page or 0).
    """

    open_requested = Signal(str, int)

    def __init__(
        self, tasks: TaskRegistry, channel: MessageChannel, colors: Colors, window: QWidget
    ) -> None:
        super().__init__(tasks, channel)
        self._colors = colors
        self._window = window
        self.view: SourceView | None = None

    def show(self, citations: Sequence[StoredCitation], number: int) -> SourceView:
        """Open (or bring forward) the source view at source `number` of `citations`."""
        view = self.view
        if view is None:
            view = self.view = SourceView(self._colors, self._window)
            view.citation_requested.connect(self._on_view_citation_requested)
            view.open_requested.connect(self.open_requested)
        if view.isVisible():  # behind the window: bring it forward
            view.raise_()
            view.activateWindow()
        else:
            view.show()
        view.show_citations(citations, number)
        return view

    def set_colors(self, colors: Colors) -> None:
        self._colors = colors
        if self.view is not None:
            self.view.set_colors(colors)

    def _on_view_citation_requested(self, citation: StoredCitation) -> None:
        self.start("source", lambda: self._load(citation))

    async def _load(self, citation: StoredCitation) -> None:
        view = self.view
        assert view is not None
        sources = (await self.knowledge()).sources
        try:
            location = await sources.locate(citation)
            if isinstance(location, PageLocation):
                page = await sources.render(location.path, location.page, view.render_width())
                image = QImage(
                    page.pixels, page.width, page.height, page.stride, QImage.Format.Format_RGBA8888
                ).copy()  # the bytes go when `page` does; the copy owns its pixels
                image.setDevicePixelRatio(view.devicePixelRatioF())
                view.show_page(location, image)
            else:
                view.show_text(location)
        except AppError as exc:
            view.show_failure(exc.message, exc.hint)
