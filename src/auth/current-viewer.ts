import { createParameterDecorator } from 'type-graphql';
import { unauthenticated } from './errors';
import type { Viewer } from './viewer';

/** The request's viewer; UNAUTHENTICATED when it has none (a resolver `@Authorized` never sees that). */
export function viewerOf(context: { viewer: Viewer | null }): Viewer {
  if (!context.viewer) throw unauthenticated();
  return context.viewer;
}

/**
 * The viewer as a resolver parameter, `@CurrentViewer() viewer: Viewer`: who is asking, never
 * null, instead of `ctx.viewer!` in every resolver.
 */
export function CurrentViewer(): ReturnType<typeof createParameterDecorator> {
  return createParameterDecorator<{ viewer: Viewer | null }>(({ context }) => viewerOf(context));
}
