/**
 * A throwaway PostgreSQL server for the test run: initdb into a temp folder, pg_ctl on
 * 127.0.0.1 with a free port (as the postgres user when running as root), a template database
 * migrated once (each test clones it), stopped and removed at the end. Never a system service.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const TEMPLATE_DATABASE = 'relief_template';

export interface PgServer {
  dir: string;
  port: number;
  bin: string;
  /** postgres://postgres@127.0.0.1:PORT (append /DATABASE). */
  url: string;
}

/** Debian's binaries (/usr/lib/postgresql/<version>/bin), newest first, or PG_BIN. */
export function findPgBin(): string | null {
  if (process.env.PG_BIN && existsSync(path.join(process.env.PG_BIN, 'initdb'))) return process.env.PG_BIN;
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  for (const version of readdirSync(base).sort((a, b) => Number(b) - Number(a))) {
    const bin = path.join(base, version, 'bin');
    if (existsSync(path.join(bin, 'initdb')) && existsSync(path.join(bin, 'pg_ctl'))) return bin;
  }
  return null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Runs a server binary, as the postgres user when we are root (initdb refuses root). */
function run(bin: string, tool: string, args: string[]): void {
  const command = path.join(bin, tool);
  const result = asRoot
    ? spawnSync('runuser', ['-u', 'postgres', '--', command, ...args], { encoding: 'utf8' })
    : spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0)
    throw new Error(`${tool} failed: ${result.error?.message ?? ''}${result.stderr}${result.stdout}`);
}

export interface PgServerOptions {
  /** Where the cluster's temp folder goes (default /dev/shm where there is one, else the temp folder). */
  base?: string;
  /** More server settings (`name=value`), after the test defaults, which they override (the benchmark: `fsync=on` …). */
  settings?: string[];
}

export async function startPgServer(config: PgServerOptions = {}): Promise<PgServer> {
  const bin = findPgBin();
  if (!bin)
    throw new Error('PostgreSQL server binaries not found (apt-get install postgresql, or set PG_BIN)');
  const base = config.base ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir());
  const dir = mkdtempSync(path.join(base, 'relief-depot-pg-'));
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  chmodSync(dir, 0o700);
  const data = path.join(dir, 'data');
  run(bin, 'initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  const port = await freePort();
  // Test speed: no fsync (a crashed test cluster is thrown away anyway); room for many clients.
  const options = [
    `-p ${port}`,
    '-c listen_addresses=127.0.0.1',
    `-c unix_socket_directories=${dir}`,
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c max_connections=400',
    ...(config.settings ?? []).map((setting) => `-c ${setting}`),
  ].join(' ');
  run(bin, 'pg_ctl', [
    '-D',
    data,
    '-o',
    options,
    '-l',
    path.join(dir, 'server.log'),
    '-w',
    '-t',
    '60',
    'start',
  ]);
  return { dir, port, bin, url: `postgres://postgres@127.0.0.1:${port}` };
}

export function stopPgServer(server: Pick<PgServer, 'dir' | 'bin'>): void {
  try {
    run(server.bin, 'pg_ctl', ['-D', path.join(server.dir, 'data'), '-m', 'immediate', '-w', 'stop']);
  } finally {
    rmSync(server.dir, { recursive: true, force: true });
  }
}
