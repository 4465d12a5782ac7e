"""agent-lightning 0.3's own runner and default tracer against a Lightning Store server.

Usage: python agl_tracer.py http://127.0.0.1:<http port>

A LitAgentRunner with the AgentOps tracer the Trainer builds by default (AgentOps and instrumentation
managed by agent-lightning) runs one rollout of a trivial agent that calls no model: it opens a span and
emits a reward of exactly 1.0 through the tracer. The tracer's own OTLP/HTTP exporter sends them to the
server's /v1/traces; the spans and the reward are then read back through the client and checked, the
reward still a float. Exits 0 when every check holds, 1 otherwise.
"""

from __future__ import annotations

import asyncio
import sys
import traceback
from typing import Any

import opentelemetry.trace as trace_api

import agentlightning
from agentlightning import AgentOpsTracer, LitAgent, LitAgentRunner, LightningStoreClient, PromptTemplate, Rollout, emit_reward
from agl_checks import check, equal

REWARD_KEY = "agentlightning.reward.0.value"


class TrivialAgent(LitAgent[Any]):
    """Opens one span and emits a reward of exactly 1.0 through the tracer; never calls a model."""

    def rollout(self, task: Any, resources: Any, rollout: Rollout) -> None:
        tracer = trace_api.get_tracer("lightning-store.test")
        with tracer.start_as_current_span("trivial.step") as span:
            span.set_attribute("task.question", str(task["question"]))
            span.set_attribute("task.weight", 2.0)
        emit_reward(1.0)
        # None: the runner takes the spans the tracer exported as the rollout's result.
        return None


async def run(base: str) -> None:
    store = LightningStoreClient(base)
    try:
        equal(store.otlp_traces_endpoint(), f"{base}/v1/traces", "OTLP endpoint the tracer exports to")
        await store.add_resources({"prompt": PromptTemplate(template="Answer {question}", engine="f-string")})
        runner: LitAgentRunner[Any] = LitAgentRunner(tracer=AgentOpsTracer(agentops_managed=True, instrument_managed=True))
        runner.init(TrivialAgent())
        runner.init_worker(0, store)
        try:
            done = await runner.step({"question": "1+1?"})
        finally:
            runner.teardown_worker(0)
            runner.teardown()
        equal(done.status, "succeeded", "rollout status after the runner's step")

        spans = (await store.query_spans(done.rollout_id)).items
        names = [s.name for s in spans]
        check("trivial.step" in names, f"the agent's span came back over OTLP: {names}")
        check("agentlightning.annotation" in names, f"the reward span came back over OTLP: {names}")
        step = next(s for s in spans if s.name == "trivial.step")
        equal(step.attributes.get("task.question"), "1+1?", "span attribute")
        weight = step.attributes.get("task.weight")
        check(isinstance(weight, float) and weight == 2.0, f"a whole double attribute stays a float: {weight!r}")
        equal(step.resource.attributes.get("agentlightning.rollout_id"), done.rollout_id, "resource rollout id")
        equal(step.attempt_id, (await store.get_latest_attempt(done.rollout_id)).attempt_id, "span attempt id")
        check(step.sequence_id >= 1, f"server-assigned sequence id: {step.sequence_id}")

        reward = next(s for s in spans if REWARD_KEY in s.attributes)
        value = reward.attributes[REWARD_KEY]
        check(isinstance(value, float) and value == 1.0, f"the reward comes back as the float 1.0: {value!r}")
        equal(agentlightning.find_final_reward(spans), 1.0, "final reward found by agent-lightning")
    finally:
        await store.close()


def main() -> int:
    base = sys.argv[1]
    try:
        asyncio.run(run(base))
    except Exception:
        traceback.print_exc()
        return 1
    print("AgentOps tracer: runner round passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
