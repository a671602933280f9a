"""The documents controller: knowledge bases, imports and the document tree."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer, Signal

from desktop.core.documents import DocumentRecord, DocumentStatus
from desktop.core.errors import AppError, StoreBusy
from desktop.core.events import (
    FileEmbedding,
    FileFailed,
    FileQueued,
    FileReading,
    FileReady,
    FileRecognising,
    FileRemoved,
    FileSkipped,
    IngestEvent,
    IngestSummary,
)
from desktop.core.settings import rename_local_only
from desktop.core.watch import touched_roots, vanished
from desktop.ui.controller_base import Base, MessageChannel
from desktop.ui.error_text import Failure, describe
from desktop.ui.ingest_panel import IngestPanel
from desktop.ui.services import WindowKnowledge
from desktop.ui.sidebar import Sidebar
from desktop.ui.tasks import TaskRegistry

log = logging.getLogger(__name__)

FileEvent = (
    FileQueued
    | FileReading
    | FileRecognising
    | FileEmbedding
    | FileReady
    | FileSkipped
    | FileFailed
    | FileRemoved
)
# Seconds between two looks at the watched folders (a change is taken once two agree).
WATCH_INTERVAL_S = 2.0
# How often to try again while another Hearth process is changing the store.
STORE_RETRY_S = 2.0


class DocumentsController(Base):
    """Adding, removing, re-indexing and watching documents; the sidebar's knowledge tree.

    Signals:
        knowledge_changed(int): the number of ready documents after a refresh.
    """

    knowledge_changed = Signal(int)

    def __init__(
        self,
        sidebar: Sidebar,
        panel: IngestPanel,
        tasks: TaskRegistry,
        channel: MessageChannel,
        kb: Callable[[], str],
    ) -> None:
        super().__init__(tasks, channel)
        self.sidebar = sidebar
        self.panel = panel
        self.kb = kb
        self._queue: list[str] = []
        self._seen: set[str] = set()
        self._done = 0
        # Each file's latest step and the run's summary, to write again in a new language.
        self._states: dict[str, FileEvent] = {}
        self._summary: IngestSummary | None = None
        self._knowledge: WindowKnowledge | None = None  # once opened, for the closing step
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(400)
        self._refresh_timer.timeout.connect(self.refresh)
        panel.cancel_requested.connect(self.cancel)
        panel.language_changed.connect(self._on_panel_language_changed)
        sidebar.reindex_requested.connect(self.reindex)

    def refresh(self) -> None:
        self.start("kb-refresh", self._refresh)

    async def _refresh(self) -> None:
        k = await self.knowledge()
        summaries = await k.kbs.summaries()
        documents: dict[str, list[DocumentRecord]] = {}
        for summary in summaries:
            documents[summary.record.name] = await k.kbs.documents(summary.record.name)
        self.sidebar.show_knowledge(summaries, documents)
        ready = sum(s.status_counts.get(DocumentStatus.READY, 0) for s in summaries)
        self.knowledge_changed.emit(ready)

    def add(self, paths: list[str]) -> None:
        """Index files and folders; paths added while indexing join the same run's queue."""
        self._queue.extend(paths)
        if self.panel.isHidden():
            self.panel.start()
        if not self.tasks.running("ingest"):
            self._seen.clear()
            self._done = 0
            self._states.clear()
            self._summary = None
            self.panel.start()
            self.start("ingest", self._drain)

    def watch(self, folders: list[str]) -> None:
        """Keep `folders` indexed: a file added or changed there is indexed once it has
        settled, a file deleted there leaves the knowledge base (a folder gone as a whole,
        like an unplugged drive, keeps its documents). Replaces the watch of before."""
        roots = [Path(folder) for folder in folders]
        if not roots:
            self.tasks.cancel("watch")
            return

        async def run() -> None:
            s = self.services
            assert s is not None
            watcher = s.folder_watcher(roots, interval=WATCH_INTERVAL_S)
            await watcher.scan()
            async for found in watcher.changes():
                gone = vanished(found, roots)
                if gone:
                    await self._forget(gone)
                touched = touched_roots(found, roots)
                if touched:
                    # The walk skips unchanged files, so the folder is handed over whole.
                    self.add([str(root) for root in touched])

        self.start("watch", run)

    async def _forget(self, paths: list[str]) -> None:
        """Remove the documents of files deleted from a watched folder."""
        k = await self.knowledge()
        kb = self.kb()
        gone = set(paths)
        doc_ids = [d.doc_id for d in await k.kbs.documents(kb) if d.path in gone]
        if doc_ids:
            await k.ingest.remove_documents(kb, doc_ids)
            self._refresh_timer.start()

    def resume_interrupted(self) -> None:
        """Index again what an earlier run left half done (crash recovery re-queued it)."""

        async def run() -> None:
            k = await self.knowledge()
            report = k.recovery
            if report is not None and report.requeued:
                self.panel.start()
                for summary in await k.ingest.resume(report, on_event=self._on_event):
                    self._on_event(summary)
            # Files dropped meanwhile waited in the queue.
            await self._drain()

        self.start("ingest", run)

    async def _until_writable(self, k: WindowKnowledge) -> None:
        """Wait while another Hearth process changes the store: say so once, then try again
        every few seconds (Cancel stops waiting)."""
        told = False
        while True:
            try:
                await k.session.writable()
            except StoreBusy as exc:
                if not told:
                    self.channel.error(exc)
                    self.panel.waiting(self.tr("Waiting for the other Hearth process to finish…"))
                    told = True
                await asyncio.sleep(STORE_RETRY_S)
            else:
                if told:
                    self.channel.info(self.tr("The other Hearth process has finished."))
                return

    async def _drain(self) -> None:
        k = await self.knowledge()
        try:
            if self._queue:
                await self._until_writable(k)
            while self._queue:
                batch, self._queue = self._queue, []
                summary = await k.ingest.ingest(batch, self.kb(), on_event=self._on_event)
                self._on_event(summary)
        except asyncio.CancelledError:
            left, self._queue = self._queue, []
            if self.closed:
                # The window is closing (its panel is already gone): the run's unfinished
                # files stay queued, and so do those handed over after it began.
                if left:
                    await self._queue_for_next_start(k, left)
            else:
                self.panel.finished(self._cancelled_text(), complete=False)
                self.refresh()
            raise

    async def _queue_for_next_start(self, k: WindowKnowledge, paths: list[str]) -> None:
        try:
            await k.ingest.queue_for_next_start(paths, self.kb())
        except AppError as exc:
            log.warning("files handed over while closing were not queued: %s", exc.message)

    def cancel(self) -> None:
        self.tasks.cancel("ingest")

    async def knowledge(self) -> WindowKnowledge:
        self._knowledge = await super().knowledge()
        return self._knowledge

    def close(self) -> None:
        """The window is closing: an import under way stops, and the files it has not
        finished stay queued for the next start to index (crash recovery re-queues them)."""
        if self._knowledge is not None:
            self._knowledge.ingest.keep_unfinished()
        super().close()

    def reindex(self, kb: str) -> None:
        async def run() -> None:
            k = await self.knowledge()
            self._seen.clear()
            self._done = 0
            self._states.clear()
            self._summary = None
            self.panel.start()
            self._on_event(await k.kbs.reindex(kb, on_event=self._on_event))

        self.start("ingest", run)

    def remove(self, kb: str, doc_id: str) -> None:
        async def run() -> None:
            k = await self.knowledge()
            if doc_id:
                await k.kbs.remove_document(kb, doc_id)
            else:
                await k.kbs.remove(kb)
            await self._refresh()

        self.start("kb-remove", run)

    def create(self, name: str, created: Callable[[str], None]) -> None:
        """Make an empty knowledge base, then call `created` with its name."""

        async def run() -> None:
            k = await self.knowledge()
            record = await k.kbs.create(name)
            await self._refresh()
            created(record.name)

        self.start("kb-create", run)

    def rename(self, name: str, new_name: str, renamed: Callable[[str, str], None]) -> None:
        """Rename a knowledge base (its never-to-the-cloud mark follows), then call
        `renamed` with the old and the new name."""

        async def run() -> None:
            k = await self.knowledge()
            record = await k.kbs.rename(name, new_name)
            s = self.services
            if s is not None and rename_local_only(s.ctx.settings.privacy, name, record.name):
                s.ctx.save_settings()
            await self._refresh()
            renamed(name, record.name)

        self.start("kb-rename", run)

    def reembed_if_needed(self) -> None:
        """Re-embed knowledge bases built by another embedder than the current one."""

        async def run() -> None:
            k = await self.knowledge()
            current = k.embedder_id
            for summary in await k.kbs.summaries():
                record = summary.record
                if record.embedder_id == current and not record.pending_collection:
                    continue
                self.panel.start()
                self.panel.label.setText(
                    self.tr("Re-embedding “%1” with the new embedding model…").replace(
                        "%1", record.name
                    )
                )
                await k.kbs.reembed(record.name, on_progress=self.panel.overall_progress)
                self.panel.finished(self.tr("Re-embedding finished."))
            await self._refresh()

        self.start("reembed", run)

    def _on_event(self, event: IngestEvent) -> None:
        if self.closed:  # the window is closing: its panel is gone or going
            return
        panel = self.panel
        if isinstance(event, IngestSummary):
            self._summary = event
            panel.finished(self._summary_text(event), complete=not event.cancelled)
            self.refresh()
            return
        if isinstance(event, FileQueued):
            self._seen.add(event.path)
            self._refresh_timer.start()
        elif isinstance(event, FileReady | FileFailed):
            self._done += 1
            self._refresh_timer.start()
        elif isinstance(event, FileSkipped):
            self._done += 1
        self._states[event.path] = event
        panel.file_state(event.path, self._state_text(event))
        panel.overall_progress(self._done, max(len(self._seen), self._done))

    def _on_panel_language_changed(self) -> None:
        """Write the progress lines again in the language just installed."""
        for path, event in self._states.items():
            self.panel.file_state(path, self._state_text(event))
        if self._summary is not None:
            summary = self._summary
            self.panel.finished(self._summary_text(summary), complete=not summary.cancelled)
        elif self._states:
            self.panel.overall_progress(self._done, max(len(self._seen), self._done))

    def _cancelled_text(self) -> str:
        return self.tr("Indexing cancelled; finished files were kept.")

    def _summary_text(self, event: IngestSummary) -> str:
        if event.cancelled:
            return self._cancelled_text()
        # Only the counts that happened: "5 ready, 0 unchanged, 0 failed" made a new
        # person look for the failure.
        parts = [
            text.replace("%1", str(count))
            for text, count in (
                (self.tr("%1 ready"), event.ready),
                (self.tr("%1 unchanged"), event.skipped),
                (self.tr("%1 failed"), event.failed),
            )
            if count
        ]
        if not parts:
            return self.tr("No documents to index were found.")
        return self.tr(", ").join(parts)

    def _state_text(self, event: FileEvent) -> str:
        """A file's line in the panel, in the window's language."""
        if isinstance(event, FileQueued):
            return self.tr("queued")
        if isinstance(event, FileReading):
            return self.tr("reading")
        if isinstance(event, FileRecognising):
            text = self.tr("reading by OCR: page %1 of %2")
            return text.replace("%1", str(event.page)).replace("%2", str(event.pages))
        if isinstance(event, FileEmbedding):
            percent = int(100 * event.done / max(event.total, 1))
            return self.tr("embedding %1%").replace("%1", str(percent))
        if isinstance(event, FileReady):
            return self.tr("ready · %n chunks", "", event.chunk_count)
        if isinstance(event, FileSkipped):
            return self.tr("unchanged")
        if isinstance(event, FileFailed):
            failure = Failure(event.kind, event.message, event.hint, path=event.path)
            return self.tr("failed: %1").replace("%1", describe(failure)[0])
        return self.tr("removed (file is gone)")


def pdf_page_url(path: str, page: int) -> str:
    """A file URL that asks PDF viewers to open at a page (#page=N, RFC 8118)."""
    url = Path(path).resolve().as_uri()
    return f"{url}#page={page}" if page and path.lower().endswith(".pdf") else url
