/**
 * `relief-depot user add-admin <name> [--display-name 名称]` and `user reset-password <name>`:
 * for someone at the machine (or holding the server's database URL) when no administrator can
 * sign in. The password is asked for on the terminal without echo, or read from the first line
 * of standard input. Audited like any write, as done at the machine (no signed-in user); a reset
 * also ends the user's sessions and lifts a sign-in lock on the name.
 */
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { resolveLocale } from '../shared/i18n';
import { AppError } from '../shared/rpc';
import { userCreateInput, userResetPasswordInput } from '../shared/schemas/user';
import type { App } from './app';
import { badInput, toRpcError } from './rpc/errors';
import { forgetLoginFailures } from './services/login-throttle';
import { createUser, resetPassword } from './services/user.service';

export type ReadPassword = (prompt: string) => Promise<string>;

/** From the terminal (not echoed) or the first line of a pipe. */
export const readPassword: ReadPassword = (prompt) =>
  new Promise((resolve) => {
    const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
    const tty = process.stdin.isTTY === true;
    if (tty) process.stdout.write(prompt);
    const rl = createInterface({ input: process.stdin, output: tty ? silent : undefined, terminal: tty });
    let answered = false;
    rl.once('line', (line) => {
      answered = true;
      if (tty) process.stdout.write('\n');
      rl.close();
      resolve(line);
    });
    rl.once('close', () => {
      if (!answered) resolve('');
    });
  });

export interface UserCommandTexts {
  passwordPrompt: string;
  adminAdded: (u: string) => string;
  passwordReset: (u: string) => string;
  noSuchUser: (u: string) => string;
  userUsage: string;
}

/** Runs a `user …` subcommand; returns the exit code. */
export async function userCommand(
  app: App,
  args: {
    sub: string | undefined;
    username: string | undefined;
    displayName: string | undefined;
    lang: string;
  },
  say: UserCommandTexts,
  read: ReadPassword,
): Promise<number> {
  const locale = resolveLocale(args.lang);
  const refuse = (error: AppError) => {
    console.error(toRpcError(locale, error).message);
    return 1;
  };
  if ((args.sub !== 'add-admin' && args.sub !== 'reset-password') || !args.username) {
    console.error(say.userUsage);
    return 2;
  }
  const username = args.username;
  const password = await read(say.passwordPrompt);
  try {
    if (args.sub === 'add-admin') {
      const parsed = userCreateInput.safeParse(
        { username, displayName: args.displayName ?? username, role: 'admin', password },
        { reportInput: true },
      );
      if (!parsed.success) return refuse(badInput(parsed.error.issues));
      await createUser(app.svc, null, parsed.data);
      console.log(say.adminAdded(username));
      return 0;
    }
    const user = await app.db
      .selectFrom('users')
      .select('userId')
      .where('username', '=', username)
      .executeTakeFirst();
    if (!user) {
      console.error(say.noSuchUser(username));
      return 1;
    }
    const parsed = userResetPasswordInput.safeParse(
      { userId: user.userId, newPassword: password },
      { reportInput: true },
    );
    if (!parsed.success) return refuse(badInput(parsed.error.issues));
    await resetPassword(app.svc, null, parsed.data);
    await forgetLoginFailures(app.svc, username);
    console.log(say.passwordReset(username));
    return 0;
  } catch (error) {
    if (error instanceof AppError) return refuse(error);
    throw error;
  }
}
