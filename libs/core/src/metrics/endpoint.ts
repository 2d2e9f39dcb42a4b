import type { NextFunction, Request, Response } from 'express';
import * as ipaddr from 'ipaddr.js';
import type { MetricsSettings } from '../config/config';
import type { PlinthRequest } from '../http/request-context.middleware';
import { clusterMetricsOf, inServerCluster } from './cluster';
import type { PlinthMetrics } from './metrics';

/** Times every request; the route label is the matched route's template (`/api/dcim/devices/:id`). */
export function httpMetricsMiddleware(metrics: PlinthMetrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const end = metrics.httpDuration.startTimer();
    res.on('finish', () => {
      const route = (req.route as { path?: unknown } | undefined)?.path;
      end({
        method: req.method,
        route: typeof route === 'string' ? `${req.baseUrl}${route}` : 'unmatched',
        status: String(res.statusCode),
      });
    });
    next();
  };
}

function inList(ip: string, list: readonly string[]): boolean {
  if (!ip || !ipaddr.isValid(ip)) return false;
  let addr = ipaddr.parse(ip);
  if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress())
    addr = (addr as ipaddr.IPv6).toIPv4Address();
  return list.some((entry) => {
    try {
      const [net, len] = entry.includes('/')
        ? ipaddr.parseCIDR(entry)
        : [ipaddr.parse(entry), ipaddr.parse(entry).kind() === 'ipv4' ? 32 : 128];
      return net.kind() === addr.kind() && addr.match(net, len);
    } catch {
      return false;
    }
  });
}

/**
 * `GET /metrics` (Prometheus text format). Allowed from PLINTH_METRICS_ALLOWED_IPS, or for a
 * staff user or superuser (API token or session); 404 when PLINTH_METRICS_ENABLED is off.
 */
export function metricsEndpoint(metrics: PlinthMetrics, settings: MetricsSettings) {
  // Several server processes on this host: report all of them, whichever one answers.
  const text = inServerCluster() ? clusterMetricsOf(metrics.registry) : () => metrics.registry.metrics();
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.path !== '/metrics' && req.path !== '/metrics/') return next();
    if (!settings.enabled || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
    const user = (req as PlinthRequest).plinth?.user;
    const allowed =
      inList(req.ip ?? '', settings.allowedIps) || !!(user && (user.is_superuser || user.is_staff));
    if (!allowed) {
      res
        .status(user ? 403 : 401)
        .type('text/plain')
        .send(user ? 'Metrics need a staff user or an allowed address.\n' : 'Authentication required.\n');
      return;
    }
    text()
      .then((body) => res.status(200).type(metrics.registry.contentType).send(body))
      .catch((e: unknown) => {
        res
          .status(503)
          .type('text/plain')
          .send(`The metrics of this host's server processes are unavailable: ${(e as Error).message}\n`);
      });
  };
}
