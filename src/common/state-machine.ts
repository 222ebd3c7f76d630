import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { ErrorCode } from './error-codes';
import { refuse } from './user-error';

/** A lifecycle as data: each state lists the states it may move to. */
export type Transitions<S extends string> = Readonly<Record<S, readonly S[]>>;

export function canMove<S extends string>(transitions: Transitions<S>, from: S, to: S): boolean {
  return transitions[from].includes(to);
}

/** Refuses an illegal move with a user error naming the current state. */
export function assertMove<S extends string>(transitions: Transitions<S>, from: S, to: S, what: string): void {
  if (!canMove(transitions, from, to)) {
    refuse(ErrorCode.ILLEGAL_TRANSITION, `The ${what} is ${from}: it cannot become ${to}`, ['status']);
  }
}

/** One move, as a hook sees it: the subject already saved in its new state, and who moved it (null: the exchange itself). */
export interface Transition<S extends string, T> {
  from: S;
  to: S;
  subject: T;
  actorId: string | null;
}

/** Runs inside the mover's transaction; returns the events (inbox items) it wants written with the move's own. */
export type TransitionHook<S extends string, T, E> = (tx: EntityManager, transition: Transition<S, T>) => Promise<E[]>;

/** A module's hook on another module's lifecycle, registered where the data model is (src/server/data-model.ts). */
export interface LifecycleHook {
  install(): void;
}

/**
 * One runner for every lifecycle (referral, handoff, compliance doubt, message thread): check the
 * move against the table, apply the caller's change, save, run the hooks registered for the
 * state moved into, and write every event in one call — all in the caller's transaction, so a
 * refused hook leaves nothing half-written. The caller locks the subject first (who may move it
 * is the access gate's question). Modules register hooks on each other's lifecycles instead of
 * calling each other, as Vendure's order process does with `onTransitionEnd`.
 */
export class Lifecycle<S extends string, T extends ObjectLiteral & { status: S }, E> {
  private readonly hooks = new Map<S, Array<{ name: string; run: TransitionHook<S, T, E> }>>();

  constructor(
    readonly what: string,
    readonly transitions: Transitions<S>,
    private readonly entity: EntityTarget<T>,
    private readonly publish: (tx: EntityManager, events: E[]) => Promise<void>,
  ) {}

  /** Runs `run` after every move into one of `states`. Registering a name again changes nothing. */
  on(states: readonly S[], name: string, run: TransitionHook<S, T, E>): LifecycleHook {
    return {
      install: () => {
        for (const state of states) {
          const list = this.hooks.get(state) ?? [];
          if (!list.some((hook) => hook.name === name)) list.push({ name, run });
          this.hooks.set(state, list);
        }
      },
    };
  }

  /** The names of the hooks that run on a move into `state`, in order (for the tests that they are installed). */
  hooksInto(state: S): string[] {
    return (this.hooks.get(state) ?? []).map((hook) => hook.name);
  }

  async move(
    tx: EntityManager,
    subject: T,
    to: S,
    options: { actorId: string | null; apply?: (subject: T) => E[] | void | Promise<E[] | void> },
  ): Promise<T> {
    const from = subject.status;
    assertMove(this.transitions, from, to, this.what);
    const events = [...((await options.apply?.(subject)) ?? [])];
    subject.status = to;
    const saved = await tx.getRepository(this.entity).save(subject);
    for (const hook of this.hooks.get(to) ?? []) events.push(...(await hook.run(tx, { from, to, subject: saved, actorId: options.actorId })));
    await this.publish(tx, events);
    return saved;
  }
}
