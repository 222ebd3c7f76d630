import { type ExecutionArgs, type ExecutionResult, type GraphQLError, createSourceEventStream, execute } from 'graphql';

/**
 * A fault while resolving an event (an inbox item) for subscribers: it ends their subscriptions
 * with an error, so that each resumes from the last cursor it handled, instead of receiving the
 * item with `null` where the fault was — which a client reads as "access ended". Logged once,
 * where it happened, however many subscribers shared the resolution.
 */
export class DeliveryFault extends Error {
  constructor(readonly errors: readonly GraphQLError[]) {
    super('An inbox item could not be resolved for delivery');
    this.name = 'DeliveryFault';
  }
}

/** Resolutions of an event by share key, for as long as some subscriber still holds the event. */
const resolutions = new WeakMap<object, Map<string, Promise<ExecutionResult>>>();

/**
 * graphql-js's `subscribe`, except that the subscribers of one share key — same viewer, same
 * document, same variables — resolve each event once between them: every subscription maps the
 * event object it is given (subscribers at the same cursor are given the same object by the
 * inbox feed, src/events/inbox-feed.ts) to the first subscriber's resolution of it.
 * `isFault` decides which errors in a resolution are faults (they end the subscription) rather
 * than answers (FORBIDDEN on a field, delivered with the item); `onFault` hears each faulty
 * resolution once.
 */
export async function subscribeShared(
  args: ExecutionArgs,
  shareKey: string,
  isFault: (error: GraphQLError) => boolean,
  onFault: (errors: readonly GraphQLError[]) => void,
): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const stream = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in stream)) return stream;
  const events = stream[Symbol.asyncIterator]();

  const resolve = (event: object): Promise<ExecutionResult> => {
    let byKey = resolutions.get(event);
    if (!byKey) resolutions.set(event, (byKey = new Map()));
    let resolution = byKey.get(shareKey);
    if (!resolution) {
      resolution = Promise.resolve(execute({ ...args, rootValue: event })).then((result) => {
        const faults = result.errors?.filter(isFault) ?? [];
        if (faults.length) onFault(faults);
        return result;
      });
      byKey.set(shareKey, resolution);
    }
    return resolution;
  };

  // Not an async generator: return() must reach the feed's iterator at once, even while it waits
  // for the next wake-up, so that a client leaving stops its subscription straight away.
  const results: AsyncIterableIterator<ExecutionResult> = {
    next: async () => {
      const step = await events.next();
      if (step.done) return { done: true, value: undefined };
      const result = await resolve(step.value as object);
      if (result.errors?.some(isFault)) throw new DeliveryFault(result.errors);
      return { done: false, value: result };
    },
    return: async () => {
      await events.return?.();
      return { done: true, value: undefined };
    },
    throw: async (error?: unknown) => {
      await events.return?.();
      throw error;
    },
    [Symbol.asyncIterator]: () => results,
  };
  return results;
}
