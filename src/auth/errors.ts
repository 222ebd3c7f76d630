import { GraphQLError } from 'graphql';

export function unauthenticated(): GraphQLError {
  return new GraphQLError('Authentication required: send Authorization: Bearer <API key>', {
    extensions: { code: 'UNAUTHENTICATED' },
  });
}

export function forbidden(what: string): GraphQLError {
  return new GraphQLError(`Not permitted: ${what}`, { extensions: { code: 'FORBIDDEN' } });
}
