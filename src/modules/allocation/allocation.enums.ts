import { registerEnumType } from 'type-graphql';

export enum AllocationMethod {
  RANDOM = 'RANDOM',
  JOINT_CLAIM = 'JOINT_CLAIM',
  MANUAL_OVERRIDE = 'MANUAL_OVERRIDE',
}
registerEnumType(AllocationMethod, { name: 'AllocationMethod' });
