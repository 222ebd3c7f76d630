import fs from 'node:fs';
import path from 'node:path';
import express, { type Router } from 'express';

/**
 * The analysts' dashboard: one HTML page, one script and one stylesheet from this server, which
 * call POST /graphql with the analyst's key. Nothing comes from another host: the page's
 * Content-Security-Policy allows this origin only.
 *
 * The files live in src/server/dashboard/ beside this module; `npm run build` copies them to
 * dist/src/server/dashboard/, so the same path serves ts-node, jest and `npm start`.
 */
export const DASHBOARD_PATH = '/dashboard';
export const DASHBOARD_ASSET_DIR = path.join(__dirname, 'dashboard');

const ASSETS = {
  'dashboard.js': 'text/javascript; charset=utf-8',
  'dashboard.css': 'text/css; charset=utf-8',
} as const;

export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

function read(file: string): string {
  const full = path.join(DASHBOARD_ASSET_DIR, file);
  if (!fs.existsSync(full)) throw new Error(`The dashboard's ${file} is missing from ${DASHBOARD_ASSET_DIR}: build with npm run build`);
  return fs.readFileSync(full, 'utf8');
}

function secure(res: express.Response): void {
  res.setHeader('Content-Security-Policy', DASHBOARD_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
}

/** Mount at DASHBOARD_PATH. The files are read once, when the server starts. */
export function dashboard(): Router {
  const html = read('index.html');
  const assets = Object.entries(ASSETS).map(([name, type]) => ({ name, type, body: read(name) }));
  const router = express.Router({ strict: true });
  router.get('/', (req, res) => {
    // /dashboard/ → /dashboard, so that the page has one address.
    if (req.originalUrl.split('?')[0].endsWith('/')) return res.redirect(301, DASHBOARD_PATH);
    secure(res);
    res.setHeader('Cache-Control', 'no-store');
    res.type('html').send(html);
  });
  for (const { name, type, body } of assets) {
    router.get(`/${name}`, (_req, res) => {
      secure(res);
      res.setHeader('Cache-Control', 'no-cache');
      res.type(type).send(body);
    });
  }
  return router;
}
