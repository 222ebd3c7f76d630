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
