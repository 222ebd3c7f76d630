import { DeliveryModel, Nation } from '../modules/contracts/contracts.enums';

/** The 18 Work Programme CPAs and their primes (DOMAIN.md; public record, a few pairings inferred). */
export const DEMO_CPAS: Array<{ code: number; name: string; nation: Nation; primes: string[] }> = [
  { code: 1, name: 'East of England', nation: Nation.ENGLAND, primes: ['Ingeus', 'Seetec'] },
  { code: 2, name: 'East Midlands', nation: Nation.ENGLAND, primes: ['A4e', 'Ingeus'] },
  { code: 3, name: 'West London', nation: Nation.ENGLAND, primes: ['Maximus', 'Reed', 'Ingeus'] },
  { code: 4, name: 'East London', nation: Nation.ENGLAND, primes: ['A4e', 'CDG', 'Seetec'] },
  { code: 5, name: 'North East', nation: Nation.ENGLAND, primes: ['Avanta', 'Ingeus'] },
  { code: 6, name: 'Merseyside, Halton, Cumbria & Lancashire', nation: Nation.ENGLAND, primes: ['A4e', 'Ingeus'] },
  { code: 7, name: 'Greater Manchester, Cheshire & Warrington', nation: Nation.ENGLAND, primes: ['Avanta', 'G4S', 'Seetec'] },
  { code: 8, name: 'Scotland', nation: Nation.SCOTLAND, primes: ['Ingeus', 'Working Links'] },
  { code: 9, name: 'Thames Valley, Hampshire & Isle of Wight', nation: Nation.ENGLAND, primes: ['A4e', 'Maximus'] },
  { code: 10, name: 'Surrey, Sussex & Kent', nation: Nation.ENGLAND, primes: ['G4S', 'Avanta'] },
  { code: 11, name: 'Devon & Cornwall, Dorset & Somerset', nation: Nation.ENGLAND, primes: ['Prospects', 'Working Links'] },
  { code: 12, name: 'Gloucestershire, Wiltshire & West of England', nation: Nation.ENGLAND, primes: ['JHP Group', 'Rehab JobFit'] },
  { code: 13, name: 'Wales', nation: Nation.WALES, primes: ['Rehab JobFit', 'Working Links'] },
  { code: 14, name: 'Birmingham, Solihull & Black Country', nation: Nation.ENGLAND, primes: ['EOS', 'Pertemps', 'NCG'] },
  { code: 15, name: 'Coventry & Warwickshire, Staffordshire & The Marches', nation: Nation.ENGLAND, primes: ['ESG', 'Serco'] },
  { code: 16, name: 'West Yorkshire', nation: Nation.ENGLAND, primes: ['Ingeus', 'BEST'] },
  { code: 17, name: 'South Yorkshire', nation: Nation.ENGLAND, primes: ['Serco', 'A4e'] },
  { code: 18, name: 'North East Yorkshire & the Humber', nation: Nation.ENGLAND, primes: ['G4S', 'NCG'] },
];

/** Demo contracts run from the Work Programme's start to well past today, so demo referrals always find one. */
export const DEMO_CONTRACT_PERIOD = { startsOn: '2011-06-01', endsOn: '2030-03-31' };

// Invented subcontractor names: word pools combined by a seeded generator, never real organisations.
export const SUBCONTRACTOR_NAME_PARTS = {
  first: ['Brightpath', 'Northgate', 'Riverside', 'Harbour', 'Oakfield', 'Meadow', 'Keystone', 'Lanterns', 'Fieldstone',
    'Ashgrove', 'Kestrel', 'Willowbank', 'Cornerstone', 'Heathland', 'Stepping Stones', 'Greenway', 'Millbrook', 'Beacon'],
  second: ['Employment', 'Skills', 'Futures', 'Works', 'Training', 'Pathways', 'Community', 'Careers'],
  third: ['Trust', 'CIC', 'Partnership', 'Ltd', 'Network', 'Foundation', 'Collective', 'Project'],
};

export const SPECIALISMS = [
  'ex-offenders',
  'disabled people',
  'young people',
  'self-employment',
  'mental health',
  'substance misuse',
  'lone parents',
  'care leavers',
];

export const SPOT_SPECIALISMS = ['CSCS card training', 'forklift licence', 'job brokerage', 'confidence course', 'IT skills'];

/** The places a demo chain gets, before the seeded generator decides how many of each. */
export const CHAIN_SHAPE: Array<{ model: DeliveryModel; min: number; max: number }> = [
  { model: DeliveryModel.END_TO_END, min: 1, max: 3 },
  { model: DeliveryModel.SPECIALIST_END_TO_END, min: 0, max: 2 },
  { model: DeliveryModel.SPOT, min: 1, max: 2 },
  { model: DeliveryModel.IN_WORK_SUPPORT, min: 1, max: 1 },
];
