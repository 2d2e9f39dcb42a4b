import { Registry, createRegistry } from './registry';

describe('Registry.replace', () => {
  it("replaces one contributor's items and keeps the others'", () => {
    const registry = new Registry(createRegistry<string>('test-items'));
    registry.register('a', 'core');
    registry.register('b', 'git');
    registry.register('c', 'example');
    registry.replace('git', ['x', 'y']);
    expect(registry.items()).toEqual(['a', 'c', 'x', 'y']);
    expect(registry.byPlugin('git')).toEqual(['x', 'y']);
    registry.replace('git', []);
    expect(registry.items()).toEqual(['a', 'c']);
  });
});
