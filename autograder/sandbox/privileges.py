"""Running student code as an unprivileged user, when the grader itself runs as root (as on Gradescope).

Only the child that runs student code changes user, after fork and before it imports anything of the
student's: the grader and the zygote stay root, so student code can neither signal them nor read what
only root can read (the course secret, the autograder's own files, the results directory).
"""

from __future__ import annotations

import os
import pwd
from dataclasses import dataclass


@dataclass(frozen=True)
class Account:
    name: str
    uid: int
    gid: int


def account(name: str) -> Account:
    """The account to run student code as; needs the grader to run as root."""
    if os.geteuid() != 0:
        raise PermissionError(f"running student code as {name!r} needs the grader to run as root")
    try:
        record = pwd.getpwnam(name)
    except KeyError:
        raise LookupError(f"no user named {name!r} on this machine") from None
    if record.pw_uid == 0:
        raise ValueError(f"{name!r} is root; choose an unprivileged user")
    return Account(name, record.pw_uid, record.pw_gid)


def drop(to: Account) -> None:
    """Become ``to`` for good: no supplementary groups, and no way back to root."""
    os.setgroups([])
    os.setgid(to.gid)
    os.setuid(to.uid)
    try:
        os.setuid(0)
    except PermissionError:
        return
    raise RuntimeError("could still become root after dropping privileges")
