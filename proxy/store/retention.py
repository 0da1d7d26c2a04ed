"""Evidence retention: purge the sealed evidence of incidents older than ``BAOMI_EVIDENCE_RETENTION_DAYS``.

Runs once at start-up and then hourly, off the event loop; metadata (who, when, categories, decisions) is
kept for the statistics. 0 days keeps evidence forever.
"""
from __future__ import annotations

import asyncio
import logging

log = logging.getLogger("baomi.retention")


class RetentionTask:
    def __init__(self, incidents, days: float, interval: float = 3600.0) -> None:
        self.incidents = incidents
        self.days = days
        self.interval = interval
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        if self.days > 0:
            self._task = asyncio.get_running_loop().create_task(self._run(), name="baomi-retention")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass

    async def purge_once(self) -> int:
        n = await asyncio.get_running_loop().run_in_executor(None, self.incidents.purge_evidence, self.days)
        if n:
            log.info("purged the evidence of %d incident(s) older than %g days", n, self.days)
        return n

    async def _run(self) -> None:
        while True:
            try:
                await self.purge_once()
            except Exception as exc:  # noqa: BLE001 - retry next round; never take the gateway down
                log.error("evidence purge failed (%s)", type(exc).__name__)
            await asyncio.sleep(self.interval)
