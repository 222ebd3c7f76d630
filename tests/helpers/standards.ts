import type { TestServer } from './server';

/** Publishing standards and reading compliance through the real server, for the standards' tests. */

export interface Published {
  standards: Array<{ id: string; version: number }> | null;
  userErrors: Array<{ code: string; field: string[] }>;
}

/** publishServiceStandards as `key`; `effectiveFrom` left out unless given. */
export async function publishStandards(t: TestServer, key: string, contractId: string, standards: unknown[], effectiveFrom?: string): Promise<Published> {
  const response = await t.gql<{ publishServiceStandards: Published }>(
    `mutation($input: PublishServiceStandardsInput!) { publishServiceStandards(input: $input) { standards { id version } userErrors { code field } } }`,
    { input: { contractId, standards, ...(effectiveFrom ? { effectiveFrom } : {}) } },
    key,
  );
  return response.data!.publishServiceStandards;
}

/**
 * As if the contract's set `version` had been published on `since`, a day already past, which
 * the API refuses (EFFECTIVE_FROM_IN_PAST): tests travel in time, partners do not. Earlier sets
 * end the day before, as publishing would have ended them.
 */
export async function inForceSince(t: TestServer, contractId: string, version: number, since: string): Promise<void> {
  await t.db.dataSource.query(
    `UPDATE service_standard SET effective_until = $3::date - 1
      WHERE contract_id = $1 AND version < $2 AND (effective_until IS NULL OR effective_until >= $3::date)`,
    [contractId, version, since],
  );
  await t.db.dataSource.query(`UPDATE service_standard SET effective_from = $3 WHERE contract_id = $1 AND version = $2`, [contractId, version, since]);
}

export interface StandardFigures {
  standard: { metric: string; paymentGroup: string | null; version: number; thresholdDays: number };
  participantsInScope: number;
  participantsMeeting: number;
  complianceRate: number | null;
  met: boolean;
  bySubcontractor: Array<{ subcontractor: { id: string }; participantsInScope: number; participantsMeeting: number }>;
  breaches: Array<{ referral: { id: string }; dueBy: string; lastContactOn: string | null }>;
}

/** serviceStandardCompliance on `asOf` as `key`: the whole answer, errors included. */
export function complianceReport(t: TestServer, key: string, contractId: string, asOf: string) {
  return t.gql<{ serviceStandardCompliance: { standards: StandardFigures[] } }>(
    `query($id: ID!, $asOf: Date!) { serviceStandardCompliance(contractId: $id, asOf: $asOf) { standards {
      standard { metric paymentGroup version thresholdDays } participantsInScope participantsMeeting complianceRate met
      bySubcontractor { subcontractor { id } participantsInScope participantsMeeting }
      breaches { referral { id } dueBy lastContactOn } } } }`,
    { id: contractId, asOf },
    key,
  );
}

/** The figures of a report's standard of `metric` for `group` (null: every group). */
export const figuresOf = (report: { standards: StandardFigures[] }, metric: string, group: string | null = null): StandardFigures =>
  report.standards.find((s) => s.standard.metric === metric && s.standard.paymentGroup === group)!;
