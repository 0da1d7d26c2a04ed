"""Evidence retention: purge the sealed evidence of incidents older than ``BAOMI_EVIDENCE_RETENTION_DAYS``.

Runs once at start-up and then hourly, off the event loop; metadata (who, when, categories, decisions) is
kept for the statistics. 0 days keeps evidence forever.
"""
from __future__ import annotations

import asyncio
import logging

from proxy.periodic import Periodic

log = logging.getLogger("baomi.retention")


class RetentionTask:
    def __init__(self, incidents, days: float, interval: float = 3600.0) -> None:
        self.incidents = incidents
        self.days = days
        self._job = Periodic("evidence purge", interval if days > 0 else 0, self.purge_once, log=log,
                             run_first=True)
        self.start, self.stop = self._job.start, self._job.stop

    async def purge_once(self) -> int:
        n = await asyncio.get_running_loop().run_in_executor(None, self.incidents.purge_evidence, self.days)
        if n:
            log.info("purged the evidence of %d incident(s) older than %g days", n, self.days)
        return n
