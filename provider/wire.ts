/**
 * The wire shapes of the two DDM restore queries (snake_case, exactly as
 * `docs/api/ddm-restore-v3.md` states them), after decoding. Plain types, so that the
 * package's published declarations never load zod's (`contract.ts` holds the runtime schemas,
 * and its decoders are typed with these, so the two cannot drift apart).
 */

/** `DDMInstance4Restore`: one instance a backup can be restored into. */
export interface RestorableInstanceWire {
  instance_name: string;
  instance_id: string;
  status: string;
  available: boolean;
  /** `""` when the API leaves it out or sends `null`. */
  unavailable_reason: string;
  vpc_name: string;
}

/** 200 body of `GET /v3/{project_id}/instances/{instance_id}/backups/restorable-instances`. */
export interface RestorableInstancesBody {
  instances: RestorableInstanceWire[];
  offset: number;
  limit: number;
  total: number;
}

/** `RestoreTimeInterval`: one window, times as the API sends them. */
export interface RestoreTimeIntervalWire {
  start_time: string;
  end_time: string;
}

/** 200 body of `GET /v3/{project_id}/instances/{instance_id}/backups/restorable-time-interval`. */
export interface RestoreTimeIntervalsBody {
  restorable_time_intervals: RestoreTimeIntervalWire[];
  offset: number;
  limit: number;
  total: number;
}

/** What a decode needs to know about the response it checks (a `JsonResponse` fits). */
export interface ResponseContext {
  data: unknown;
  status: number;
  requestId: string;
  method: string;
  path: string;
}
