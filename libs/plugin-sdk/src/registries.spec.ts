import { ALL_MODELS, validatorApplies } from './registries';

describe('validatorApplies', () => {
  it('matches the labels a custom validator names', () => {
    expect(validatorApplies({ model: 'dcim.device' }, 'dcim.device')).toBe(true);
    expect(validatorApplies({ model: 'dcim.device' }, 'dcim.site')).toBe(false);
    expect(validatorApplies({ model: ['extras.tag', 'dcim.device'] }, 'dcim.device')).toBe(true);
    expect(validatorApplies({ model: ['extras.tag'] }, 'dcim.device')).toBe(false);
  });

  it('matches every model with ALL_MODELS', () => {
    expect(validatorApplies({ model: ALL_MODELS }, 'dcim.device')).toBe(true);
    expect(validatorApplies({ model: ['extras.tag', ALL_MODELS] }, 'acme.widget')).toBe(true);
  });
});
