import type express from 'express';

/**
 * Headers on every response (the dashboard and GraphiQL set their own, wider
 * Content-Security-Policy on their pages). Strict-Transport-Security belongs to the proxy that
 * terminates TLS (README, Running in production): this server speaks plain HTTP behind it.
 */
export function securityHeaders(): express.RequestHandler {
  return (_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    next();
  };
}
