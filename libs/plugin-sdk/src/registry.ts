import { Inject, type Type } from '@nestjs/common';

/** A typed registry token. One token per contribution kind; one registry instance per app. */
export interface RegistryToken<T> {
  readonly id: string;
  /** The Nest injection token. */
  readonly provide: symbol;
  /** Phantom marker carrying the item type. */
  readonly __item?: T;
}

export function createRegistry<T>(id: string): RegistryToken<T> {
  return Object.freeze({ id, provide: Symbol.for(`plinth:registry:${id}`) });
}

export interface RegistryEntry<T> {
  item: T;
  /** Name of the plugin that contributed the item. */
  plugin: string;
}

/**
 * Holds every contribution of one kind, in plugin order. Items may be plain values or classes;
 * the host turns classes into instances through Nest's injector before the app serves requests.
 */
export class Registry<T> {
  private readonly list: RegistryEntry<T>[] = [];

  constructor(readonly token: RegistryToken<T>) {}

  register(item: T, plugin = 'core'): void {
    this.list.push({ item, plugin });
  }

  entries(): readonly RegistryEntry<T>[] {
    return this.list;
  }

  items(): T[] {
    return this.list.map((e) => e.item);
  }

  /**
   * Replace every item of one contributor: for items known only at run time (the jobs Git
   * repositories provide), reloaded when they change.
   */
  replace(plugin: string, items: readonly T[]): void {
    const kept = this.list.filter((e) => e.plugin !== plugin);
    this.list.splice(0, this.list.length, ...kept, ...items.map((item) => ({ item, plugin })));
  }

  byPlugin(plugin: string): T[] {
    return this.list.filter((e) => e.plugin === plugin).map((e) => e.item);
  }

  /** Replace class items by instances (called by the host once the injector is ready). */
  async resolve(instantiate: (cls: Type<unknown>) => Promise<unknown>): Promise<void> {
    for (const entry of this.list) {
      if (isClass(entry.item)) entry.item = (await instantiate(entry.item)) as T;
    }
  }
}

export function isClass(value: unknown): value is Type<unknown> {
  return typeof value === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(value));
}

/** Inject the app's registry for a token: `constructor(@InjectRegistry(Banners) banners: Registry<Banner>)`. */
export function InjectRegistry(token: RegistryToken<unknown>): ParameterDecorator & PropertyDecorator {
  return Inject(token.provide);
}

/** A contribution listed in a plugin manifest: items for one registry. */
export interface Contribution<T = unknown> {
  readonly registry: RegistryToken<T>;
  readonly items: readonly (T | Type<T>)[];
}

export function contribute<T>(registry: RegistryToken<T>, ...items: (T | Type<T>)[]): Contribution<T> {
  return { registry, items };
}
