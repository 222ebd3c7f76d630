import type express from 'express';
import { GraphQLError, type GraphQLSchema, defaultFieldResolver, isObjectType } from 'graphql';
import { graphqlLocals } from './http';

/** Aborts `res.locals.signal` when the connection closes before the answer was sent. */
export function abortWhenClientLeaves(): express.RequestHandler {
  return (_req, res, next) => {
    const controller = new AbortController();
    graphqlLocals(res).signal = controller.signal;
    res.once('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    next();
  };
}

/**
 * Once the context's `signal` has aborted (the HTTP client went away), no resolver that has not
 * started yet runs: an abandoned costly request stops using the database. A plain synchronous
 * check around every field's resolver, so that it adds no promise to the fields that need none.
 */
export function stopResolvingWhenAborted(schema: GraphQLSchema): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context: { signal?: AbortSignal } | undefined, info) => {
        if (context?.signal?.aborted) {
          throw new GraphQLError('The client went away before the answer', { extensions: { code: 'REQUEST_ABORTED' } });
        }
        return resolve(source, args, context, info);
      };
    }
  }
}
