"""A small WebVTT checker: enough of the W3C WebVTT syntax to catch files a browser would not show.

It checks what breaks captions in practice: the `WEBVTT` signature, cue timing lines (`00:01.000 --> 00:04.000`),
end after start, cues in time order and no empty cues. It reports the first problem with its line number.
"""

from __future__ import annotations

import re

from .problems import N_

# The signature line: "WEBVTT" alone or followed by a space or tab and any text (W3C WebVTT §4.1).
_SIGNATURE = re.compile(r"^WEBVTT(?:[ \t].*)?$")
# A timestamp is [hh:]mm:ss.ttt with minutes and seconds below 60.
_TIMESTAMP = r"(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})"
_TIMING = re.compile(rf"^{_TIMESTAMP}[ \t]+-->[ \t]+{_TIMESTAMP}(?:[ \t]+.*)?$")


class WebVTTError(ValueError):
    """The first problem of a file: its line and the reason, an N_ template filled from `values` (translated
    when the problem is shown); `message` is the reason in English."""

    def __init__(self, line: int, reason: str, **values):
        self.line = line
        self.reason = reason
        self.values = values
        self.message = reason.format(**values)
        super().__init__(f"line {line}: {self.message}")


def _seconds(hours, minutes, seconds, millis) -> float:
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + int(millis) / 1000


def check_webvtt(text: str) -> int:
    """Raise WebVTTError for the first problem; return the number of cues of a valid file."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if not _SIGNATURE.match(lines[0]):
        raise WebVTTError(1, N_("the file does not start with the line WEBVTT"))
    # Blocks are separated by blank lines; the first block is the signature and its header.
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(lines[1:], start=2):
        if line.strip():
            if not current:
                start = number
            current.append(line)
        elif current:
            blocks.append((start, current))
            current = []
    if current:
        blocks.append((start, current))
    if lines[1:2] and lines[1].strip() and blocks:
        blocks.pop(0)  # header lines directly under the signature
    cues = 0
    previous_start = -1.0
    for first_line, block in blocks:
        head = block[0]
        if head.startswith(("NOTE", "STYLE", "REGION")) and "-->" not in head:
            continue
        # An optional cue identifier precedes the timing line.
        timing_index = 0 if "-->" in head else 1
        if timing_index >= len(block) or "-->" not in block[timing_index]:
            raise WebVTTError(first_line, N_("a cue has no timing line such as 00:00:01.000 --> 00:00:04.000"))
        timing_line = first_line + timing_index
        match = _TIMING.match(block[timing_index].strip())
        if not match:
            raise WebVTTError(timing_line, N_("'{timing}' is not a valid cue timing "
                                              "(expected e.g. 00:00:01.000 --> 00:00:04.000)"),
                              timing=block[timing_index].strip())
        begin, end = _seconds(*match.groups()[:4]), _seconds(*match.groups()[4:])
        if end <= begin:
            raise WebVTTError(timing_line, N_("the cue ends before or when it starts"))
        if begin < previous_start:
            raise WebVTTError(timing_line, N_("the cue starts before the previous cue"))
        payload = block[timing_index + 1:]
        if not payload:
            raise WebVTTError(timing_line, N_("the cue has no text"))
        for offset, line in enumerate(payload, start=timing_line + 1):
            if "-->" in line:
                raise WebVTTError(offset, N_("cue text contains '-->' (a blank line is missing between cues?)"))
        previous_start = begin
        cues += 1
    if not cues:
        raise WebVTTError(1, N_("the file has no cues"))
    return cues


_TAG = re.compile(r"<[^>]*>")
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&nbsp;": "\u00a0", "&lrm;": "\u200e", "&rlm;": "\u200f"}


def cue_texts(text: str) -> list[str]:
    """The words of each cue of a (checked) WebVTT file, in order, without markup: for a transcript made from
    the captions. Header, NOTE, STYLE and REGION blocks are left out."""
    cues = []
    for block in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n").replace("\r", "\n").strip()):
        lines = block.split("\n")
        timing = next((i for i, line in enumerate(lines) if _TIMING.match(line.strip())), None)
        if timing is None:  # the signature, NOTE, STYLE or REGION
            continue
        words = " ".join(_TAG.sub("", line).strip() for line in lines[timing + 1:] if line.strip())
        for entity, character in _ENTITIES.items():
            words = words.replace(entity, character)
        if words:
            cues.append(words)
    return cues
