import fs from 'node:fs';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import * as contracts from '../modules/contracts/contracts.service';
import { DeliveryModel } from '../modules/contracts/contracts.enums';
import { Cpa } from '../modules/contracts/cpa.entity';
import type { Subcontract } from '../modules/contracts/subcontract.entity';
import { Role } from '../auth/access.enums';
import { OrganisationKind } from '../modules/identity/identity.enums';
import * as identity from '../modules/identity/identity.service';
import { Organisation } from '../modules/identity/organisation.entity';
import { setContactPoints } from '../modules/messages/messages.service';
import {
  CHAIN_SHAPE,
  DEMO_CONTRACT_PERIOD,
  DEMO_CPAS,
  SPECIALISMS,
  SPOT_SPECIALISMS,
  SUBCONTRACTOR_NAME_PARTS,
} from './demo-data';

export interface DemoKey {
  who: string;
  role: Role;
  organisation: string;
  secret: string;
}

/** A small seeded generator (mulberry32): the same demo chains on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

async function findOrRegister(db: DataSource, name: string, kind: OrganisationKind, cpaCode?: number): Promise<Organisation> {
  return (
    (await db.getRepository(Organisation).findOneBy({ name, kind })) ??
    (await identity.registerOrganisation(db, { name, kind, cpaCode }))
  );
}

function contractReference(code: number, prime: string): string {
  return `WP-CPA${String(code).padStart(2, '0')}-${prime.toUpperCase().replace(/[^A-Z0-9]+/g, '')}`;
}

/** Builds one contract's chain: 3–8 places drawn from the CPA's own pool of invented subcontractors. */
async function buildChain(
  db: DataSource,
  random: () => number,
  contractId: string,
  pool: () => Promise<Organisation>,
): Promise<Subcontract[]> {
  const places: Subcontract[] = [];
  const used = new Set<string>();
  for (const { model, min, max } of CHAIN_SHAPE) {
    const count = min + Math.floor(random() * (max - min + 1));
    for (let i = 0; i < count; i++) {
      let organisation = await pool();
      while (used.has(organisation.id)) organisation = await pool();
      used.add(organisation.id);
      const firstEndToEnd = places.find((p) => p.deliveryModel === DeliveryModel.END_TO_END);
      places.push(
        await contracts.addSubcontractor(db, {
          contractId,
          subcontractorId: organisation.id,
          deliveryModel: model,
          specialisms:
            model === DeliveryModel.SPECIALIST_END_TO_END
              ? [pick(random, SPECIALISMS)]
              : model === DeliveryModel.SPOT
                ? [pick(random, SPOT_SPECIALISMS)]
                : [],
          // The first spot provider is commissioned by an end-to-end subcontractor: a three-tier chain.
          parentSubcontractId: model === DeliveryModel.SPOT && i === 0 ? firstEndToEnd?.id : undefined,
        }),
      );
    }
  }
  return places;
}

/**
 * An invented team to contact: an address under `.example` (RFC 2606) and a number from Ofcom's
 * range kept for drama (0113 496 0000–0999), so that no real inbox or phone is ever reached.
 */
function demoContactPoint(code: number, name: string, organisation: string) {
  const cpa = String(code).padStart(2, '0');
  const domain = organisation.toLowerCase().replace(/[^a-z0-9]+/g, '');
  return { name, role: 'Messages about referrals', email: `cpa${cpa}@${domain}.example`, phone: `0113 496 0${cpa}${organisation === 'jobcentre' ? 0 : 1}` };
}

async function buildRegistry(db: DataSource): Promise<void> {
  const random = seededRandom(2011);
  const names = new Set<string>();
  const inventName = (): string => {
    for (;;) {
      const { first, second, third } = SUBCONTRACTOR_NAME_PARTS;
      const name = `${pick(random, first)} ${pick(random, second)} ${pick(random, third)}`;
      if (!names.has(name)) {
        names.add(name);
        return name;
      }
    }
  };
  await findOrRegister(db, identity.DWP_ORGANISATION_NAME, OrganisationKind.DWP);
  const primes = new Map<string, Organisation>();
  for (const name of new Set(DEMO_CPAS.flatMap((c) => c.primes))) {
    primes.set(name, await findOrRegister(db, name, OrganisationKind.PROVIDER));
  }
  for (const area of DEMO_CPAS) {
    await contracts.createCpa(db, area);
    // A Jobcentre per CPA, serving its districts: it refers into that CPA only.
    const jobcentre = await findOrRegister(db, `Jobcentre Plus ${area.name}`, OrganisationKind.JOBCENTRE, area.code);
    await setContactPoints(db, jobcentre.id, { cpaCode: area.code, contactPoints: [demoContactPoint(area.code, 'Provider liaison team', 'jobcentre')] });
    // Each CPA has its own pool of local subcontractors, several of which serve more than one prime.
    const local: Organisation[] = [];
    const pool = async (): Promise<Organisation> => {
      if (local.length < 6 || random() < 0.25) {
        local.push(await identity.registerOrganisation(db, { name: inventName(), kind: OrganisationKind.PROVIDER }));
        return local[local.length - 1];
      }
      return pick(random, local);
    };
    for (const primeName of area.primes) {
      const contract = await contracts.awardPrimeContract(db, {
        cpaCode: area.code,
        primeId: primes.get(primeName)!.id,
        reference: contractReference(area.code, primeName),
        ...DEMO_CONTRACT_PERIOD,
      });
      await buildChain(db, random, contract.id, pool);
      await setContactPoints(db, primes.get(primeName)!.id, {
        cpaCode: area.code,
        contactPoints: [demoContactPoint(area.code, 'Referrals desk', primeName)],
      });
    }
  }
}

/** The demo's keys: one per role, plus a prime's and a subcontractor's (both PROVIDER). */
async function issueDemoKeys(db: DataSource): Promise<DemoKey[]> {
  const organisations = db.getRepository(Organisation);
  const dwp = await organisations.findOneByOrFail({ kind: OrganisationKind.DWP, name: identity.DWP_ORGANISATION_NAME });
  const firstArea = DEMO_CPAS[0];
  const jobcentre = await organisations.findOneByOrFail({ name: `Jobcentre Plus ${firstArea.name}` });
  const prime = await organisations.findOneByOrFail({ name: firstArea.primes[0], kind: OrganisationKind.PROVIDER });
  const [contract] = await contracts.listContractsOfPrime(db, prime.id);
  const endToEnd = (await contracts.listSubcontracts(db, contract.id)).find(
    (s) => s.deliveryModel === DeliveryModel.END_TO_END,
  )!;
  const subcontractor = await organisations.findOneByOrFail({ id: endToEnd.subcontractorId });
  const holders: Array<{ who: string; role: Role; organisation: Organisation }> = [
    { who: 'admin', role: Role.ADMIN, organisation: dwp },
    { who: 'jobcentre', role: Role.JOBCENTRE, organisation: jobcentre },
    { who: 'decision maker', role: Role.DECISION_MAKER, organisation: dwp },
    { who: 'analyst', role: Role.ANALYST, organisation: dwp },
    { who: 'prime', role: Role.PROVIDER, organisation: prime },
    { who: 'subcontractor', role: Role.PROVIDER, organisation: subcontractor },
  ];
  const keys: DemoKey[] = [];
  for (const { who, role, organisation } of holders) {
    const { secret } = await identity.issueApiKey(db, { organisationId: organisation.id, role, label: `demo ${who}` });
    keys.push({ who, role, organisation: organisation.name, secret });
  }
  return keys;
}

/**
 * The demo: 18 CPAs, 40 prime contracts with invented supply chains, a Jobcentre per CPA,
 * and fresh demo keys. On a registry that already holds the demo, only new keys are issued.
 */
export async function seedDemo(db: DataSource): Promise<{ createdRegistry: boolean; keys: DemoKey[] }> {
  const cpas = await db.getRepository(Cpa).count();
  if (cpas > 0 && !(await db.getRepository(Cpa).existsBy({ code: DEMO_CPAS[0].code, name: DEMO_CPAS[0].name }))) {
    throw new Error('The registry holds CPAs that are not the demo\'s: the demo seeds only an empty registry');
  }
  if (cpas > 0 && cpas < DEMO_CPAS.length) {
    throw new Error(
      `The demo registry is incomplete (${cpas} of ${DEMO_CPAS.length} CPAs: an earlier seed was interrupted). ` +
        '`npm run seed -- --reset` empties the database and seeds it again.',
    );
  }
  if (cpas === 0) await buildRegistry(db);
  return { createdRegistry: cpas === 0, keys: await issueDemoKeys(db) };
}

export function isRegistryEmpty(db: DataSource): Promise<boolean> {
  return db.getRepository(Cpa).count().then((n) => n === 0);
}

export function formatDemoKeys(keys: DemoKey[]): string {
  const rows = keys.map((k) => [k.who, k.role, k.organisation, k.secret]);
  const header = ['demo key', 'role', 'organisation', 'secret (Authorization: Bearer …)'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The demo keys' file in the data folder, for the local demo only: rewritten by every seed. */
export const DEMO_KEYS_FILE = 'demo-keys.txt';

/** Writes the keys' table to `<dataDir>/demo-keys.txt` (mode 0600) and returns that path. */
export function writeDemoKeys(dataDir: string, keys: DemoKey[]): string {
  const file = path.join(dataDir, DEMO_KEYS_FILE);
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, formatDemoKeys(keys) + '\n', { mode: 0o600 });
  return file;
}
