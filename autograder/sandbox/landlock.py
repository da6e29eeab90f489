"""Landlock: the child restricts its own file-system and network access, without privileges.

Landlock (Linux >= 5.13) lets a process give up access rights for itself and all its future children,
irreversibly. The child keeps read access to the Python installation, the system libraries and the
staged submission, read-write access to its private working directory, and nothing else: no project
checkout (so no ``solutions/``), no secret file, no ``/proc`` (so no other process's memory or
environment), no other submission. From ABI 4 it also loses TCP ``connect``/``bind``, and from ABI 6 it
can no longer signal processes outside its sandbox (the grader, the zygote) or reach their abstract Unix
sockets. Raw syscalls through ctypes: no dependency. Where the kernel lacks Landlock (older Linux, macOS,
Windows) :func:`restrict` returns an empty list and the other layers remain.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import platform
import struct
from collections.abc import Iterable

SYS_CREATE_RULESET, SYS_ADD_RULE, SYS_RESTRICT_SELF = 444, 445, 446  # same numbers on every architecture
CREATE_RULESET_VERSION = 1 << 0
RULE_PATH_BENEATH = 1
PR_SET_NO_NEW_PRIVS = 38

EXECUTE, WRITE_FILE, READ_FILE, READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
REMOVE_DIR, REMOVE_FILE, MAKE_CHAR, MAKE_DIR = 1 << 4, 1 << 5, 1 << 6, 1 << 7
MAKE_REG, MAKE_SOCK, MAKE_FIFO, MAKE_BLOCK, MAKE_SYM = 1 << 8, 1 << 9, 1 << 10, 1 << 11, 1 << 12
REFER, TRUNCATE, IOCTL_DEV = 1 << 13, 1 << 14, 1 << 15
NET_BIND_TCP, NET_CONNECT_TCP = 1 << 0, 1 << 1
SCOPE_ABSTRACT_UNIX_SOCKET, SCOPE_SIGNAL = 1 << 0, 1 << 1

FILE_RIGHTS = EXECUTE | WRITE_FILE | READ_FILE | TRUNCATE | IOCTL_DEV
"""The only rights a rule on a regular file (not a directory) may carry."""
READ = EXECUTE | READ_FILE | READ_DIR
WRITE = (WRITE_FILE | REMOVE_DIR | REMOVE_FILE | MAKE_DIR | MAKE_REG | MAKE_SYM | MAKE_FIFO | MAKE_SOCK
         | REFER | TRUNCATE)


def _handled_fs(abi: int) -> int:
    """Every file-system right the kernel knows at this ABI: all of them are denied unless a rule allows."""
    rights = (1 << 13) - 1
    if abi >= 2:
        rights |= REFER
    if abi >= 3:
        rights |= TRUNCATE
    if abi >= 5:
        rights |= IOCTL_DEV
    return rights


def _libc() -> ctypes.CDLL | None:
    if platform.system() != "Linux":
        return None
    libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    return libc


_LIBC = _libc()


def abi_version() -> int:
    """The kernel's Landlock ABI version; 0 when Landlock is missing or disabled."""
    if _LIBC is None:
        return 0
    version = _LIBC.syscall(SYS_CREATE_RULESET, None, ctypes.c_size_t(0), ctypes.c_uint32(CREATE_RULESET_VERSION))
    return max(int(version), 0)


def _check(result: int, what: str) -> int:
    if result < 0:
        err = ctypes.get_errno()
        raise OSError(err, f"landlock {what}: {os.strerror(err)}")
    return result


def restrict(read: Iterable[str], write: Iterable[str]) -> list[str]:
    """Allow reading under ``read``, reading and writing under ``write``, and nothing else, for good.

    Returns the names of the layers now active (empty when Landlock is unavailable). Paths that do not
    exist are skipped. Must run after everything that needs other files has been opened.
    """
    abi = abi_version()
    if abi < 1:
        return []
    fs = _handled_fs(abi)
    net = NET_BIND_TCP | NET_CONNECT_TCP if abi >= 4 else 0
    scoped = SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL if abi >= 6 else 0
    attr = struct.pack("=QQQ", fs, net, scoped)[: 8 if abi < 4 else 16 if abi < 6 else 24]
    buf = ctypes.create_string_buffer(attr, len(attr))
    ruleset = _check(_LIBC.syscall(SYS_CREATE_RULESET, buf, ctypes.c_size_t(len(attr)), ctypes.c_uint32(0)),
                     "create_ruleset")
    try:
        for paths, rights in ((read, READ), (write, READ | WRITE)):
            for path in paths:
                _allow(ruleset, path, rights & fs)
        _check(_LIBC.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")
        _check(_LIBC.syscall(SYS_RESTRICT_SELF, ctypes.c_int(ruleset), ctypes.c_uint32(0)), "restrict_self")
    finally:
        os.close(ruleset)
    layers = ["landlock-fs"]
    if net:
        layers.append("landlock-tcp")
    if scoped:
        layers.append("landlock-scope")
    return layers


def _allow(ruleset: int, path: str, rights: int) -> None:
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except OSError:
        return
    try:
        if not os.path.isdir(path):
            rights &= FILE_RIGHTS
        rule = ctypes.create_string_buffer(struct.pack("=Qi", rights, fd), 12)
        _check(_LIBC.syscall(SYS_ADD_RULE, ctypes.c_int(ruleset), ctypes.c_int(RULE_PATH_BENEATH), rule,
                             ctypes.c_uint32(0)), f"add_rule {path}")
    finally:
        os.close(fd)
