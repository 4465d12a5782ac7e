"""A full round of agent-lightning 0.3's own LightningStoreClient against a Lightning Store server.

Usage: python agl_round.py http://127.0.0.1:<http port>

Resources, queue, attempts with a retry, spans (through the client and through an OpenTelemetry
OTLP/HTTP exporter), workers, waits and queries; then what the client's signatures promise for
unknown ids and values (None, empty pages, ids left out, unknown resources ids accepted, "" kept). Every
answer is checked. Exits 0 when every check holds, 1 with the failed check's message otherwise.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import sys
import time
import traceback
from typing import Any, Iterator

import aiohttp
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource as OtelSdkResource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExportResult
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

import agentlightning
from agentlightning import (
    LLM,
    AttemptedRollout,
    EnqueueRolloutRequest,
    LightningStoreClient,
    PromptTemplate,
    ProxyLLM,
    Rollout,
    RolloutConfig,
    Span,
)
from agl_checks import check, equal


def near_now(seconds: float | None, what: str) -> None:
    check(seconds is not None and abs(seconds - time.time()) < 300, f"{what}: {seconds!r} is not a time in seconds near now")


@contextlib.contextmanager
def quiet(logger_name: str) -> Iterator[None]:
    """Silences the client's error log for calls that are expected to fail."""
    logger = logging.getLogger(logger_name)
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


async def expect_status(status: int, call: Any, what: str) -> None:
    try:
        await call
    except aiohttp.ClientResponseError as err:
        equal(err.status, status, f"{what}: HTTP status")
        return
    raise AssertionError(f"{what}: expected HTTP {status}, the call succeeded")


async def resources_round(client: LightningStoreClient) -> str:
    added = await client.add_resources(
        {
            "main_llm": LLM(endpoint="http://localhost:8080/v1", model="llama3", sampling_parameters={"temperature": 0.7}),
            "system_prompt": PromptTemplate(template="You are {name}.", engine="f-string"),
        }
    )
    check(added.resources_id.startswith("rs-"), f"resources id {added.resources_id!r} has no rs- prefix")
    equal(added.version, 1, "version of new resources")
    check(isinstance(added.resources["main_llm"], LLM), "main_llm comes back as an LLM")
    equal(added.resources["main_llm"].sampling_parameters, {"temperature": 0.7}, "sampling parameters")
    near_now(added.create_time, "create_time")

    updated = await client.update_resources(
        added.resources_id,
        {"proxy": ProxyLLM(endpoint="http://proxy:4000/v1", model="policy"), "system_prompt": PromptTemplate(template="Hi", engine="jinja")},
    )
    equal(updated.version, 2, "version after update")
    equal(updated.create_time, added.create_time, "create_time kept by update")
    check(isinstance(updated.resources["proxy"], ProxyLLM), "proxy comes back as a ProxyLLM")
    equal(set(updated.resources), {"proxy", "system_prompt"}, "resources replaced by update")

    upserted = await client.update_resources("v0", {"main_llm": LLM(endpoint="http://llm/v1", model="m")})
    equal((upserted.resources_id, upserted.version), ("v0", 1), "update of an unknown id creates it")
    latest = await client.get_latest_resources()
    equal(latest and latest.resources_id, "v0", "latest resources")
    by_id = await client.get_resources_by_id(added.resources_id)
    equal(by_id, updated, "resources read by id")
    with quiet("agentlightning.store.client"):
        equal(await client.get_resources_by_id("rs-missing"), None, "unknown resources id")
    page = await client.query_resources(resources_id_contains="rs-")
    equal((page.total, [r.resources_id for r in page.items]), (1, [added.resources_id]), "query_resources")
    everything = await client.query_resources(sort_by="update_time", sort_order="desc", limit=1)
    equal((everything.total, everything.limit, everything.items[0].resources_id), (2, 1, "v0"), "query_resources paged")
    return "v0"


async def client_spans(client: LightningStoreClient, rollout_id: str, attempt_id: str) -> None:
    first = await client.get_next_span_sequence_id(rollout_id, attempt_id)
    equal(first, 1, "first sequence id")
    reward = Span.from_attributes(
        rollout_id=rollout_id,
        attempt_id=attempt_id,
        sequence_id=first,
        name="agentlightning.reward",
        attributes={"agentlightning.reward.0.name": "accuracy", "agentlightning.reward.0.value": 1.0},
    )
    stored = await client.add_span(reward)
    check(stored is not None, "add_span stored the span")
    assert stored is not None
    equal((stored.span_id, stored.sequence_id, stored.attributes), (reward.span_id, 1, reward.attributes), "stored span")
    equal(await client.add_span(reward), None, "a duplicate span")

    # A real OpenTelemetry SDK span, converted and sent by the client itself.
    provider = TracerProvider()
    memory = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(memory))
    with provider.get_tracer("agl-round").start_as_current_span("llm.call") as sdk_span:
        sdk_span.set_attribute("gen_ai.request.model", "gpt-4o")
        sdk_span.add_event("token", {"n": 3})
    provider.shutdown()
    otel = await client.add_otel_span(rollout_id, attempt_id, memory.get_finished_spans()[0])
    check(otel is not None, "add_otel_span stored the span")
    assert otel is not None
    equal((otel.name, otel.sequence_id, otel.attributes["gen_ai.request.model"]), ("llm.call", 2, "gpt-4o"), "span from add_otel_span")
    equal([e.name for e in otel.events], ["token"], "events of the OpenTelemetry span")


def otlp_spans(base: str, rollout_id: str, attempt_id: str) -> None:
    resource = OtelSdkResource.create(
        {"service.name": "agl-round", "agentlightning.rollout_id": rollout_id, "agentlightning.attempt_id": attempt_id}
    )
    provider = TracerProvider(resource=resource)
    results: list[SpanExportResult] = []

    class Recording(OTLPSpanExporter):
        def export(self, spans: Any) -> SpanExportResult:
            result = super().export(spans)
            results.append(result)
            return result

    provider.add_span_processor(SimpleSpanProcessor(Recording(endpoint=f"{base}/v1/traces", timeout=10)))
    tracer = provider.get_tracer("agl-round")
    with tracer.start_as_current_span("otlp.parent"):
        with tracer.start_as_current_span("otlp.child") as child:
            child.set_attribute("tool.name", "search")
    provider.shutdown()
    equal(results, [SpanExportResult.SUCCESS, SpanExportResult.SUCCESS], "OTLP/HTTP export results")


async def contract_round(client: LightningStoreClient) -> None:
    """What the client's signatures promise for unknown ids and values, answered as the reference does."""
    equal(await client.get_worker_by_id("nobody"), None, "get_worker_by_id of an unknown worker")
    equal(await client.get_resources_by_id("rs-nobody"), None, "get_resources_by_id of an unknown id")
    empty = await client.query_spans("ro-missing")
    equal((empty.items, empty.total), ([], 0), "query_spans of an unknown rollout")
    equal((await client.query_attempts("ro-missing")).total, 0, "query_attempts of an unknown rollout")
    # An unknown resources id is stored as given; the runner then fails to fetch it and skips the rollout.
    later = await client.enqueue_rollout(input={"q": 1}, resources_id="rs-not-yet")
    equal(later.resources_id, "rs-not-yet", "enqueue with an unknown resources id")
    check(re.fullmatch(r"ro-[0-9a-f]{12}", later.rollout_id) is not None, f"rollout id shape: {later.rollout_id}")
    started = await client.start_rollout(input={"q": 2}, resources_id="rs-gone", worker_id="Worker-9")
    check(re.fullmatch(r"at-[0-9a-f]{8}", started.attempt.attempt_id) is not None, f"attempt id shape: {started.attempt.attempt_id}")
    moved = await client.update_rollout(started.rollout_id, resources_id="rs-elsewhere")
    equal(moved.resources_id, "rs-elsewhere", "update_rollout to an unknown resources id")
    await client.update_rollout(later.rollout_id, status="cancelled")
    waited = await client.wait_for_rollouts(rollout_ids=["ro-missing", later.rollout_id], timeout=0)
    equal([r.rollout_id for r in waited], [later.rollout_id], "wait_for_rollouts leaves an unknown id out")
    kept = await client.update_attempt(started.rollout_id, started.attempt.attempt_id, worker_id="")
    equal(kept.worker_id, "", "update_attempt keeps an empty worker id")
    await expect_status(400, client.query_rollouts(sort_by="attempt"), "query_rollouts sorted by an undeclared field")


async def main(base: str) -> None:
    client = LightningStoreClient(base)
    try:
        await run(client, base)
        await contract_round(client)
    finally:
        await client.close()


async def run(client: LightningStoreClient, base: str) -> None:
    equal(client.otlp_traces_endpoint(), f"{base}/v1/traces", "OTLP endpoint")
    resources_id = await resources_round(client)

    # Queue: one with the default policy, one that retries a failure once, and one started directly.
    plain = await client.enqueue_rollout(input={"question": "1+1?"}, mode="train", metadata={"source": "agl_round"})
    check(isinstance(plain, Rollout) and not isinstance(plain, AttemptedRollout), "enqueue_rollout answers a plain Rollout")
    equal((plain.status, plain.mode, plain.resources_id, plain.end_time), ("queuing", "train", resources_id, None), "enqueued rollout")
    equal(plain.config, RolloutConfig(), "default rollout config")
    near_now(plain.start_time, "rollout start_time")
    [retried] = await client.enqueue_many_rollouts(
        [EnqueueRolloutRequest(input={"question": "2+2?"}, config=RolloutConfig(max_attempts=2, retry_condition=["failed"]))]
    )
    equal(retried.config.max_attempts, 2, "config of the retried rollout")

    claimed = await client.dequeue_rollout(worker_id="Worker-0")
    check(claimed is not None, "dequeue found the first rollout")
    assert claimed is not None
    equal((claimed.rollout_id, claimed.status), (plain.rollout_id, "preparing"), "first claim is FIFO")
    equal((claimed.attempt.sequence_id, claimed.attempt.worker_id, claimed.attempt.status), (1, "Worker-0", "preparing"), "first attempt")
    worker = await client.update_worker("Worker-0", heartbeat_stats={"cpu_usage_pct": 12.5})
    equal((worker.status, worker.current_rollout_id, worker.heartbeat_stats), ("busy", plain.rollout_id, {"cpu_usage_pct": 12.5}), "busy worker")

    # Spans: through the client (which also makes the attempt run) and through OTLP/HTTP.
    await client_spans(client, plain.rollout_id, claimed.attempt.attempt_id)
    otlp_spans(base, plain.rollout_id, claimed.attempt.attempt_id)
    spans = await client.query_spans(plain.rollout_id)
    equal([s.name for s in spans.items], ["agentlightning.reward", "llm.call", "otlp.child", "otlp.parent"], "spans in sequence order")
    equal(spans.total, 4, "span total")
    child, parent = spans.items[2], spans.items[3]
    equal(child.parent_id, parent.span_id, "OTLP child's parent")
    equal(child.resource.attributes.get("agentlightning.rollout_id"), plain.rollout_id, "OTLP resource attributes")
    check(child.sequence_id > 2 and parent.sequence_id > 2, "OTLP spans got sequence ids after the client's")
    named = await client.query_spans(plain.rollout_id, "latest", name_contains="otlp", sort_by="name", sort_order="desc", limit=1)
    equal(([s.name for s in named.items], named.total, named.limit), (["otlp.parent"], 2, 1), "span query with filter, sort and page")
    running = await client.get_rollout_by_id(plain.rollout_id)
    check(isinstance(running, AttemptedRollout), "get_rollout_by_id answers the attempted rollout")
    assert isinstance(running, AttemptedRollout)
    equal((running.status, running.attempt.status), ("running", "running"), "spans made the attempt run")
    near_now(running.attempt.last_heartbeat_time, "heartbeat time")

    changed = await client.update_rollout(plain.rollout_id, metadata={"source": "agl_round", "checked": True})
    equal(changed.metadata, {"source": "agl_round", "checked": True}, "updated metadata")
    done = await client.update_attempt(plain.rollout_id, claimed.attempt.attempt_id, status="succeeded")
    equal(done.status, "succeeded", "finished attempt")
    near_now(done.end_time, "attempt end_time")

    # The retried rollout: the first attempt fails and is retried; the retry fails too.
    first_try = await client.dequeue_rollout(worker_id="Worker-1")
    check(first_try is not None and first_try.rollout_id == retried.rollout_id, "second claim is the retried rollout")
    assert first_try is not None
    await client.update_attempt(retried.rollout_id, "latest", status="failed")
    requeued = await client.get_rollout_by_id(retried.rollout_id)
    equal(requeued and requeued.status, "requeuing", "a failure within max_attempts requeues")
    second_try = await client.dequeue_rollout(worker_id="Worker-1")
    check(second_try is not None and second_try.attempt.sequence_id == 2, "the retry is attempt 2")
    assert second_try is not None
    await client.update_attempt(retried.rollout_id, second_try.attempt.attempt_id, status="failed", metadata={"reason": "bad answer"})
    equal(await client.dequeue_rollout(worker_id="Worker-1"), None, "the queue is empty")

    # A rollout started directly, bypassing the queue; a finished rollout takes no new attempt (409).
    direct = await client.start_rollout(input="direct", worker_id="Worker-2", config=RolloutConfig(timeout_seconds=600))
    equal((direct.status, direct.attempt.worker_id, direct.config.timeout_seconds), ("preparing", "Worker-2", 600.0), "started rollout")
    second = await client.start_attempt(direct.rollout_id)
    equal(second.attempt.sequence_id, 2, "start_attempt")
    await client.update_attempt(direct.rollout_id, "latest", status="succeeded")
    await expect_status(409, client.start_attempt(direct.rollout_id), "start_attempt on a finished rollout")

    # Waiting: the client polls with timeout 0 (it refuses more than 0.1 s).
    ids = [plain.rollout_id, retried.rollout_id, direct.rollout_id]
    finished = await client.wait_for_rollouts(rollout_ids=ids, timeout=0)
    equal([(r.rollout_id, r.status) for r in finished], [(plain.rollout_id, "succeeded"), (retried.rollout_id, "failed"), (direct.rollout_id, "succeeded")], "wait_for_rollouts")
    near_now(finished[1].end_time, "rollout end_time")

    # Queries.
    succeeded = await client.query_rollouts(status_in=["succeeded"], sort_by="start_time")
    equal([r.rollout_id for r in succeeded.items], [plain.rollout_id, direct.rollout_id], "query_rollouts by status")
    check(all(isinstance(r, AttemptedRollout) for r in succeeded.items), "queried rollouts carry their attempt")
    paged = await client.query_rollouts(limit=2, offset=1)
    equal((paged.total, paged.limit, paged.offset, len(paged.items)), (3, 2, 1, 2), "query_rollouts paging")
    either = await client.query_rollouts(status_in=["failed"], rollout_id_in=[direct.rollout_id], filter_logic="or")
    equal({r.rollout_id for r in either.items}, {retried.rollout_id, direct.rollout_id}, "query_rollouts with or")
    attempts = await client.query_attempts(retried.rollout_id)
    equal([(a.sequence_id, a.status) for a in attempts.items], [(1, "failed"), (2, "failed")], "query_attempts")
    equal(attempts.items[1].metadata, {"reason": "bad answer"}, "attempt metadata")
    latest = await client.get_latest_attempt(retried.rollout_id)
    equal(latest and latest.sequence_id, 2, "get_latest_attempt")
    with quiet("agentlightning.store.client"):
        equal(await client.get_rollout_by_id("ro-missing"), None, "unknown rollout")
        equal(await client.get_latest_attempt("ro-missing"), None, "latest attempt of an unknown rollout")

    # Workers: released when their attempts ended.
    workers = await client.query_workers(sort_by="worker_id")
    equal([(w.worker_id, w.status) for w in workers.items], [("Worker-0", "idle"), ("Worker-1", "idle"), ("Worker-2", "busy")], "workers (Worker-2 still holds the superseded attempt 1)")
    idle = await client.query_workers(status_in=["idle"], worker_id_contains="-1")
    equal([w.worker_id for w in idle.items], ["Worker-1"], "query_workers with filters")
    worker0 = await client.get_worker_by_id("Worker-0")
    check(worker0 is not None and worker0.last_idle_time is not None and worker0.current_rollout_id is None, f"Worker-0 is released: {worker0!r}")

    stats = await client.statistics()
    equal((stats["total_rollouts"], stats["total_attempts"], stats["total_spans"], stats["total_resources"]), (3, 5, 4, 2), "statistics")


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    try:
        asyncio.run(main(sys.argv[1].rstrip("/")))
    except AssertionError as err:
        print(f"FAILED: {err}", file=sys.stderr)
        sys.exit(1)
    except Exception:
        traceback.print_exc()
        print("FAILED: unexpected error (traceback above)", file=sys.stderr)
        sys.exit(1)
    print(f"agent-lightning {agentlightning.__version__} LightningStoreClient: full round passed")
