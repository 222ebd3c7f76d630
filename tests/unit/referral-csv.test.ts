import { parseCsv, readReferralCsv } from '../../src/modules/referrals/referral-csv';

describe('parseCsv', () => {
  it('reads quoted fields, doubled quotes, commas and newlines inside quotes, CRLF and a last line without newline', () => {
    expect(parseCsv('a,b,c\r\n"x, y","say ""hi""","two\nlines"\n\n1,,3')).toEqual([
      ['a', 'b', 'c'],
      ['x, y', 'say "hi"', 'two\nlines'],
      ['1', '', '3'],
    ]);
  });
});

describe('readReferralCsv', () => {
  const header = 'clientReference,cpaCode,jobcentreDistrict,paymentGroup,participationMode,referredOn,nino,givenName,familyName,dateOfBirth,postcode,addressLine1,healthConditions,consentToShareHealth,mappa';

  it('maps a row to a referral', () => {
    const { rows } = readReferralCsv(`${header}\nR1,3,West,JSA_25_PLUS,MANDATORY,2024-05-01,AB123456C,Ada,Example,1980-02-03,TE1 1ST,1 Street,asthma; back pain,yes,\n`);
    expect(rows).toEqual([
      {
        line: 2,
        clientReference: 'R1',
        errors: [],
        referral: expect.objectContaining({
          clientReference: 'R1',
          cpaCode: 3,
          claimant: expect.objectContaining({
            nino: 'AB123456C',
            address: { line1: '1 Street', line2: null, town: null, postcode: 'TE1 1ST' },
            healthConditions: ['asthma', 'back pain'],
            consentToShareHealth: true,
            mappa: null,
          }),
        }),
      },
    ]);
  });

  it('names the malformed columns of a row, and keeps its clientReference', () => {
    const { rows } = readReferralCsv(`${header}\nR2,three,West,JSA_99,MAYBE,2024-02-30,AB123456C,Ada,Example,1980-02-03,,,,perhaps,\n`);
    expect(rows[0].referral).toBeUndefined();
    expect(rows[0].clientReference).toBe('R2');
    expect(rows[0].errors.map((e) => e.field![0])).toEqual(['cpaCode', 'paymentGroup', 'participationMode', 'referredOn', 'consentToShareHealth']);
  });

  it('refuses a header without the required columns', () => {
    expect(() => readReferralCsv('clientReference,nino\nR1,AB123456C\n')).toThrow(/lacks cpaCode/);
  });
});
