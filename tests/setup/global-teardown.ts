import fs from 'node:fs';
import type { EmbeddedServer } from '../../src/db/embedded';

export default async function globalTeardown(): Promise<void> {
  const started = (globalThis as { scxTestPostgres?: { server: EmbeddedServer; root: string } }).scxTestPostgres;
  if (!started) return;
  await started.server.stop();
  fs.rmSync(started.root, { recursive: true, force: true });
}
