import { type ExecutionArgs, type ExecutionResult, GraphQLError, createSourceEventStream, execute } from 'graphql';

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

/** One resolution of an event: its result, and the context it ran in. */
interface Resolution {
  result: ExecutionResult;
  context: unknown;
}

/** Resolutions of an event by share key, for as long as some subscriber still holds the event. */
const resolutions = new WeakMap<object, Map<string, Promise<Resolution>>>();

export interface Sharing {
  /** Which errors in a resolution are faults (they end the subscription) rather than answers (FORBIDDEN on a field, delivered with the item). */
  isFault: (error: GraphQLError) => boolean;
  /** Hears each faulty resolution once, and each failed `beforeDelivery`. */
  onFault: (errors: readonly GraphQLError[]) => void;
  /** The context one resolution runs in, made from the resolving subscriber's (e.g. to collect what that resolution alone reads). */
  resolutionContext?: (subscriberContext: unknown) => unknown;
  /**
   * Before an item goes to a subscriber — to each subscriber that shares the resolution — with that
   * subscriber's context and the resolution's (e.g. to record what the item discloses). When it
   * fails, the item is withheld and the subscription ends as with a fault.
   */
  beforeDelivery?: (subscriberContext: unknown, resolutionContext: unknown) => Promise<void>;
}

/**
 * graphql-js's `subscribe`, except that the subscribers of one share key — same viewer, same
 * document, same variables — resolve each event once between them: every subscription maps the
 * event object it is given (subscribers at the same cursor are given the same object by the
 * inbox feed, src/modules/inbox/inbox-feed.ts) to the first subscriber's resolution of it.
 */
export async function subscribeShared(
  args: ExecutionArgs,
  shareKey: string,
  sharing: Sharing,
): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const { isFault, onFault } = sharing;
  const stream = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in stream)) return stream;
  const events = stream[Symbol.asyncIterator]();

  const resolve = (event: object): Promise<Resolution> => {
    let byKey = resolutions.get(event);
    if (!byKey) resolutions.set(event, (byKey = new Map()));
    let resolution = byKey.get(shareKey);
    if (!resolution) {
      const context = sharing.resolutionContext ? sharing.resolutionContext(args.contextValue) : args.contextValue;
      resolution = Promise.resolve(execute({ ...args, rootValue: event, contextValue: context })).then((result) => {
        const faults = result.errors?.filter(isFault) ?? [];
        if (faults.length) onFault(faults);
        return { result, context };
      });
      byKey.set(shareKey, resolution);
    }
    return resolution;
  };

  const deliver = async ({ result, context }: Resolution): Promise<ExecutionResult> => {
    if (result.errors?.some(isFault)) throw new DeliveryFault(result.errors);
    try {
      await sharing.beforeDelivery?.(args.contextValue, context);
    } catch (error) {
      const withheld = new GraphQLError('An inbox item was withheld: what it discloses could not be recorded', {
        originalError: error instanceof Error ? error : new Error(String(error)),
      });
      onFault([withheld]);
      throw new DeliveryFault([withheld]);
    }
    return result;
  };

  // Not an async generator: return() must reach the feed's iterator at once, even while it waits
  // for the next wake-up, so that a client leaving stops its subscription straight away.
  const results: AsyncIterableIterator<ExecutionResult> = {
    next: async () => {
      const step = await events.next();
      if (step.done) return { done: true, value: undefined };
      return { done: false, value: await deliver(await resolve(step.value as object)) };
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
