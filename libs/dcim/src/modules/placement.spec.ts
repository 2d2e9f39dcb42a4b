import { ValidationError } from '@plinth/plugin-sdk';
import { renderModuleName } from './placement';

describe('renderModuleName', () => {
  it('leaves names without {module} alone', () => {
    expect(renderModuleName('mgmt0', ['1'])).toBe('mgmt0');
  });

  it('puts the own bay position for one token, whatever the depth', () => {
    expect(renderModuleName('Gi{module}/0/1', ['3'])).toBe('Gi3/0/1');
    expect(renderModuleName('TenGigE{module}/0', ['2', '1'])).toBe('TenGigE1/0');
  });

  it('takes the positions from the top down for several tokens', () => {
    expect(renderModuleName('Te{module}/{module}', ['2', '4'])).toBe('Te2/4');
    expect(renderModuleName('Te{module}/{module}/{module}', ['1', '2', '3'])).toBe('Te1/2/3');
    expect(renderModuleName('x{module}/{module}', ['1', '2', '3'])).toBe('x2/3');
  });

  it('refuses more tokens than nesting levels, on the bay field', () => {
    expect(() => renderModuleName('Te{module}/{module}', ['2'])).toThrow(ValidationError);
    try {
      renderModuleName('Te{module}/{module}', ['2']);
    } catch (e) {
      expect((e as ValidationError).errors).toEqual({
        parent_module_bay: [expect.stringContaining('2 {module} tokens')],
      });
    }
  });
});
