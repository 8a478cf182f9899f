import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Metrics } from '../observability/metrics';

export const INSTALL_PATH = '/slack/install';
export const REDIRECT_PATH = '/slack/oauth_redirect';

/** @slack/oauth's error codes (its package is Bolt's, not ours to import) for a browser's, not our, mistake. */
const CANCELLED = 'slack_oauth_installer_authorization_error';
const BROWSER_MISTAKES: Record<string, string> = {
  slack_oauth_missing_state: 'missing_state',
  slack_oauth_invalid_state: 'invalid_state',
  slack_oauth_missing_code: 'missing_code',
};

/** Whether an OAuth error is a visitor's doing (cancel, stale or forged link): logged as a warning, not an error. */
export function isVisitorOAuthError(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === CANCELLED || (typeof code === 'string' && code in BROWSER_MISTAKES);
}

/**
 * Bolt's callbackOptions.failure for /slack/oauth_redirect. A person who presses Cancel on
 * Slack's consent screen lands here with `?error=access_denied`: they get a page that says so and
 * how to try again, not a 500. Links that are stale or not this browser's are a 400 in words;
 * anything else is ours (500), logged by the installer itself.
 */
export function installFailurePage(metrics: Metrics | undefined, logger: Logger) {
  return (error: { code?: string }, _options: unknown, req: IncomingMessage, res: ServerResponse): void => {
    const code = error.code ?? '';
    const retry = `<p><a href="${INSTALL_PATH}">Install Panelist again</a> to start over.</p>`;
    if (code === CANCELLED) {
      count(metrics, 'cancelled');
      logger.info('a Slack install was cancelled on Slack’s consent screen');
      send(
        res,
        200,
        'Install cancelled',
        `<p>The install was cancelled in Slack, so Panelist was not added to your workspace.</p>${retry}`,
      );
      return;
    }
    const reason = BROWSER_MISTAKES[code];
    if (reason) {
      count(metrics, reason);
      logger.warn({ reason }, 'request refused at the edge');
      const slackSaid = new URL(req.url ?? '/', 'http://localhost').searchParams.get('error');
      const detail = slackSaid ? ` Slack said: <code>${escapeHtml(slackSaid.slice(0, 200))}</code>.` : '';
      send(
        res,
        400,
        'Something Went Wrong',
        `<p>This install link is not valid here: it has expired, was opened in another browser, or is incomplete.${detail}</p>${retry}`,
      );
      return;
    }
    send(res, 500, 'Something Went Wrong', `<p>Panelist could not finish the install; the error is in its log.</p>${retry}`);
  };
}

function count(metrics: Metrics | undefined, reason: string): void {
  metrics?.httpRefused.inc({ route: REDIRECT_PATH, reason });
}

function send(res: ServerResponse, status: number, title: string, body: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  res.end(
    `<!doctype html><html><head><meta charset="utf-8"><title>${title} · Panelist</title></head><body><h1>${title}</h1>${body}</body></html>`,
  );
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
