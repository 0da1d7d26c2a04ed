"""A background job on the event loop, repeated every ``interval`` seconds until stopped.

Shared by the policy watcher and the evidence retention purge: each round's exception is logged (its type
only: messages could quote content) and the job goes on, so a failing round never takes the gateway down.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable


class Periodic:
    def __init__(self, name: str, interval: float, step: Callable[[], Awaitable[object]], *,
                 log: logging.Logger, run_first: bool = False) -> None:
        self.name, self.interval, self.step, self.log, self.run_first = name, interval, step, log, run_first
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        """Start the job (an interval of 0 or less means: never)."""
        if self.interval > 0:
            self._task = asyncio.get_running_loop().create_task(self._run(), name=self.name)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass

    async def _run(self) -> None:
        if not self.run_first:
            await asyncio.sleep(self.interval)
        while True:
            try:
                await self.step()
            except Exception as exc:  # noqa: BLE001 - retry next round
                self.log.error("%s failed (%s)", self.name, type(exc).__name__)
            await asyncio.sleep(self.interval)
