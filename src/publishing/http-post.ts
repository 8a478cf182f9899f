import http from 'node:http';
import https from 'node:https';

/**
 * One POST on node:http(s) with keep-alive connections. Not fetch: in the push benchmark fetch
 * (undici and its web streams) cost about 1.7 ms of CPU a request, a tenth of what a saved
 * version costs the app in all; node:http does the same for a fraction (bench/RESULTS.md, "Push to
 * the platform"). Redirects are not followed; the answer's body is read only as far as an error
 * message needs.
 */
export interface PostAnswer {
  status: number;
  retryAfter: string | null;
  location: string | null;
  /** the body's first characters, on one line */
  snippet: string;
}

/** No answer (headers) within the time allowed. */
export class PostTimeout extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs / 1000} s`);
    this.name = 'PostTimeout';
  }
}

const SNIPPET_CHARS = 200;

export function keepAliveAgents(): { http: http.Agent; https: https.Agent } {
  // Sockets are reused between POSTs; one per delivery in flight at most (DELIVERY_CONCURRENCY).
  return { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
}

export function postJson(
  url: URL,
  headers: Record<string, string>,
  body: string,
  options: { timeoutMs: number; agents: { http: http.Agent; https: https.Agent } },
): Promise<PostAnswer> {
  const payload = Buffer.from(body, 'utf8');
  const secure = url.protocol === 'https:';
  return new Promise((resolve, reject) => {
    let answer: PostAnswer | undefined;
    const request = (secure ? https : http).request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'Content-Length': String(payload.length) },
        agent: secure ? options.agents.https : options.agents.http,
      },
      (response) => {
        answer = {
          status: response.statusCode ?? 0,
          retryAfter: header(response.headers['retry-after']),
          location: header(response.headers.location),
          snippet: '',
        };
        response.setEncoding('utf8');
        // Read to the end (a socket is only reused once its answer is read), keeping the start.
        response.on('data', (chunk: string) => {
          if (answer!.snippet.length < SNIPPET_CHARS) answer!.snippet += chunk;
        });
        response.on('end', () => finish(false));
        response.on('error', () => finish(true));
      },
    );
    const timer = setTimeout(() => {
      // The status decides: an answer whose body is slow is still that answer.
      if (answer) finish(true);
      else request.destroy(new PostTimeout(options.timeoutMs));
    }, options.timeoutMs);
    /** `early`: the body was cut short, so the connection cannot be reused. */
    const finish = (early: boolean) => {
      clearTimeout(timer);
      if (!answer) return;
      const line = answer.snippet.replace(/\s+/g, ' ').trim();
      resolve({ ...answer, snippet: line.length > SNIPPET_CHARS ? `${line.slice(0, SNIPPET_CHARS)}…` : line });
      if (early) request.destroy();
    };
    request.on('error', (error) => {
      clearTimeout(timer);
      if (answer) finish(true);
      else reject(error);
    });
    request.end(payload);
  });
}

function header(value: string | string[] | undefined): string | null {
  return (Array.isArray(value) ? value[0] : value) ?? null;
}
