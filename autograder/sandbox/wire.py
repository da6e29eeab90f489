"""The data-only wire format between the grader and the process running student code.

A frame is ``b"ABH1"``, a 4-byte big-endian header length, a JSON header, then the raw bytes of the
tensors the header describes (dtype, shape, strides and byte count each). Nothing is ever pickled: the
reader checks every field against a whitelist and rebuilds plain ``torch.Tensor`` objects itself.
Strides travel with the bytes, so non-contiguous and expanded (stride-0) inputs arrive with the same
layout they were made with.
"""

from __future__ import annotations

import json
import math
import struct
from collections.abc import Iterator
from typing import Any

import torch

Tensor = torch.Tensor
MAGIC = b"ABH1"
HEAD = struct.Struct(">4sI")
MAX_HEADER = 1 << 20

DTYPES: dict[str, torch.dtype] = {
    "float64": torch.float64,
    "float32": torch.float32,
    "float16": torch.float16,
    "bfloat16": torch.bfloat16,
    "int64": torch.int64,
    "int32": torch.int32,
    "bool": torch.bool,
}
NAMES = {dtype: name for name, dtype in DTYPES.items()}


class WireError(ValueError):
    """A frame that does not follow the format (truncated, oversized, unknown dtype...)."""


def _span(t: Tensor) -> int:
    """Number of storage elements a view touches, counted from its first element."""
    if t.numel() == 0:
        return 0
    return 1 + sum((n - 1) * s for n, s in zip(t.shape, t.stride(), strict=True))


def tensor_bytes(t: Tensor, keep_layout: bool) -> tuple[dict[str, Any], bytes]:
    """Describe one tensor and return its raw bytes (its storage span, or a contiguous copy)."""
    if t.layout != torch.strided or t.dtype not in NAMES:
        raise WireError(f"{t.layout} tensors of dtype {t.dtype} are not supported")
    t = t.detach().cpu().resolve_conj().resolve_neg()
    if keep_layout and not t.is_contiguous():
        flat = torch.as_strided(t, (_span(t),), (1,), t.storage_offset())
        stride = list(t.stride())
    else:
        flat = t.contiguous().reshape(-1)
        stride = _contiguous_strides(list(t.shape))  # canonical: torch leaves size-1 dimensions' strides free
    data = flat.contiguous().view(torch.uint8).numpy().tobytes() if flat.numel() else b""
    return {"dtype": NAMES[t.dtype], "shape": list(t.shape), "stride": stride, "nbytes": len(data)}, data


def encode(meta: dict[str, Any], tensors: list[Tensor | None] = (), keep_layout: bool = False) -> bytes:
    """One frame: ``meta`` (JSON-able) plus tensors; ``None`` entries are sent as nulls."""
    specs, blobs = [], []
    for t in tensors:
        if t is None:
            specs.append(None)
            continue
        spec, data = tensor_bytes(t, keep_layout)
        specs.append(spec)
        blobs.append(data)
    header = json.dumps({**meta, "tensors": specs}, allow_nan=False).encode()
    return HEAD.pack(MAGIC, len(header)) + header + b"".join(blobs)


def _contiguous_strides(shape: list[int]) -> list[int]:
    strides, step = [], 1
    for n in reversed(shape):
        strides.append(step)
        step *= max(n, 1)
    return strides[::-1]


def _rebuild(spec: Any, data: memoryview, contiguous: bool) -> Tensor:
    if not isinstance(spec, dict) or set(spec) != {"dtype", "shape", "stride", "nbytes"}:
        raise WireError("malformed tensor description")
    dtype = DTYPES.get(spec["dtype"]) if isinstance(spec["dtype"], str) else None
    shape, stride = spec["shape"], spec["stride"]
    if dtype is None:
        raise WireError(f"unsupported dtype {spec['dtype']!r}")
    if not isinstance(shape, list) or not isinstance(stride, list) or len(shape) != len(stride) or len(shape) > 16:
        raise WireError("malformed shape or stride")
    if not all(type(n) is int and 0 <= n < 1 << 40 for n in [*shape, *stride]) or math.prod(shape) >= 1 << 48:
        raise WireError("malformed shape or stride")
    canonical = _contiguous_strides(shape)
    if contiguous and math.prod(shape) and any(s != c for n, s, c in zip(shape, stride, canonical, strict=True)
                                               if n > 1):
        raise WireError("tensor is not laid out contiguously")
    itemsize = torch.empty((), dtype=dtype).element_size()
    span = 0 if math.prod(shape) == 0 else 1 + sum((n - 1) * s for n, s in zip(shape, stride, strict=True))
    if spec["nbytes"] != span * itemsize or len(data) != span * itemsize:
        raise WireError("byte count does not match shape and dtype")
    flat = torch.frombuffer(bytearray(data), dtype=dtype) if span else torch.empty(0, dtype=dtype)
    return torch.as_strided(flat, shape, stride)


def _json(header: bytes) -> Any:
    # Deeply nested arrays raise RecursionError and long integers ValueError: both are malformed data.
    try:
        return json.loads(header)
    except (ValueError, RecursionError) as err:
        raise WireError(f"header is not JSON: {type(err).__name__}") from None


def decode(header: bytes, payload: bytes | memoryview,
           contiguous: bool = False) -> tuple[dict[str, Any], list[Tensor | None]]:
    """Parse one frame's header and payload into its metadata and plain tensors.

    ``contiguous`` demands row-major tensors (results from the child always are), so a tensor's element
    count can never exceed what its bytes pay for.
    """
    meta = _json(header)
    if not isinstance(meta, dict) or not isinstance(meta.get("tensors"), list):
        raise WireError("header is not an object with a tensor list")
    tensors: list[Tensor | None] = []
    view, offset = memoryview(payload), 0
    for spec in meta.pop("tensors"):
        if spec is None:
            tensors.append(None)
            continue
        n = spec.get("nbytes") if isinstance(spec, dict) else None
        if type(n) is not int or n < 0 or offset + n > len(payload):
            raise WireError("tensor bytes run past the end of the frame")
        tensors.append(_rebuild(spec, view[offset:offset + n], contiguous))
        offset += n
    if offset != len(payload):
        raise WireError("trailing bytes after the last tensor")
    return meta, tensors


def payload_size(header: bytes) -> int:
    """Total tensor bytes a header announces (read before the payload itself)."""
    meta = _json(header)
    specs = meta.get("tensors") if isinstance(meta, dict) else None
    if not isinstance(specs, list):
        raise WireError("header is not an object with a tensor list")
    sizes = [s.get("nbytes") if isinstance(s, dict) else 0 for s in specs if s is not None]
    if not all(type(n) is int and n >= 0 for n in sizes):
        raise WireError("malformed byte count")
    return sum(sizes)


class FrameReader:
    """Splits a byte stream into frames, refusing anything larger than ``max_bytes`` in total."""

    def __init__(self, max_bytes: int, contiguous: bool = False) -> None:
        self.buffer = bytearray()
        self.max_bytes = max_bytes
        self.contiguous = contiguous
        self.received = 0

    def feed(self, chunk: bytes) -> Iterator[tuple[dict[str, Any], list[Tensor | None]]]:
        self.received += len(chunk)
        if self.received > self.max_bytes:
            raise WireError(f"result data exceeds {self.max_bytes} bytes")
        self.buffer += chunk
        while len(self.buffer) >= HEAD.size:
            magic, length = HEAD.unpack_from(self.buffer)
            if magic != MAGIC or length > MAX_HEADER:
                raise WireError("bad frame header")
            end = HEAD.size + length
            if len(self.buffer) < end:
                return
            header = bytes(self.buffer[HEAD.size:end])
            total = end + payload_size(header)
            if len(self.buffer) < total:
                return
            # Decoded straight from the buffer: each tensor's bytes are copied once, into the tensor, so a frame
            # costs at most twice its size in memory (the buffer and the tensors), not four times.
            with memoryview(self.buffer) as view, view[end:total] as payload:
                frame = decode(header, payload, self.contiguous)
            del self.buffer[:total]
            yield frame

    @property
    def pending(self) -> bool:
        return bool(self.buffer)
