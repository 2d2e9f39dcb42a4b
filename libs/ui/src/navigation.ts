import type { AuthorizationService } from '@plinth/core';
import type {
  AuthUser,
  NavButton,
  NavItem,
  NavTab,
  PermissionAction,
  RegistryEntry,
} from '@plinth/plugin-sdk';
import type { UiModels } from './ui-models';

export interface MenuButton {
  label: string;
  link: string;
  color: string;
  icon: string;
}

export interface MenuItem {
  label: string;
  link: string;
  buttons: MenuButton[];
  /** Set for items derived from a model (the home page counts them). */
  model?: string;
}

export interface MenuGroup {
  name: string;
  items: MenuItem[];
}

export interface MenuTab {
  name: string;
  groups: MenuGroup[];
}

interface MergedGroup {
  name: string;
  weight: number;
  items: { item: NavItem; weight: number; order: number }[];
}

interface MergedTab {
  name: string;
  weight: number;
  order: number;
  groups: Map<string, MergedGroup>;
}

const PERMISSION = /^([a-z][a-z0-9_]*)\.(view|add|change|delete)_([a-z][a-z0-9_]*)$/;

/**
 * The menu, built only from the navigation registry: tabs with the same name merge (groups too),
 * so core tabs are filled by whichever domain contributes to them, built-in or third-party.
 * Items the user may not use are dropped, then empty groups and tabs.
 */
export class NavigationBuilder {
  private readonly merged: MergedTab[];

  constructor(
    entries: readonly RegistryEntry<NavTab>[],
    private readonly ui: UiModels,
    private readonly authz: AuthorizationService,
  ) {
    const tabs = new Map<string, MergedTab>();
    let order = 0;
    for (const { item: tab } of entries) {
      let t = tabs.get(tab.name);
      if (!t) {
        t = { name: tab.name, weight: tab.weight ?? 800, order: order++, groups: new Map() };
        tabs.set(tab.name, t);
      } else if (tab.weight !== undefined && t.weight === 800) {
        t.weight = tab.weight;
      }
      for (const group of tab.groups) {
        let g = t.groups.get(group.name);
        if (!g) {
          g = { name: group.name, weight: group.weight ?? 100, items: [] };
          t.groups.set(group.name, g);
        }
        for (const item of group.items) g.items.push({ item, weight: item.weight ?? 100, order: order++ });
      }
    }
    this.merged = [...tabs.values()].sort((a, b) => a.weight - b.weight || a.order - b.order);
  }

  /** May the user hold every permission (`extras.view_tag`)? Unknown names deny. */
  async allowed(user: AuthUser | null, permissions: readonly string[]): Promise<boolean> {
    for (const p of permissions) {
      const m = PERMISSION.exec(p);
      if (!m) {
        if (!user?.is_superuser) return false;
        continue;
      }
      const label = `${m[1]}.${m[3]}`;
      if (!(await this.authz.can(user, m[2] as PermissionAction, label))) return false;
    }
    return true;
  }

  private modelItem(item: NavItem): (NavItem & { label: string; link: string }) | null {
    if (!item.model) {
      if (!item.label || !item.link) return null;
      return item as NavItem & { label: string; link: string };
    }
    const model = this.ui.get(item.model);
    if (!model) return null;
    const link = this.ui.path(model);
    const [app, name] = [model.app_label, model.model];
    const buttons: NavButton[] = model.read_only
      ? []
      : [
          {
            label: 'Add',
            link: `${link}add/`,
            icon: '+',
            color: 'success',
            permissions: [`${app}.add_${name}`],
          },
          {
            label: 'Import',
            link: `${link}import/`,
            icon: '⇧',
            color: 'info',
            permissions: [`${app}.add_${name}`],
          },
        ];
    return {
      ...item,
      label: item.label ?? this.ui.plural(model),
      link: item.link ?? link,
      permissions: item.permissions ?? [`${app}.view_${name}`],
      buttons: item.buttons ?? buttons,
    };
  }

  /** The menu as the user may see it. */
  async build(user: AuthUser | null): Promise<MenuTab[]> {
    const out: MenuTab[] = [];
    for (const tab of this.merged) {
      const groups: MenuGroup[] = [];
      const sortedGroups = [...tab.groups.values()].sort((a, b) => a.weight - b.weight);
      for (const group of sortedGroups) {
        const items: MenuItem[] = [];
        const sorted = [...group.items].sort((a, b) => a.weight - b.weight || a.order - b.order);
        for (const { item: raw } of sorted) {
          const item = this.modelItem(raw);
          if (!item || !(await this.allowed(user, item.permissions ?? []))) continue;
          const buttons: MenuButton[] = [];
          for (const b of item.buttons ?? []) {
            if (await this.allowed(user, b.permissions ?? []))
              buttons.push({
                label: b.label,
                link: b.link,
                color: b.color ?? 'secondary',
                icon: b.icon ?? '',
              });
          }
          items.push({ label: item.label, link: item.link, buttons, model: raw.model });
        }
        if (items.length) groups.push({ name: group.name, items });
      }
      if (groups.length) out.push({ name: tab.name, groups });
    }
    return out;
  }
}
