import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Outside production, with no INTERVIEW_WEBHOOK_SECRET, the app makes a secret of its own in the
 * data folder, so `npm start` followed by `npx panelist demo` works with nothing configured. The
 * file is readable by its owner only; production never uses it (the variable is required there
 * for webhooks to be on).
 */
export function developmentSecretPath(embeddedPgDir: string): string {
  return path.join(path.dirname(path.resolve(embeddedPgDir)), 'interview-webhook-secret');
}

export async function readDevelopmentSecret(file: string): Promise<string | undefined> {
  try {
    const secret = (await readFile(file, 'utf8')).trim();
    return secret === '' ? undefined : secret;
  } catch {
    return undefined;
  }
}

/** The existing secret, or a new one; two processes starting at once agree (the second reads the first's). */
export async function readOrCreateDevelopmentSecret(file: string): Promise<string> {
  const existing = await readDevelopmentSecret(file);
  if (existing) return existing;
  await mkdir(path.dirname(file), { recursive: true });
  try {
    await writeFile(file, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const secret = await readDevelopmentSecret(file);
  if (!secret) throw new Error(`could not read the development webhook secret at ${file}`);
  return secret;
}
