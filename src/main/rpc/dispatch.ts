/**
 * The single entry for every transport: finds the procedure, checks the session and the role
 * (default deny), validates the input, runs the handler, checks the output, and turns every
 * failure into a typed error in the caller's language. Nothing else calls handlers.
 */
import { createHash } from 'node:crypto';
import { api, isProcedureName, type ProcedureName } from '../../shared/api';
import { resolveLocale } from '../../shared/i18n';
import { AppError, type RpcRequest, type RpcResponse } from '../../shared/rpc';
import { resolveSession, tokenHash } from '../services/auth.service';
import type { Actor, RequestContext, ServiceContext } from '../services/context';
import { Replay, replayedResponse, storeResponse, type RequestKey } from '../services/idempotency';
import { badInput, failureResponse, toRpcError } from './errors';
import type { ExportJobs } from '../excel/export-jobs';
import type { Uploads } from '../excel/import/uploads';
import { handlers, type CallContext, type DemoHooks } from './handlers';

export interface DispatchDeps {
  svc: ServiceContext;
  demo: DemoHooks;
  exports: ExportJobs;
  uploads: Uploads;
  /** Where unexpected errors go (they never reach the caller beyond "internal error"). */
  logError: (message: string, error: unknown) => void;
}

async function authorise(
  deps: DispatchDeps,
  procedure: ProcedureName,
  token: string | undefined,
  background: boolean,
): Promise<Actor | null> {
  const access = api[procedure].access;
  if (access === 'public') return null;
  // A screen polling for changes, or reloading because of them, is not the user at work: it
  // must not keep an idle session alive.
  const actor = await resolveSession(deps.svc, token, {
    touch: !background && procedure !== 'changes.version',
  });
  if (!(access as readonly string[]).includes(actor.role)) {
    throw new AppError('FORBIDDEN', 'auth.roleNotAllowed', { role: `role.${actor.role}` });
  }
  return actor;
}

/** The request's idempotency key (the same key from the same session replays the first response). */
/** What a client may use as an idempotency key: 1–100 printable ASCII characters (a UUID fits). */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,100}$/;

/**
 * The request's idempotency key, within its session. A signed-out request has no session to
 * scope it to (and its reply may carry a new session's token, never stored): it runs as sent.
 */
function requestKey(request: RpcRequest, procedure: ProcedureName, input: unknown): RequestKey | undefined {
  const key = request.idempotencyKey;
  if (key === undefined || !request.token) return undefined;
  return {
    scope: tokenHash(request.token ?? ''),
    key,
    procedure,
    // The validated input: its keys in the schema's order, so an equal request hashes equally.
    requestHash: createHash('sha256')
      .update(procedure)
      .update('\n')
      .update(JSON.stringify(input))
      .digest('hex'),
    claimed: false,
  };
}

export async function dispatch(
  deps: DispatchDeps,
  request: RpcRequest,
  source = 'local',
): Promise<RpcResponse> {
  const locale = resolveLocale(request.locale);
  const procedure = request.procedure;
  let svc: ServiceContext = deps.svc;
  let idempotency: RequestKey | undefined;
  try {
    if (typeof procedure !== 'string' || !isProcedureName(procedure)) {
      throw new AppError('NOT_FOUND', 'rpc.unknownProcedure', { procedure: String(procedure).slice(0, 80) });
    }
    const spec = api[procedure];
    if (request.idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(String(request.idempotencyKey)))
      throw new AppError('BAD_INPUT', 'rpc.badIdempotencyKey');
    const actor = await authorise(deps, procedure, request.token, request.background === true);
    // reportInput: zod 4 drops the offending value from issues otherwise, and a wrong type
    // (quantity: 'abc') could not be told from a missing field.
    const parsed = spec.input.safeParse(request.input, { reportInput: true });
    if (!parsed.success) throw badInput(parsed.error.issues);
    idempotency = requestKey(request, procedure, parsed.data);
    const reply: NonNullable<RequestContext['reply']> = { procedure, schema: spec.output };
    svc = { ...deps.svc, request: { source, idempotency, reply } };
    const call: CallContext & { actor: Actor | null } = {
      svc,
      demo: deps.demo,
      exports: deps.exports,
      uploads: deps.uploads,
      token: request.token,
      locale,
      actor,
    };
    const handler = handlers[procedure] as (call: unknown, input: unknown) => Promise<unknown>;
    const value = await handler(call, parsed.data);
    // The write that returned this value has checked it already, inside its transaction.
    const { checked } = reply;
    const result = checked && checked.value === value ? checked.parsed : spec.output.parse(value);
    if (idempotency?.claimed) {
      // The write has committed: failing to keep its reply must not tell the user it did not
      // happen. A repeat of the key then answers "already submitted".
      await storeResponse(svc, idempotency, result).catch((error: unknown) =>
        deps.logError(`${procedure}: reply not kept`, error),
      );
    }
    return { ok: true, result };
  } catch (error) {
    if (error instanceof Replay) {
      const result = await replayedResponse(svc, error.key);
      if (result !== null) return { ok: true, result };
      return { ok: false, error: toRpcError(locale, new AppError('CONFLICT', 'error.alreadySubmitted')) };
    }
    // A read given a value its column cannot hold (an id past 32 bits, a NUL in a search on
    // PostgreSQL): bad input, like the same value in a write (write() maps those itself).
    if (!(error instanceof AppError) && deps.svc.dialect.classifyError(error)?.kind === 'badValue') {
      return { ok: false, error: toRpcError(locale, new AppError('BAD_INPUT', 'error.BAD_INPUT')) };
    }
    return failureResponse(locale, error, (e) => deps.logError(`${String(procedure)}: internal error`, e));
  }
}
