import { Kind } from 'graphql';
import { DateTimeScalar, PenceScalar, isCalendarDate } from '../../src/common/scalars';

describe('calendar dates', () => {
  it.each(['2024-02-29', '2011-06-01', '2030-12-31'])('%s is a date', (value) => expect(isCalendarDate(value)).toBe(true));
  it.each(['2023-02-29', '2024-13-01', '2024-04-31', '2024-4-1', '20240401', '2024-04-01T00:00:00Z', ''])(
    '%s is not',
    (value) => expect(isCalendarDate(value)).toBe(false),
  );
});

describe('instants', () => {
  it('parses ISO 8601 and refuses anything longer than an instant can be, unread', () => {
    expect(DateTimeScalar.parseValue('2024-03-05T10:00:00Z')).toEqual(new Date('2024-03-05T10:00:00Z'));
    expect(() => DateTimeScalar.parseValue(`2024-03-05T10:00:00Z${' '.repeat(100)}`)).toThrow(/ISO 8601/);
  });
});

describe('Pence', () => {
  it('writes whole pence as digits, exactly past what a double holds', () => {
    expect(PenceScalar.serialize(120000n)).toBe('120000');
    expect(PenceScalar.serialize(2n ** 63n - 1n)).toBe('9223372036854775807');
    expect(PenceScalar.serialize(0)).toBe('0');
    expect(() => PenceScalar.serialize(1.5)).toThrow();
  });

  it('reads digits only', () => {
    expect(PenceScalar.parseValue('-250')).toBe(-250n);
    expect(PenceScalar.parseLiteral({ kind: Kind.STRING, value: '9007199254740993' })).toBe(9007199254740993n);
    expect(() => PenceScalar.parseValue(120000)).toThrow(/string of digits/);
    expect(() => PenceScalar.parseValue('12.50')).toThrow(/string of digits/);
  });
});
