import type { RuleContext } from '@plinth/plugin-sdk';
import { deviceRedundancyRule } from './models';

type Fields = { device_redundancy_group: unknown; device_redundancy_group_priority: number | null };

/** Errors the rule reports for a proposed device. */
function errorsFor(record: Fields): Record<string, string> {
  const errors: Record<string, string> = {};
  const ctx = { record, error: (field: string, message: string) => (errors[field] = message) };
  void deviceRedundancyRule(ctx as unknown as RuleContext<Fields>);
  return errors;
}

describe('deviceRedundancyRule', () => {
  it('refuses a priority without a group, on the priority field', () => {
    expect(errorsFor({ device_redundancy_group: null, device_redundancy_group_priority: 3 })).toEqual({
      device_redundancy_group_priority:
        'Must assign a redundancy group when defining a redundancy group priority.',
    });
  });

  it('accepts a group with or without a priority, and neither', () => {
    const group = '8f5b8a56-1a53-4bb2-9d3e-5f0f8f1c2e11';
    expect(errorsFor({ device_redundancy_group: group, device_redundancy_group_priority: 1 })).toEqual({});
    expect(errorsFor({ device_redundancy_group: group, device_redundancy_group_priority: null })).toEqual({});
    expect(errorsFor({ device_redundancy_group: null, device_redundancy_group_priority: null })).toEqual({});
  });
});
