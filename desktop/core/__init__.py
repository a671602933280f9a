"""Hearth's domain core: pure Python and asyncio, no Qt, no HTTP, no database drivers."""
