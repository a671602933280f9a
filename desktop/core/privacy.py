"""Scrub personal data from text before it leaves the machine for the cloud.

Detectors are deliberately conservative where a false positive would damage the text
(card numbers must pass the Luhn check, IBANs the ISO 7064 mod-97 check, IPv4 octets must
be 0-255), and broad where a leak would hurt (anything shaped like an API key or bearer
token). `Scrubber.preview()` returns the exact text that would be sent plus the list of
what was replaced, so the window can show it before sending.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

Validator = Callable[[str], bool]


@dataclass(frozen=True, slots=True)
class Redaction:
    """One replaced span: what kind of data it was, where, and the placeholder used."""

    kind: str
    start: int
    end: int
    original: str
    placeholder: str


@dataclass(frozen=True, slots=True)
class ScrubResult:
    text: str
    redactions: tuple[Redaction, ...]

    @property
    def changed(self) -> bool:
        return bool(self.redactions)


def luhn_valid(number: str) -> bool:
    """True when the digits of `number` pass the Luhn checksum (payment cards)."""
    digits = [int(c) for c in number if c.isdigit()]
    if not 13 <= len(digits) <= 19:
        return False
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def iban_valid(text: str) -> bool:
    """True when `text` is an IBAN with a correct ISO 7064 mod-97 check."""
    compact = re.sub(r"\s", "", text).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", compact):
        return False
    rearranged = compact[4:] + compact[:4]
    as_digits = "".join(str(int(c, 36)) for c in rearranged)
    return int(as_digits) % 97 == 1


def _ip_valid(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _phone_valid(text: str) -> bool:
    digits = sum(c.isdigit() for c in text)
    return 7 <= digits <= 15


@dataclass(frozen=True, slots=True)
class _Detector:
    kind: str
    pattern: re.Pattern[str]
    validate: Validator | None = None


# Order matters: earlier detectors win where matches overlap (a key that contains digits
# is a key, not a phone number).
_DETECTORS: tuple[_Detector, ...] = (
    _Detector(
        "api_key",
        re.compile(
            r"(?:\b(?:sk|pk|rk|ghp|gho|ghs|glpat|xox[abpr]|AKIA)[-_]?[A-Za-z0-9_\-]{12,}\b)"
            r"|(?:(?<=Bearer )[A-Za-z0-9._\-~+/]{16,}=*)"
            r"|(?:\beyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,})"
            r"|(?:\b[a-f0-9]{32}\.[A-Za-z0-9_\-]{16,}\b)"
        ),
    ),
    _Detector("email", re.compile(r"\b[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)*\.[A-Za-z]{2,}\b")),
    _Detector(
        "iban",
        re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b"),
        iban_valid,
    ),
    _Detector("card", re.compile(r"\b\d(?:[ \-]?\d){12,18}\b"), luhn_valid),
    _Detector(
        "ip",
        re.compile(
            r"\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b"
            r"|(?<![\w:.])(?=[0-9a-fA-F]*:[0-9a-fA-F]*:)[0-9a-fA-F:]{3,39}(?![\w:])"
        ),
        _ip_valid,
    ),
    _Detector(
        "phone",
        re.compile(r"(?<![\w+])\+?\d{1,3}?[ \-.]?\(?\d{2,4}\)?(?:[ \-.]?\d{2,4}){2,4}(?!\w)"),
        _phone_valid,
    ),
)


class Scrubber:
    """Replaces personal data with numbered placeholders such as `[email 1]`.

    The same original value always gets the same placeholder within one scrubber, so a
    conversation stays coherent for the model ("[email 1] wrote to [email 2]").
    """

    def __init__(self, custom_patterns: Iterable[str] = ()) -> None:
        custom = []
        for i, pattern in enumerate(custom_patterns):
            try:
                custom.append(_Detector(f"custom {i + 1}", re.compile(pattern)))
            except re.error as exc:
                raise ValueError(f"Custom pattern {pattern!r} is not valid: {exc}") from exc
        self._detectors = (*_DETECTORS, *custom)
        self._placeholders: dict[tuple[str, str], str] = {}
        self._counts: dict[str, int] = {}

    def preview(self, text: str) -> ScrubResult:
        """Return the text exactly as it would be sent, and what was replaced."""
        spans = self._find(text)
        pieces: list[str] = []
        redactions: list[Redaction] = []
        cursor = 0
        for kind, start, end in spans:
            original = text[start:end]
            placeholder = self._placeholder(kind, original)
            pieces += [text[cursor:start], placeholder]
            redactions.append(Redaction(kind, start, end, original, placeholder))
            cursor = end
        pieces.append(text[cursor:])
        return ScrubResult("".join(pieces), tuple(redactions))

    def scrub(self, text: str) -> str:
        return self.preview(text).text

    def _find(self, text: str) -> list[tuple[str, int, int]]:
        taken: list[tuple[str, int, int]] = []
        for detector in self._detectors:
            for match in detector.pattern.finditer(text):
                start, end = match.span()
                if start == end or any(s < end and start < e for _, s, e in taken):
                    continue
                if detector.validate is not None and not detector.validate(match.group()):
                    continue
                taken.append((detector.kind, start, end))
        return sorted(taken, key=lambda span: span[1])

    def _placeholder(self, kind: str, original: str) -> str:
        key = (kind, original)
        if key not in self._placeholders:
            self._counts[kind] = self._counts.get(kind, 0) + 1
            label = kind.replace("_", " ")
            self._placeholders[key] = f"[{label} {self._counts[kind]}]"
        return self._placeholders[key]


def is_loopback_url(url: str) -> bool:
    """Whether a server address (a URL, "host" or "host:port", as OLLAMA_HOST takes) is
    on this computer: localhost, a loopback address, or a listen address (0.0.0.0, ::)
    that Hearth maps to loopback. Text that is not an address counts as not loopback."""
    text = url.strip()
    if not text:
        return True  # the default server, 127.0.0.1
    try:
        host = urlsplit(text if "://" in text else f"http://{text}").hostname or ""
    except ValueError:
        return False
    host = host.rstrip(".").lower()
    if host in {"", "localhost", "0.0.0.0", "::"} or host.endswith(".localhost"):  # noqa: S104
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
