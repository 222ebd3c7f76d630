import { Field, ID, InterfaceType } from 'type-graphql';

/** Relay's Node: anything with a globally unique id, fetched again with `node(id)`. */
@InterfaceType()
export abstract class Node {
  @Field(() => ID)
  id!: string;
}
