import { contractYear } from '../../src/modules/outcomes/payments';
import { dayReaching, daysInWork, firstDayOutOfWork, overlaps } from '../../src/modules/outcomes/days-in-work';

describe('days in work', () => {
  const spells = [
    { startedOn: '2023-06-01', endedOn: '2023-06-30' },
    { startedOn: '2023-07-10', endedOn: '2023-08-08' },
    { startedOn: '2023-10-09', endedOn: null },
  ];

  it('counts both ends of each spell, clipped to the window', () => {
    expect(daysInWork(spells, '2023-05-01', '2023-10-08')).toBe(60);
    expect(daysInWork(spells, '2023-05-01', '2023-10-09')).toBe(61);
    expect(daysInWork(spells, '2023-06-15', '2023-07-10')).toBe(17);
    expect(daysInWork([], '2023-01-01', '2023-12-31')).toBe(0);
  });

  it('26 weeks from a start on 2022-04-01 is reached on 2022-09-29, the 182nd day', () => {
    const job = [{ startedOn: '2022-04-01', endedOn: null }];
    expect(daysInWork(job, '2022-03-15', '2022-09-28')).toBe(181);
    expect(daysInWork(job, '2022-03-15', '2022-09-29')).toBe(182);
  });

  it('finds the first day out of work in a period', () => {
    expect(firstDayOutOfWork(spells, '2023-06-10', '2023-06-30')).toBeNull();
    expect(firstDayOutOfWork(spells, '2023-06-10', '2023-07-12')).toBe('2023-07-01');
    expect(firstDayOutOfWork(spells, '2023-05-31', '2023-06-05')).toBe('2023-05-31');
    expect(firstDayOutOfWork(spells, '2023-10-09', '2024-10-09')).toBeNull();
    expect(firstDayOutOfWork([{ startedOn: '2023-01-01', endedOn: '2023-01-31' }, { startedOn: '2023-02-01', endedOn: null }], '2023-01-15', '2023-02-15')).toBeNull();
  });

  it('overlap is sharing a day', () => {
    expect(overlaps({ startedOn: '2023-01-01', endedOn: '2023-01-31' }, { startedOn: '2023-01-31', endedOn: null })).toBe(true);
    expect(overlaps({ startedOn: '2023-01-01', endedOn: '2023-01-31' }, { startedOn: '2023-02-01', endedOn: null })).toBe(false);
    expect(overlaps({ startedOn: '2023-03-01', endedOn: null }, { startedOn: '2023-02-01', endedOn: '2023-02-28' })).toBe(false);
  });
});

describe('contract years', () => {
  it('start at the contract start, and turn with the programme\'s year (1 April)', () => {
    const contract = { startsOn: '2020-04-01' };
    expect(contractYear(contract, '2019-12-31', '04-01')).toBe(1);
    expect(contractYear(contract, '2021-03-31', '04-01')).toBe(1);
    expect(contractYear(contract, '2021-04-01', '04-01')).toBe(2);
    expect(contractYear(contract, '2023-04-01', '04-01')).toBe(4);
  });

  it('a Work Programme contract from June 2011 is in year 4 from April 2014 (nil attachment fees)', () => {
    const contract = { startsOn: '2011-06-01' };
    expect(contractYear(contract, '2012-03-31', '04-01')).toBe(1);
    expect(contractYear(contract, '2012-04-01', '04-01')).toBe(2);
    expect(contractYear(contract, '2014-03-31', '04-01')).toBe(3);
    expect(contractYear(contract, '2014-04-15', '04-01')).toBe(4);
  });
});

describe('the day the threshold is reached', () => {
  it('is the needed-th day in work, across spells', () => {
    const spells = [
      { startedOn: '2023-06-01', endedOn: '2023-06-30' },
      { startedOn: '2023-07-10', endedOn: null },
    ];
    expect(dayReaching(spells, '2023-05-01', '2023-12-31', 30)).toBe('2023-06-30');
    expect(dayReaching(spells, '2023-05-01', '2023-12-31', 31)).toBe('2023-07-10');
    expect(dayReaching(spells, '2023-05-01', '2023-07-10', 32)).toBeNull();
  });

  it('never counts a day twice, even from overlapping spells', () => {
    const overlapping = [
      { startedOn: '2023-05-01', endedOn: '2023-08-01' },
      { startedOn: '2023-06-15', endedOn: null },
    ];
    expect(daysInWork(overlapping, '2023-05-01', '2023-07-15')).toBe(76);
    expect(dayReaching(overlapping, '2023-05-01', '2023-07-15', 91)).toBeNull();
  });
});

describe('a gap between jobs in a sustainment period (rate card: sustainmentGapDays)', () => {
  // A job ends on Friday 2023-06-30 and the next starts on Monday 2023-07-03.
  const weekend = [{ startedOn: '2023-01-02', endedOn: '2023-06-30' }, { startedOn: '2023-07-03', endedOn: null }];

  it('does not break the period when it is at most N days', () => {
    expect(firstDayOutOfWork(weekend, '2023-06-05', '2023-07-02', 7)).toBeNull();
    expect(firstDayOutOfWork(weekend, '2023-06-19', '2023-07-16', 7)).toBeNull();
    expect(firstDayOutOfWork(weekend, '2023-06-19', '2023-07-16', 2)).toBeNull();
    // A period starting inside the gap: the gap is measured from the last job's end.
    expect(firstDayOutOfWork(weekend, '2023-07-01', '2023-07-28', 7)).toBeNull();
  });

  it('breaks it when longer than N days, from the first day of the gap within the period', () => {
    expect(firstDayOutOfWork(weekend, '2023-06-19', '2023-07-16', 1)).toBe('2023-07-01');
    expect(firstDayOutOfWork(weekend, '2023-06-19', '2023-07-16', 0)).toBe('2023-07-01');
    const eightDays = [{ startedOn: '2023-01-02', endedOn: '2023-06-30' }, { startedOn: '2023-07-09', endedOn: null }];
    expect(firstDayOutOfWork(eightDays, '2023-06-19', '2023-07-16', 7)).toBe('2023-07-01');
    expect(firstDayOutOfWork(eightDays, '2023-07-05', '2023-08-01', 7)).toBe('2023-07-05');
    expect(firstDayOutOfWork(eightDays, '2023-06-19', '2023-07-16', 8)).toBeNull();
  });

  it('never forgives a gap with no next job, at the end of the period or before its start', () => {
    const ended = [{ startedOn: '2023-01-02', endedOn: '2023-07-14' }];
    expect(firstDayOutOfWork(ended, '2023-06-19', '2023-07-16', 7)).toBe('2023-07-15');
    const late = [{ startedOn: '2023-06-21', endedOn: null }];
    expect(firstDayOutOfWork(late, '2023-06-19', '2023-07-16', 7)).toBe('2023-06-19');
  });
});
