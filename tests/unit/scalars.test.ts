import { isCalendarDate } from '../../src/common/scalars';

describe('calendar dates', () => {
  it.each(['2024-02-29', '2011-06-01', '2030-12-31'])('%s is a date', (value) => expect(isCalendarDate(value)).toBe(true));
  it.each(['2023-02-29', '2024-13-01', '2024-04-31', '2024-4-1', '20240401', '2024-04-01T00:00:00Z', ''])(
    '%s is not',
    (value) => expect(isCalendarDate(value)).toBe(false),
  );
});
