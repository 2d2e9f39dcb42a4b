import { createHmac } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { Agent } from 'undici';
import { parseAdditionalHeaders } from './headers';
import type { AddressPolicy } from './ssrf';

/** The parts of a webhook a request needs. */
export interface WebhookTarget {
  payload_url: string;
  http_method: string;
  http_content_type: string;
  additional_headers: string;
  secret: string;
  ssl_verification: boolean;
  ca_file_path: string | null;
}

export interface SendResult {
  ok: boolean;
  response_code: number | null;
  response_body: string;
  error: string;
}

const TIMEOUT_MS = 10_000;
const BODY_EXCERPT = 1000;

/** `X-Hook-Signature`: the HMAC-SHA512 hex digest of the body, keyed with the webhook's secret. */
export function signature(secret: string, body: string): string {
  return createHmac('sha512', secret).update(body).digest('hex');
}

/** At most BODY_EXCERPT characters of the response; the rest is not read. */
async function excerpt(body: AsyncIterable<Buffer>): Promise<string> {
  let text = '';
  for await (const chunk of body) {
    text += chunk.toString('utf8');
    if (text.length >= BODY_EXCERPT) break;
  }
  return text.slice(0, BODY_EXCERPT);
}

/**
 * One HTTP request of a webhook. Redirects are not followed (a 3xx is a failed delivery), so a
 * receiver cannot bounce the request to an address the policy refuses; every address connected
 * to is checked by the policy's lookup. Never throws: failures are returned.
 */
export async function sendWebhook(
  target: WebhookTarget,
  body: string,
  policy: AddressPolicy,
): Promise<SendResult> {
  let agent: Agent | undefined;
  try {
    const url = new URL(target.payload_url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new Error('Only http:// and https:// URLs are allowed.');
    policy.checkUrl(url);
    const ca = target.ca_file_path
      ? await fs.readFile(target.ca_file_path, 'utf8').catch(() => {
          throw new Error(`Cannot read the CA file ${target.ca_file_path}.`);
        })
      : undefined;
    // Loaded when a webhook is sent (undici is a hundred modules that start-up need not load).
    const { Agent, request } = await import('undici');
    agent = new Agent({
      connect: {
        lookup: policy.lookup(),
        rejectUnauthorized: target.ssl_verification,
        ...(ca ? { ca } : {}),
      },
      headersTimeout: TIMEOUT_MS,
      bodyTimeout: TIMEOUT_MS,
      connectTimeout: TIMEOUT_MS,
    });
    const headers: Record<string, string> = {
      'content-type': target.http_content_type,
      'user-agent': 'Plinth-Webhook',
    };
    for (const [name, value] of parseAdditionalHeaders(target.additional_headers))
      headers[name.toLowerCase()] = value;
    if (target.secret) headers['x-hook-signature'] = signature(target.secret, body);
    const res = await request(url, {
      method: target.http_method as 'POST',
      headers,
      body: target.http_method === 'GET' ? undefined : body,
      dispatcher: agent,
    });
    const text = await excerpt(res.body);
    res.body.destroy();
    const ok = res.statusCode >= 200 && res.statusCode < 300;
    return {
      ok,
      response_code: res.statusCode,
      response_body: text,
      error: ok
        ? ''
        : res.statusCode >= 300 && res.statusCode < 400
          ? `Redirect to ${String(res.headers.location ?? '?')} not followed.`
          : `HTTP ${res.statusCode}.`,
    };
  } catch (e) {
    const err = e as Error & { cause?: Error };
    const message =
      err.cause?.message && err.cause.message !== err.message
        ? `${err.message}: ${err.cause.message}`
        : err.message;
    return { ok: false, response_code: null, response_body: '', error: message || String(e) };
  } finally {
    await agent?.close().catch(() => undefined);
  }
}
