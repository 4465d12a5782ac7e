"""agent-lightning 0.3's Trainer, client-server mode, with an external store: a Lightning Store server.

Usage: python agl_trainer.py http://127.0.0.1:<http port>

The Trainer's ClientServerExecutionStrategy runs an algorithm in this process and two runner processes,
all on a LightningStoreClient of the given server (managed_store=False: the strategy starts no store of
its own, so nothing binds or advertises another address). The runners use the Trainer's default tracer
(AgentOps) and a trivial agent that calls no model and rewards each task with its expected answer. The
algorithm enqueues the tasks, polls until they finish and checks each rollout's attempt, worker, spans and
reward. Exits 0 when every check holds, 1 otherwise.
"""

from __future__ import annotations

import asyncio
import sys
import time
import traceback
from typing import Any, Dict, List, Optional

import opentelemetry.trace as trace_api

import agentlightning
from agentlightning import (
    AgentOpsTracer,
    ClientServerExecutionStrategy,
    EnqueueRolloutRequest,
    LightningStore,
    LightningStoreClient,
    LitAgent,
    LitAgentRunner,
    PromptTemplate,
    Rollout,
    Trainer,
    algo,
)
from agl_checks import check, equal

TASKS = [{"question": f"{n}+{n}?", "answer": float(2 * n)} for n in range(6)]
N_RUNNERS = 2
DEADLINE_SECONDS = 120


class AnsweringAgent(LitAgent[Dict[str, Any]]):
    """Answers from the task itself (no model): one span per task, the expected answer as the reward."""

    def rollout(self, task: Dict[str, Any], resources: Any, rollout: Rollout) -> float:
        with trace_api.get_tracer("lightning-store.test").start_as_current_span("answer") as span:
            span.set_attribute("question", task["question"])
        return task["answer"]


checked: List[str] = []


@algo
async def enqueue_and_check(*, store: LightningStore, train_dataset: Optional[Any], val_dataset: Optional[Any]) -> None:
    """Enqueues every task, waits until each rollout finished and checks what the runners left in the store."""
    assert train_dataset is not None
    try:
        await check_round(store, train_dataset)
    finally:
        # The algorithm is the last user of this process's client: close its session before the loop ends.
        if isinstance(store, LightningStoreClient):
            await store.close()


async def check_round(store: LightningStore, train_dataset: Any) -> None:
    resources = await store.add_resources({"prompt": PromptTemplate(template="{question}", engine="f-string")})
    queued = await store.enqueue_many_rollouts(
        [EnqueueRolloutRequest(input=task, mode="train", resources_id=resources.resources_id) for task in train_dataset]
    )
    ids = [r.rollout_id for r in queued]
    deadline = time.monotonic() + DEADLINE_SECONDS
    finished: Dict[str, Rollout] = {}
    while len(finished) < len(ids):
        check(time.monotonic() < deadline, f"rollouts finished within {DEADLINE_SECONDS} s: {len(finished)} of {len(ids)}")
        for rollout in await store.wait_for_rollouts(rollout_ids=ids, timeout=0):
            finished[rollout.rollout_id] = rollout
        await asyncio.sleep(0.2)

    workers = set()
    for rollout_id, task in zip(ids, train_dataset):
        equal(finished[rollout_id].status, "succeeded", f"{rollout_id} status")
        attempt = await store.get_latest_attempt(rollout_id)
        check(attempt is not None and attempt.status == "succeeded", f"{rollout_id} attempt: {attempt!r}")
        workers.add(attempt.worker_id)
        spans = (await store.query_spans(rollout_id)).items
        names = [s.name for s in spans]
        check("answer" in names, f"{rollout_id}: the agent's span came back: {names}")
        reward = agentlightning.find_final_reward(spans)
        check(isinstance(reward, float) and reward == task["answer"], f"{rollout_id} reward: expected {task['answer']!r}, got {reward!r}")
        checked.append(rollout_id)
    expected_workers = {f"Worker-{i}" for i in range(N_RUNNERS)}
    check(workers <= expected_workers, f"rollouts were run by the runners' workers: {sorted(map(str, workers))}")
    # Every runner process polls the queue under its worker id, so both show up (one may have found no work).
    listed: set[str] = set()
    while not expected_workers <= listed:
        check(time.monotonic() < deadline, f"both runners polled the store: {sorted(listed)}")
        listed = {w.worker_id for w in (await store.query_workers()).items}
        await asyncio.sleep(0.2)


def main() -> int:
    base = sys.argv[1]
    try:
        trainer = Trainer(
            algorithm=enqueue_and_check,
            store=LightningStoreClient(base),
            strategy=ClientServerExecutionStrategy(role="both", n_runners=N_RUNNERS, managed_store=False, graceful_timeout=5.0),
            runner=LitAgentRunner(tracer=AgentOpsTracer(), poll_interval=0.5, interval_jitter=0.1),
        )
        trainer.fit(AnsweringAgent(), train_dataset=TASKS)
        equal(len(checked), len(TASKS), "rollouts checked by the algorithm")
    except BaseException:
        traceback.print_exc()
        return 1
    print(f"Trainer: client-server round passed ({len(checked)} rollouts, {N_RUNNERS} runners)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
