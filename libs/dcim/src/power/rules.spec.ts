import { availablePower } from './rules';

describe('availablePower', () => {
  it('is volts × amperes × max utilization, rounded, as Nautobot caches it', () => {
    expect(availablePower({ voltage: 120, amperage: 15, max_utilization: 80, phase: 'single-phase' })).toBe(
      1440,
    );
    expect(availablePower({ voltage: 230, amperage: 16, max_utilization: 100, phase: 'single-phase' })).toBe(
      3680,
    );
  });

  it('multiplies three-phase feeds by 1.732 and takes DC voltage by magnitude', () => {
    expect(availablePower({ voltage: 208, amperage: 30, max_utilization: 80, phase: 'three-phase' })).toBe(
      8646,
    );
    expect(availablePower({ voltage: -48, amperage: 10, max_utilization: 80, phase: 'single-phase' })).toBe(
      384,
    );
  });

  it('is 0 when an input is missing', () => {
    expect(
      availablePower({ voltage: 120, amperage: null, max_utilization: undefined, phase: 'single-phase' }),
    ).toBe(0);
  });
});
