import { Field, ID, InterfaceType } from 'type-graphql';

/** Relay's Node: anything with a globally unique id, fetched again with `node(id)`. */
@InterfaceType({ description: 'Anything with an id that `node(id:)` finds again.' })
export abstract class Node {
  @Field(() => ID, { description: 'Unique across the exchange (a UUID); `node(id:)` fetches the object again, where the viewer may read it.' })
  id!: string;
}
