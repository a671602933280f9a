"""Which files Hearth reads, by extension, and which it skips without asking."""

from __future__ import annotations

from pathlib import Path

TEXT = {".txt", ".text", ".log", ".me", ".nfo"}
MARKDOWN = {".md", ".markdown", ".mdown", ".mkd"}
RST = {".rst"}
HTML = {".html", ".htm", ".xhtml"}
PDF = {".pdf"}
DOCX = {".docx"}
ODT = {".odt"}
PPTX = {".pptx"}
EPUB = {".epub"}
CSV = {".csv", ".tsv"}
JSON = {".json", ".jsonl", ".ndjson"}
CODE = {
    ".py",
    ".pyi",
    ".js",
    ".mjs",
    ".cjs",
    ".jsx",
    ".ts",
    ".tsx",
    ".java",
    ".kt",
    ".kts",
    ".scala",
    ".c",
    ".h",
    ".cc",
    ".cpp",
    ".cxx",
    ".hpp",
    ".hh",
    ".cs",
    ".go",
    ".rs",
    ".rb",
    ".php",
    ".swift",
    ".m",
    ".mm",
    ".sh",
    ".bash",
    ".zsh",
    ".fish",
    ".ps1",
    ".bat",
    ".sql",
    ".r",
    ".jl",
    ".lua",
    ".pl",
    ".pm",
    ".dart",
    ".ex",
    ".exs",
    ".erl",
    ".hs",
    ".clj",
    ".yaml",
    ".yml",
    ".toml",
    ".ini",
    ".cfg",
    ".conf",
    ".xml",
    ".css",
    ".scss",
    ".less",
    ".vue",
    ".svelte",
    ".gradle",
    ".cmake",
    ".tex",
    ".proto",
    ".graphql",
    ".tf",
}
CODE_NAMES = {"Makefile", "Dockerfile", "CMakeLists.txt", "Rakefile", "Gemfile", "Justfile"}
# Plain-text files that usually have no extension.
TEXT_NAMES = {"README", "LICENSE", "COPYING", "CHANGELOG", "AUTHORS", "NOTICE", "INSTALL"}

# Pictures of pages, read by OCR.
IMAGES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".webp"}
# Formats recognised by their content (magic bytes, zip directory) rather than decoded.
CONTAINERS = PDF | DOCX | ODT | PPTX | EPUB | IMAGES
SUPPORTED = TEXT | MARKDOWN | RST | HTML | CONTAINERS | CSV | JSON | CODE

SKIP_DIRS = {
    ".git",
    ".hg",
    ".svn",
    ".bzr",
    "node_modules",
    "__pycache__",
    ".venv",
    "venv",
    "env",
    "site-packages",
    "dist",
    "build",
    "target",
    ".tox",
    ".nox",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".idea",
    ".vscode",
    ".gradle",
    ".next",
    "bower_components",
}
BINARY = {
    ".gif",
    ".bmp",
    ".ico",
    ".svgz",
    ".heic",
    ".psd",
    ".mp3",
    ".wav",
    ".flac",
    ".ogg",
    ".m4a",
    ".aac",
    ".mp4",
    ".mkv",
    ".avi",
    ".mov",
    ".webm",
    ".zip",
    ".gz",
    ".tgz",
    ".bz2",
    ".xz",
    ".7z",
    ".rar",
    ".zst",
    ".tar",
    ".exe",
    ".dll",
    ".so",
    ".dylib",
    ".bin",
    ".o",
    ".a",
    ".class",
    ".jar",
    ".pyc",
    ".pyo",
    ".whl",
    ".deb",
    ".rpm",
    ".dmg",
    ".iso",
    ".img",
    ".ttf",
    ".otf",
    ".woff",
    ".woff2",
    ".eot",
    ".sqlite",
    ".db",
    ".parquet",
    ".npy",
    ".npz",
    ".pkl",
    ".pt",
    ".onnx",
    ".doc",
    ".xls",
    ".ppt",
    ".xlsx",
}


def is_supported(path: Path) -> bool:
    """True when Hearth can read this file (by its name): the window's drop filter."""
    return path.suffix.lower() in SUPPORTED or path.name in CODE_NAMES or path.name in TEXT_NAMES


def dialog_patterns() -> list[str]:
    """Name patterns for a file picker: every supported extension and extension-less name."""
    suffixes = sorted(SUPPORTED)
    return [f"*{suffix}" for suffix in suffixes] + sorted(CODE_NAMES | TEXT_NAMES)
