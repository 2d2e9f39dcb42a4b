import type { RuleContext } from '@plinth/plugin-sdk';
import { VIRTUAL_INTERFACE_TYPES } from '../component-choices';

/**
 * PoE on interfaces and interface templates (NetBox's Interface.clean): a PoE type needs a PoE
 * mode, and virtual interfaces carry no power.
 */
export function poeRule(ctx: RuleContext): void {
  const { record } = ctx;
  if (record.poe_type && !record.poe_mode) {
    ctx.error('poe_type', 'Must specify PoE mode when designating a PoE type.');
  }
  if (record.poe_mode && VIRTUAL_INTERFACE_TYPES.includes(String(record.type))) {
    ctx.error('poe_mode', 'Virtual interfaces cannot have a PoE mode.');
  }
}
