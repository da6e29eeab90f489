"""Kernel-level confinement of the child beyond Landlock: namespaces, a private tmpfs, no capabilities.

Each function is one layer, tries its system call, and returns the name of the layer it made active (or
``None`` where the kernel or the grader's privileges do not allow it), so the child can report exactly
which layers protected it. Most need root (Gradescope runs its autograder as root; a student's laptop
does not), and each fails closed to "not active", never to an error.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import platform

CLONE_NEWNS, CLONE_NEWNET = 0x00020000, 0x40000000
MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REC, MS_PRIVATE = 2, 4, 8, 1 << 14, 1 << 18
PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_CAPBSET_READ, PR_CAPBSET_DROP, PR_SET_SECUREBITS = 1, 4, 23, 24, 28
PR_SET_CHILD_SUBREAPER, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL = 36, 47, 4
SECURE_ALL_LOCKED = 0b1110_1111  # NOROOT, NO_SETUID_FIXUP, NO_CAP_AMBIENT_RAISE, each locked; KEEP_CAPS locked off
CAPABILITY_VERSION_3 = 0x20080522


def _libc() -> ctypes.CDLL | None:
    if platform.system() != "Linux":
        return None
    return ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)


_LIBC = _libc()


def prctl(option: int, arg: int = 0) -> bool:
    """One ``prctl``; False where it failed or the platform has none."""
    return _LIBC is not None and _LIBC.prctl(option, ctypes.c_ulong(arg), 0, 0, 0) == 0


def private_network() -> str | None:
    """A new, empty network namespace: no interface but a down loopback, so no connection of any kind."""
    if _LIBC is None or _LIBC.unshare(CLONE_NEWNET) != 0:
        return None
    return "netns"


def private_tmpfs(workdir: str, size_bytes: int) -> str | None:
    """Mount a fresh, size-capped tmpfs on ``workdir``, visible to this process (and its children) only.

    It disappears with the child, so what a submission writes is bounded and never reaches the disk.
    """
    if _LIBC is None or _LIBC.unshare(CLONE_NEWNS) != 0:
        return None
    # Without this, the mount below would propagate back to the grader's mount namespace.
    if _LIBC.mount(None, b"/", None, MS_REC | MS_PRIVATE, None) != 0:
        return None
    options = f"size={size_bytes},mode=0700,nr_inodes=4096".encode()
    if _LIBC.mount(b"tmpfs", workdir.encode(), b"tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, options) != 0:
        return None
    return "tmpfs"


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def drop_capabilities() -> str | None:
    """Give up every capability, for good: a child running as root keeps root's files, nothing more.

    Locked securebits stop an ``exec`` from giving root's capabilities back; the bounding set is emptied
    for the same reason. Only meaningful when the grader runs as root; a no-op (and not reported) otherwise.
    """
    if _LIBC is None or os.geteuid() != 0:
        return None
    ok = prctl(PR_SET_SECUREBITS, SECURE_ALL_LOCKED)
    cap = 0
    while _LIBC.prctl(PR_CAPBSET_READ, ctypes.c_ulong(cap), 0, 0, 0) >= 0:  # fails past the last capability
        ok = prctl(PR_CAPBSET_DROP, cap) and ok
        cap += 1
    ok = prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL) and ok
    header = _CapHeader(CAPABILITY_VERSION_3, 0)
    data = (_CapData * 2)()
    ok = _LIBC.capset(ctypes.byref(header), data) == 0 and ok
    return "no-capabilities" if ok else None

