/**
 * The `hwddm:backup:Restore` resource over the provider protocol. The work is the core's
 * (provider/functions/restore.ts); this file decides what each engine call does with it:
 *
 * - Check: inputs checked before any request (unknown values at preview are no error); once
 *   the restore's inputs are known and new, the plan is proven with read-only calls.
 * - Diff: source, target, time or mapping changed → replace; connection inputs alone → none.
 * - Create: one POST, then the wait on the job within the engine's create timeout, its progress
 *   as the resource's status line. A wait that is cut (timeout, Cancel) or a job that fails
 *   returns the partial-create error carrying the job id, so the state keeps it and the next
 *   `pulumi up` (an Update, as for any resource with init errors) resumes the wait: it never
 *   sends the restore again. A POST whose outcome is unknown is kept the same way, as
 *   status `Unknown`, and is never resent by the provider. A plugin killed after the POST
 *   leaves the engine nothing, so the restore journal (../restore/journal.ts) records it
 *   before it is sent and the next Create resumes from there.
 * - Read: the job read again; a job DDM no longer knows leaves the state as it is.
 * - Delete: forgets the restore, with a warning (a restore cannot be undone).
 */
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import { ApiError, HwddmError, SelectionError } from "../errors";
import type { InvokeContext } from "../types";
import type * as restoreCore from "../functions/restore";
import type { RestorePlan } from "../restore/plan";
import type { Job } from "../restore/wire";
import { JobError, describeJob } from "../restore/job";
import { JournalEntry, RestoreJournal, journalDir, restoreInputsDigest } from "../restore/journal";
import { checkFailures } from "./grpc-errors";
import {
  comparable,
  formatSeconds,
  inputsOf,
  isPartialCreate,
  outputs,
  partialCreate,
  resourceId,
} from "./restore-state";
import { PlainObject, UNKNOWN_VALUE, fromStruct, toStruct } from "./protocol";

type RestoreCore = typeof restoreCore;

/** What the resource handlers need from the provider. */
export interface RestoreHost {
  core(): RestoreCore;
  context(signal: AbortSignal): InvokeContext;
  /** The resource's status line (ephemeral) or a kept warning. */
  status(urn: string, message: string): Promise<void>;
  warn(urn: string, message: string): Promise<void>;
  track(controller: AbortController): () => void;
  log(message: string): void;
}

/** The engine's default create timeout when the program sets none (customTimeouts). */
const DEFAULT_CREATE_TIMEOUT_S = 60 * 60;

export class RestoreResource {
  /** Plans proven by Check, by inputs, so that a preview's Create shows them without asking again. */
  private readonly proven = new Map<string, RestorePlan>();

  constructor(private readonly host: RestoreHost) {}

  /** The journal in the folder the plugin's environment names. */
  private journal(): RestoreJournal {
    return new RestoreJournal(journalDir(this.host.context(new AbortController().signal).env ?? process.env));
  }

  async check(req: provproto.CheckRequest): Promise<provproto.CheckResponse> {
    const news = inputsOf(req.getNews());
    const olds = inputsOf(req.getOlds());
    const core = this.host.core();
    const resp = new provproto.CheckResponse();
    resp.setInputs(req.getNews());
    let inputs: restoreCore.RestoreInputs;
    try {
      inputs = core.checkRestoreInputs(news.values, news.unknown);
    } catch (e) {
      if (HwddmError.isInstance(e) && e.kind === "validation") {
        const failures = (e as unknown as { failures: { property: string; reason: string }[] }).failures;
        resp.setFailuresList(checkFailures(failures));
        return resp;
      }
      throw e;
    }
    const restoreKeys = core.RESTORE_KEYS.restore as readonly string[];
    const connectionKeys = core.RESTORE_KEYS.connection as readonly string[];
    if ([...restoreKeys, ...connectionKeys].some((k) => news.unknown.has(k))) return resp;
    // Already restored with these inputs: nothing to prove (the target is now busy or restored).
    const unchanged =
      Object.keys(olds.values).length > 0 &&
      restoreKeys.every((k) => comparable(k, olds.values[k]) === comparable(k, news.values[k]));
    if (unchanged) return resp;
    const controller = new AbortController();
    const untrack = this.host.track(controller);
    try {
      const { plan } = await core.proveRestore(inputs, this.host.context(controller.signal));
      this.proven.set(JSON.stringify(news.values), plan);
    } catch (e) {
      if (SelectionError.isInstance(e)) {
        resp.setFailuresList(
          checkFailures([{ property: core.restoreFailureProperty(e, inputs), reason: e.message }]),
        );
        return resp;
      }
      throw e;
    } finally {
      untrack();
    }
    return resp;
  }

  diff(req: provproto.DiffRequest): provproto.DiffResponse {
    const olds = inputsOf(req.getOldInputs() ?? req.getOlds());
    const news = inputsOf(req.getNews());
    const replaces = (this.host.core().RESTORE_KEYS.restore as readonly string[]).filter(
      (k) => news.unknown.has(k) || comparable(k, olds.values[k]) !== comparable(k, news.values[k]),
    );
    const resp = new provproto.DiffResponse();
    resp.setChanges(
      replaces.length > 0
        ? provproto.DiffResponse.DiffChanges.DIFF_SOME
        : provproto.DiffResponse.DiffChanges.DIFF_NONE,
    );
    resp.setReplacesList(replaces);
    resp.setDiffsList(replaces);
    resp.setDeletebeforereplace(false);
    return resp;
  }

  async create(req: provproto.CreateRequest): Promise<provproto.CreateResponse> {
    const news = inputsOf(req.getProperties());
    const core = this.host.core();
    const inputs = core.checkRestoreInputs(news.values, news.unknown);
    const controller = new AbortController();
    const untrack = this.host.track(controller);
    const ctx = this.host.context(controller.signal);
    const urn = req.getUrn();
    try {
      if (req.getPreview()) {
        const known = news.unknown.size === 0;
        const plan = known
          ? (this.proven.get(JSON.stringify(news.values)) ?? (await core.proveRestore(inputs, ctx)).plan)
          : undefined;
        const resp = new provproto.CreateResponse();
        resp.setId("");
        resp.setProperties(
          toStruct({
            ...news.values,
            ...Object.fromEntries([...news.unknown].map((k) => [k, UNKNOWN_VALUE])),
            plan: plan ?? UNKNOWN_VALUE,
            jobId: UNKNOWN_VALUE,
            status: UNKNOWN_VALUE,
            process: UNKNOWN_VALUE,
            createdTime: UNKNOWN_VALUE,
            endTime: UNKNOWN_VALUE,
          }),
        );
        return resp;
      }
      const journal = this.journal();
      const identity = restoreInputsDigest({ ...inputs.common, ...inputs });
      const entry = journal.read(urn);
      if (entry) return await this.resumeJournaled(journal, entry, identity, inputs, ctx, req, news.values);
      const { plan } = await core.proveRestore(inputs, ctx);
      journal.write({ urn, inputsDigest: identity, state: "sending", plan });
      let jobId: string;
      try {
        jobId = (await core.sendRestore(inputs, plan, ctx)).jobId;
      } catch (e) {
        // Kept as Unknown in the state (the engine records it), or surely not sent: no entry either way.
        journal.remove(urn);
        if (ApiError.isInstance(e) && e.outcomeUnknown) {
          const props = outputs(news.values, plan, { status: "Unknown" }, "");
          throw partialCreate(
            resourceId("", plan),
            props,
            news.values,
            `${e.message}. The provider will not send it again: once you know whether it started, run \`pulumi state delete '${urn}'\` and \`pulumi up\` to send it again`,
          );
        }
        throw e;
      }
      journal.write({ urn, inputsDigest: identity, state: "sent", jobId, plan });
      this.host.log(`Create ${urn}: restore job ${jobId}`);
      await this.host.status(urn, `restore job ${jobId} started`);
      return await this.created(journal, urn, jobId, inputs, ctx, req, news.values, plan, true);
    } finally {
      untrack();
    }
  }

  /**
   * Wait on a sent restore's job and answer the Create. Once the engine gets the job id (the
   * answer, or the partial-create error carrying it) the journal entry is no longer needed.
   */
  private async created(
    journal: RestoreJournal,
    urn: string,
    jobId: string,
    inputs: restoreCore.RestoreInputs,
    ctx: InvokeContext,
    req: provproto.CreateRequest,
    given: PlainObject,
    plan: RestorePlan | undefined,
    justSent: boolean,
  ): Promise<provproto.CreateResponse> {
    let job: Job;
    try {
      job = await this.wait(
        inputs,
        jobId,
        ctx,
        urn,
        req.getTimeout(),
        given,
        plan as unknown as PlainObject,
        justSent,
      );
    } catch (e) {
      if (isPartialCreate(e)) journal.remove(urn);
      throw e;
    }
    journal.remove(urn);
    const resp = new provproto.CreateResponse();
    resp.setId(jobId);
    resp.setProperties(toStruct(outputs(given, plan, job, jobId)));
    return resp;
  }

  /** A Create for a resource the journal has a restore for, sent by a run the engine recorded nothing of. */
  private async resumeJournaled(
    journal: RestoreJournal,
    entry: JournalEntry,
    identity: string,
    inputs: restoreCore.RestoreInputs,
    ctx: InvokeContext,
    req: provproto.CreateRequest,
    given: PlainObject,
  ): Promise<provproto.CreateResponse> {
    const urn = req.getUrn();
    const file = journal.fileOf(urn);
    const edit = `write its job id into ${file} as "jobId": "<job id>" with "state": "sent", and \`pulumi up\` waits on it`;
    if (entry.state === "sending") {
      throw new HwddmError(
        "configuration",
        `an earlier \`pulumi up\` sent this restore (recorded ${entry.updatedAt} in ${file}) and stopped before DDM's answer was seen: ` +
          `the restore may have started, and it is not sent again. Find its job in the DDM console's Task Center; if it started, ${edit}; ` +
          `if it did not, delete ${file} and run \`pulumi up\` to send it`,
      );
    }
    const jobId = entry.jobId!;
    if (entry.inputsDigest !== identity) {
      throw new HwddmError(
        "configuration",
        `an earlier \`pulumi up\` started restore job ${jobId} for this resource with other inputs and stopped before the stack recorded it (${file}); ` +
          `nothing is sent while that restore may still run: once job ${jobId} has ended (see the DDM console's Task Center), delete ${file} and run \`pulumi up\` again`,
      );
    }
    this.host.log(`Create ${urn}: resuming restore job ${jobId} from ${file}`);
    await this.host.status(
      urn,
      `resuming the wait on restore job ${jobId}, sent by an earlier \`pulumi up\``,
    );
    return this.created(journal, urn, jobId, inputs, ctx, req, given, entry.plan, false);
  }

  /** Wait on the job; every end but Completed becomes the partial-create error keeping the job id. */
  private async wait(
    inputs: Pick<restoreCore.RestoreInputs, "common" | "pollIntervalMs">,
    jobId: string,
    ctx: InvokeContext,
    urn: string,
    timeoutSeconds: number,
    given: PlainObject,
    plan: PlainObject | undefined,
    justSent = false,
  ): Promise<Job> {
    const seconds = timeoutSeconds > 0 ? timeoutSeconds : DEFAULT_CREATE_TIMEOUT_S;
    let shown = "";
    try {
      return await this.host.core().waitRestore(inputs, jobId, ctx, {
        deadlineAt: Date.now() + seconds * 1000,
        firstPollAfterMs: justSent ? inputs.pollIntervalMs : 0,
        deadlineName: `the timeout of ${formatSeconds(seconds)}${timeoutSeconds > 0 ? "" : " (the default; set customTimeouts to change it)"}`,
        onPoll: (job) => {
          const line = `restore job ${jobId}: ${describeJob(job)}`;
          if (line !== shown) {
            shown = line;
            void this.host.status(urn, line);
          }
        },
      });
    } catch (e) {
      if (!JobError.isInstance(e)) throw e;
      const last = e.job ?? { status: e.reason === "failed" ? "Failed" : "Running" };
      const props = outputs(given, plan, last, jobId);
      const resume =
        e.reason === "failed"
          ? `; to restore again, run \`pulumi up --replace '${urn}'\``
          : "; the restore goes on in DDM: the next `pulumi up` resumes waiting on this job and does not restore again";
      throw partialCreate(jobId, props, given, `${e.message}${resume}`);
    }
  }

  /** Update: only a resource kept after a cut wait (or a connection change) gets here; never a POST. */
  async update(req: provproto.UpdateRequest): Promise<provproto.UpdateResponse> {
    const olds = fromStruct(req.getOlds());
    const news = inputsOf(req.getNews());
    const core = this.host.core();
    const inputs = core.checkRestoreInputs(news.values, news.unknown);
    const jobId = typeof olds.jobId === "string" ? olds.jobId : "";
    const status = typeof olds.status === "string" ? olds.status : "";
    const plan = (olds.plan ?? undefined) as PlainObject | undefined;
    const urn = req.getUrn();
    const resp = new provproto.UpdateResponse();
    if (req.getPreview() || status === "Completed") {
      resp.setProperties(toStruct({ ...olds, ...news.values }));
      return resp;
    }
    if (jobId === "") {
      throw partialCreate(
        req.getId(),
        { ...olds, ...news.values },
        news.values,
        `the restore sent by an earlier \`pulumi up\` may have started, but no job id came back, so it cannot be followed and is not sent again; once you know whether it started, run \`pulumi state delete '${urn}'\` and \`pulumi up\` to send it again`,
      );
    }
    if (status === "Failed") {
      throw partialCreate(
        req.getId(),
        { ...olds, ...news.values },
        news.values,
        `restore job ${jobId} failed; to restore again, run \`pulumi up --replace '${urn}'\``,
      );
    }
    const controller = new AbortController();
    const untrack = this.host.track(controller);
    try {
      await this.host.status(urn, `resuming the wait on restore job ${jobId}`);
      const job = await this.wait(
        inputs,
        jobId,
        this.host.context(controller.signal),
        urn,
        req.getTimeout(),
        news.values,
        plan,
      );
      resp.setProperties(toStruct(outputs(news.values, plan, job, jobId)));
      return resp;
    } finally {
      untrack();
    }
  }

  async read(req: provproto.ReadRequest): Promise<provproto.ReadResponse> {
    const state = fromStruct(req.getProperties());
    const given = inputsOf(req.getInputs());
    const resp = new provproto.ReadResponse();
    resp.setId(req.getId());
    resp.setInputs(req.getInputs());
    const jobId = typeof state.jobId === "string" ? state.jobId : "";
    if (jobId === "") {
      resp.setProperties(req.getProperties());
      return resp;
    }
    const core = this.host.core();
    const inputs = core.checkRestoreInputs(
      Object.keys(given.values).length > 0 ? given.values : state,
      new Set(),
    );
    const controller = new AbortController();
    const untrack = this.host.track(controller);
    try {
      const job = await core.readJob(inputs.common, jobId, this.host.context(controller.signal));
      resp.setProperties(
        toStruct({
          ...state,
          status: job.status,
          process: job.process,
          createdTime: job.createdTime,
          endTime: job.endTime,
        }),
      );
    } catch (e) {
      // A job DDM no longer knows (jobs are kept for a limited time): the state stays as it is.
      if (!(ApiError.isInstance(e) && (e.status === 404 || e.errorCode === "DBS.300400"))) throw e;
      this.host.log(`Read ${req.getUrn()}: job ${jobId} is no longer known; state kept`);
      resp.setProperties(req.getProperties());
    } finally {
      untrack();
    }
    return resp;
  }

  async delete(req: provproto.DeleteRequest): Promise<void> {
    this.journal().remove(req.getUrn());
    const state = fromStruct(req.getProperties());
    const target = typeof state.targetInstanceId === "string" ? state.targetInstanceId : "the target";
    await this.host.warn(
      req.getUrn(),
      `deleting this Restore only removes it from the stack: a restore cannot be undone, and ${target} keeps the restored data`,
    );
  }
}
