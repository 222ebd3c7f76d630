import { graphql } from 'graphql';
import { Authorized, Query, Resolver, buildSchema } from 'type-graphql';
import { CurrentViewer } from '../../src/auth/current-viewer';
import type { Viewer } from '../../src/auth/viewer';
import { Role } from '../../src/auth/access.enums';
import type { Organisation } from '../../src/modules/identity/organisation.entity';

@Resolver()
class WhoResolver {
  @Query(() => String)
  who(@CurrentViewer() viewer: Viewer<Organisation>): string {
    return `${viewer.organisation.name} as ${viewer.role}`;
  }

  @Authorized()
  @Query(() => String)
  guarded(@CurrentViewer() viewer: Viewer): string {
    return viewer.apiKeyId;
  }
}

const viewer: Viewer<Organisation> = { apiKeyId: 'key-1', organisation: { name: 'Jobcentre Leeds' } as Organisation, role: Role.JOBCENTRE, expiresAt: null };

describe('@CurrentViewer()', () => {
  let schema: Awaited<ReturnType<typeof buildSchema>>;
  beforeAll(async () => {
    schema = await buildSchema({ resolvers: [WhoResolver], authChecker: ({ context }) => (context as { viewer: Viewer | null }).viewer !== null, validate: false });
  });

  it("hands the resolver the request's viewer", async () => {
    const result = await graphql({ schema, source: '{ who guarded }', contextValue: { viewer } });
    expect(result).toEqual({ data: { who: 'Jobcentre Leeds as JOBCENTRE', guarded: 'key-1' } });
  });

  it('adds no argument to the field', () => {
    expect(schema.getQueryType()!.getFields().who.args).toEqual([]);
  });

  it('answers UNAUTHENTICATED when the request has no viewer, and never runs the resolver with null', async () => {
    const result = await graphql({ schema, source: '{ who }', contextValue: { viewer: null } });
    expect(result.data).toBeNull();
    expect(result.errors?.map((e) => e.extensions.code)).toEqual(['UNAUTHENTICATED']);
  });
});
