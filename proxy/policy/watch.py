"""Hot reload: watch the policy files and swap a new policy in atomically; a broken file changes nothing.

The watcher polls (no inotify dependency; works on bind mounts and ConfigMaps whose files are replaced by
symlink swaps) and compares file CONTENTS, not modification times, so two quick edits within one mtime tick
are not missed. A new policy is built completely off the event loop and only then assigned to
``rt.policy`` in one step; requests already running keep the rules they resolved when they arrived. A file
that does not load leaves the last good policy in force, is logged at ERROR level on every change, and is
shown by ``/readyz`` until it is fixed.
"""
from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from pathlib import Path

from proxy.periodic import Periodic
from proxy.policy.loader import PolicyError, load_policy, watched_files

log = logging.getLogger("baomi.policy")


def fingerprint(spec: str) -> tuple:
    out = []
    for path in watched_files(spec):
        p = Path(path)
        try:
            if p.is_dir():
                out.append((str(p), tuple(sorted(q.name for q in p.iterdir()))))
            else:
                out.append((str(p), hashlib.sha256(p.read_bytes()).hexdigest()))
        except OSError:
            out.append((str(p), None))
    return tuple(out)


class PolicyWatcher:
    def __init__(self, rt, spec: str, interval: float) -> None:
        self.rt = rt
        self.spec = spec
        self.interval = interval
        self._seen = fingerprint(spec)
        self._job = Periodic("policy watcher", interval, self.check, log=log)
        self.start, self.stop = self._job.start, self._job.stop

    async def check(self, loop: asyncio.AbstractEventLoop | None = None) -> bool:
        """Reload if the files changed. True when a new policy was swapped in."""
        loop = loop or asyncio.get_running_loop()
        current = await loop.run_in_executor(None, fingerprint, self.spec)
        if current == self._seen:
            return False
        self._seen = current
        try:
            policy = await loop.run_in_executor(None, load_policy, self.spec)
        except PolicyError as exc:
            self.rt.policy_error = str(exc)
            log.error("POLICY NOT RELOADED / 策略未重新加载: the files under %s have errors; the last good policy "
                      "(loaded %s) stays in force until they are fixed:\n%s", self.spec,
                      time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(self.rt.policy_loaded_at)), exc)
            return False
        self.rt.policy = policy  # one reference assignment: atomic for every reader
        self.rt.policy_error = None
        self.rt.policy_loaded_at = time.time()
        log.warning("policy reloaded / 策略已重新加载 from %s", ", ".join(policy.sources))
        return True
