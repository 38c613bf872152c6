/**
 * The single entry for every transport: finds the procedure, checks the session and the role
 * (default deny), validates the input, runs the handler, checks the output, and turns every
 * failure into a typed error in the caller's language. Nothing else calls handlers.
 */
import { api, isProcedureName, type ProcedureName } from '../../shared/api';
import { resolveLocale } from '../../shared/i18n';
import { AppError, type RpcRequest, type RpcResponse } from '../../shared/rpc';
import type { Actor, ServiceContext } from '../services/context';
import type { LoginThrottle } from '../services/login-throttle';
import { resolveSession } from '../services/auth.service';
import { badInput, toRpcError } from './errors';
import type { IdempotencyCache } from './idempotency';
import { handlers, type CallContext, type DemoHooks } from './handlers';

export interface DispatchDeps {
  svc: ServiceContext;
  throttle: LoginThrottle;
  demo: DemoHooks;
  idempotency: IdempotencyCache;
  /** Where unexpected errors go (they never reach the caller beyond "internal error"). */
  logError: (message: string, error: unknown) => void;
}

/** SQLite constraint failures that a race or a missed check can still raise. */
function fromDatabaseError(error: unknown): AppError | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return new AppError('CONFLICT', 'error.CONFLICT');
  if (code === 'SQLITE_CONSTRAINT_CHECK') return new AppError('INSUFFICIENT_STOCK', 'error.INSUFFICIENT_STOCK');
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return new AppError('NOT_FOUND', 'error.NOT_FOUND');
  return null;
}

async function authorise(deps: DispatchDeps, procedure: ProcedureName, token: string | undefined): Promise<Actor | null> {
  const access = api[procedure].access;
  if (access === 'public') return null;
  const actor = await resolveSession(deps.svc, token);
  if (!(access as readonly string[]).includes(actor.role)) {
    throw new AppError('FORBIDDEN', 'auth.roleNotAllowed', { role: `role.${actor.role}` });
  }
  return actor;
}

export function dispatch(deps: DispatchDeps, request: RpcRequest): Promise<RpcResponse> {
  const key = request.idempotencyKey;
  if (typeof key === 'string' && key.length > 0 && key.length <= 100) {
    return deps.idempotency.run(request.token ?? '', key, deps.svc.clock.now().getTime(), () => execute(deps, request));
  }
  return execute(deps, request);
}

async function execute(deps: DispatchDeps, request: RpcRequest): Promise<RpcResponse> {
  const locale = resolveLocale(request.locale);
  const procedure = request.procedure;
  try {
    if (typeof procedure !== 'string' || !isProcedureName(procedure)) {
      throw new AppError('NOT_FOUND', 'rpc.unknownProcedure', { procedure: String(procedure).slice(0, 80) });
    }
    const actor = await authorise(deps, procedure, request.token);
    const spec = api[procedure];
    // reportInput: zod 4 drops the offending value from issues otherwise, and a wrong type
    // (quantity: 'abc') could not be told from a missing field.
    const parsed = spec.input.safeParse(request.input, { reportInput: true });
    if (!parsed.success) throw badInput(parsed.error.issues);
    const call: CallContext & { actor: Actor | null } = {
      svc: deps.svc,
      throttle: deps.throttle,
      demo: deps.demo,
      token: request.token,
      actor,
    };
    const handler = handlers[procedure] as (call: unknown, input: unknown) => Promise<unknown>;
    const result = spec.output.parse(await handler(call, parsed.data));
    return { ok: true, result };
  } catch (error) {
    if (error instanceof AppError) return { ok: false, error: toRpcError(locale, error) };
    const mapped = fromDatabaseError(error);
    if (mapped) {
      deps.logError(`${String(procedure)}: database constraint`, error);
      return { ok: false, error: toRpcError(locale, mapped) };
    }
    deps.logError(`${String(procedure)}: internal error`, error);
    return { ok: false, error: toRpcError(locale, new AppError('INTERNAL', 'error.INTERNAL')) };
  }
}
