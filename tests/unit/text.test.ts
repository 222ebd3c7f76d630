import { closeMatches, editDistance } from '../../src/common/text';

describe('editDistance', () => {
  it('counts insertions, deletions and changes', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });
});

describe('closeMatches', () => {
  const jobcentres = [
    'Jobcentre Plus East of England',
    'Jobcentre Plus Greater Manchester',
    'Jobcentre Plus West Yorkshire',
    'Jobcentre Plus Merseyside',
  ];
  const common = ['Jobcentre', 'Plus'];

  it('finds a misspelling, a part of the name, or a shared word, in any letter case, closest first', () => {
    expect(closeMatches('Jobcentre Plus East of Englnd', jobcentres, { common })).toEqual(['Jobcentre Plus East of England']);
    expect(closeMatches('east of england', jobcentres, { common })).toEqual(['Jobcentre Plus East of England']);
    expect(closeMatches('JOBCENTRE PLUS MANCHESTER', jobcentres, { common })).toEqual(['Jobcentre Plus Greater Manchester']);
  });

  it('does not count the words every name has, and gives up to `limit`', () => {
    expect(closeMatches('Jobcentre Plus Cornwall', jobcentres, { common })).toEqual([]);
    expect(closeMatches('Jobcentre Plus', jobcentres, { common, limit: 2 })).toHaveLength(2);
  });
});
