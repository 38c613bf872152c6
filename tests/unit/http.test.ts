import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startHttpServer, type HttpServer } from '../../src/main/rpc/http';
import { createTestEnv, createWorld, PASSWORD, type TestEnv } from './harness';

let env: TestEnv;
let http: HttpServer;

beforeEach(async () => {
  env = await createTestEnv();
  http = await startHttpServer(env.app.dispatch, { maxBodyBytes: 64 * 1024 });
});
afterEach(async () => {
  await http.close();
  await env.close();
});

function post(body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${http.url}/rpc`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** node:http lets a test send any Host header (fetch does not). */
function rawRequest(options: { method: string; path: string; host: string; body?: string }) {
  const { port } = new URL(http.url);
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: options.method,
        path: options.path,
        headers: { host: options.host, 'content-type': 'application/json' },
      },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Without a Content-Length, node:http sends the body as Transfer-Encoding: chunked. */
function postChunked(size: number) {
  const { port } = new URL(http.url);
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/rpc',
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    const chunk = Buffer.alloc(64 * 1024, ' ');
    for (let sent = 0; sent < size; sent += chunk.length) req.write(chunk);
    req.end();
  });
}

test('signs in and calls a procedure with the bearer token; typed errors map to HTTP statuses', async () => {
  const w = await createWorld(env);
  const users = await env.app.db
    .selectFrom('users')
    .select('username')
    .where('role', '=', 'keeper')
    .execute();
  const login = await post({
    procedure: 'auth.login',
    input: { username: users[0]!.username, password: PASSWORD },
  });
  expect(login.status).toBe(200);
  const { result } = (await login.json()) as { result: { token: string } };

  const me = await post({ procedure: 'auth.me', input: {} }, { authorization: `Bearer ${result.token}` });
  expect(me.status).toBe(200);
  expect(((await me.json()) as { result: { role: string } }).result.role).toBe('keeper');

  const bad = await post(
    {
      procedure: 'stock.receive',
      input: {
        depotId: w.city.depotId,
        source: 'procurement',
        lines: [{ materialId: w.tent.materialId, quantity: 0, lotNo: 'L1' }],
      },
    },
    { authorization: `Bearer ${result.token}` },
  );
  expect(bad.status).toBe(400);
  const error = (
    (await bad.json()) as { error: { code: string; message: string; fields: { path: string }[] } }
  ).error;
  expect(error.code).toBe('BAD_INPUT');
  expect(error.fields[0]!.path).toBe('lines.0.quantity');
  expect(error.message).toBe('第 1 行 · 数量：必须大于 0');

  const noToken = await post({ procedure: 'auth.me', input: {} });
  expect(noToken.status).toBe(401);
  const adminOnly = await post(
    { procedure: 'user.list', input: {} },
    { authorization: `Bearer ${result.token}` },
  );
  expect(adminOnly.status).toBe(403);
});

test('refuses unknown procedures, oversized bodies, bad JSON, wrong content type and foreign hosts', async () => {
  const unknown = await post({ procedure: 'stock.steal', input: {} });
  expect(unknown.status).toBe(404);
  expect(((await unknown.json()) as { error: { message: string } }).error.message).toContain('stock.steal');

  const huge = await post({
    procedure: 'auth.login',
    input: { username: 'x'.repeat(100 * 1024), password: 'y' },
  });
  expect(huge.status).toBe(413);

  const notJson = await post('{not json');
  expect(notJson.status).toBe(400);

  const form = await fetch(`${http.url}/rpc`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: '{}',
  });
  expect(form.status).toBe(415);

  const crossSite = await post({ procedure: 'auth.me', input: {} }, { origin: 'http://evil.example' });
  expect(crossSite.status).toBe(403);

  const rebinding = await rawRequest({
    method: 'POST',
    path: '/rpc',
    host: 'evil.example:80',
    body: '{"procedure":"auth.me"}',
  });
  expect(rebinding.status).toBe(421);

  const get = await fetch(`${http.url}/rpc`);
  expect(get.status).toBe(405);
});

test('answers in English when asked', async () => {
  const response = await post({
    procedure: 'auth.login',
    input: { username: 'nobody', password: 'wrong-password1' },
    locale: 'en',
  });
  expect(response.status).toBe(401);
  expect(((await response.json()) as { error: { message: string } }).error.message).toBe(
    'Wrong user name or password',
  );
});

test('refuses the opaque Origin `null` with a JSON 403', async () => {
  const response = await post({ procedure: 'auth.me', input: {} }, { origin: 'null' });
  expect(response.status).toBe(403);
  expect(await response.json()).toEqual({
    ok: false,
    error: { code: 'FORBIDDEN', message: '请求来源不被接受' },
  });
});

test('compares the Origin by scheme, host and port', async () => {
  const { port } = new URL(http.url);
  for (const origin of [`https://127.0.0.1:${port}`, `ftp://127.0.0.1:${port}`, 'http://127.0.0.1:1']) {
    const response = await post({ procedure: 'auth.me', input: {} }, { origin });
    expect(response.status).toBe(403);
  }
  for (const origin of [http.url, `http://localhost:${port}`]) {
    const response = await post({ procedure: 'auth.me', input: {} }, { origin });
    expect(response.status).toBe(401);
  }
});

test('answers 400 to a path whose percent-encoding does not decode', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'relief-depot-http-'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html>');
  const site = await startHttpServer(env.app.dispatch, { staticDir: dir });
  try {
    for (const bad of ['/%', '/rpc/%E0%A4%A']) {
      const response = await fetch(`${site.url}${bad}`);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        ok: false,
        error: { code: 'BAD_INPUT', message: '请求路径无效' },
      });
    }
    const shell = await fetch(`${site.url}/%E4%BB%93%E5%BA%93`);
    expect(shell.status).toBe(200);
    expect(await shell.text()).toBe('<!doctype html>');
  } finally {
    await site.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('answers 413 to an oversized chunked body and the client receives it', async () => {
  const response = await postChunked(1280 * 1024);
  expect(response.status).toBe(413);
  const { error } = JSON.parse(response.body) as { error: { code: string; message: string } };
  expect(error.code).toBe('BAD_INPUT');
  expect(error.message).toMatch(/^请求过大/);
  expect((await post({ procedure: 'stock.steal', input: {} })).status).toBe(404);
});

test('takes only application/json, optionally with parameters, as the body type', async () => {
  for (const type of ['application/jsonx', 'application/json-patch+json']) {
    const response = await post({ procedure: 'stock.steal', input: {} }, { 'content-type': type });
    expect(response.status).toBe(415);
  }
  for (const type of ['application/json; charset=utf-8', 'Application/JSON']) {
    const response = await post({ procedure: 'stock.steal', input: {} }, { 'content-type': type });
    expect(response.status).toBe(404);
  }
});
