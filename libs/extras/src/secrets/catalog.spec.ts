import { environmentVariableProvider, textFileProvider } from './providers';
import { parameterErrors } from './catalog';

describe('secret parameters', () => {
  it('accepts what the provider declares', () => {
    expect(parameterErrors(environmentVariableProvider, { variable: 'NAPALM_PASSWORD' })).toEqual({});
    expect(parameterErrors(textFileProvider, { path: '/run/secrets/x' })).toEqual({});
  });

  it('names each bad parameter', () => {
    expect(parameterErrors(environmentVariableProvider, {})).toEqual({
      'parameters.variable': 'This parameter is required.',
    });
    expect(parameterErrors(environmentVariableProvider, { variable: 'A', other: 'x' })).toEqual({
      'parameters.other': 'Environment Variable has no parameter "other" (it takes variable).',
    });
    expect(parameterErrors(environmentVariableProvider, { variable: 7 })).toEqual({
      'parameters.variable': 'Enter text.',
    });
    expect(parameterErrors(textFileProvider, { path: 'x/../y' })).toEqual({
      'parameters.path': 'Enter an absolute path.',
    });
    expect(parameterErrors(textFileProvider, ['x'])).toEqual({
      parameters: "Enter an object of the provider's parameters.",
    });
  });

  it('matches patterns against the whole value', () => {
    expect(Object.keys(parameterErrors(environmentVariableProvider, { variable: 'OK; rm -rf' }))).toEqual([
      'parameters.variable',
    ]);
  });
});
