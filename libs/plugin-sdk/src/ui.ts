import { Inject } from '@nestjs/common';
import type { AuthUser, ModelFeature, ModelMeta, ObjectsApi, Rec } from './model';
import { createRegistry } from './registry';

/**
 * The web UI's extension points. Core domains and third-party plugins contribute to these
 * registries in exactly the same way (`contribute(Navigation, {...})` in the manifest); the UI
 * renders what is registered and nothing else.
 */

// ---------------------------------------------------------------- HTML

const SAFE = Symbol.for('plinth:safe-html');

/** HTML that is already escaped (built with `html\`...\`` or `unsafeHtml`). */
export interface SafeHtml {
  readonly [SAFE]: true;
  readonly html: string;
}

/** What a UI contribution returns: SafeHtml is inserted as is, a plain string is escaped (shown as text). */
export type Html = SafeHtml | string;

export function isSafeHtml(v: unknown): v is SafeHtml {
  return typeof v === 'object' && v !== null && (v as Record<symbol, unknown>)[SAFE] === true;
}

export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Mark a string as trusted HTML. Only for markup the plugin wrote itself, never for data. */
export function unsafeHtml(markup: string): SafeHtml {
  return { [SAFE]: true, html: markup };
}

function interpolate(v: unknown): string {
  if (isSafeHtml(v)) return v.html;
  if (Array.isArray(v)) return v.map(interpolate).join('');
  if (v === null || v === undefined || v === false) return '';
  return escapeHtml(v);
}

/**
 * Tagged template for contribution markup: interpolated values are HTML-escaped unless they are
 * SafeHtml themselves (arrays are joined), so request data never becomes markup.
 * `html\`<b>${user.username}</b>\``
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += interpolate(values[i]) + strings[i + 1];
  return unsafeHtml(out);
}

/** The markup of an Html value (escaping plain strings). */
export function toMarkup(v: Html | null | undefined): string {
  return v === null || v === undefined ? '' : isSafeHtml(v) ? v.html : escapeHtml(v);
}

// ---------------------------------------------------------------- contexts

type Awaitable<T> = T | Promise<T>;

import type { ApiObject } from './reads';

export interface UiListOptions {
  /**
   * Related objects nested to this depth, as the REST API's `?depth=` (default 0: references are
   * `{id, object_type, url}`; 1: they carry their `display` and fields).
   */
  depth?: number;
  /** At most this many objects (default and maximum 1000). */
  limit?: number;
  /** Field names, `-` for descending (as the REST `sort` parameter); default: the model's ordering. */
  sort?: readonly string[];
  /** Fields the model's features add on request, as the REST API's `?include=` (`relationships`). */
  include?: readonly string[];
}

/**
 * Reads for pages: objects as the REST API shows them (the same filter engine and serializer,
 * computed fields included, e.g. an interface's cable peer or a prefix's utilization), limited
 * to the objects the user may view. Each call costs a fixed number of queries, whatever the
 * number of objects.
 */
export interface UiObjects {
  /**
   * Objects matching list-endpoint filters (`{device: id}`; repeated values as lists). A model
   * that is not installed, or that the user may not view, gives an empty list.
   */
  list(
    label: string,
    filters?: Readonly<Record<string, string | readonly string[]>>,
    opts?: UiListOptions,
  ): Promise<ApiObject[]>;
}

/** What every UI contribution is given: the request's user and read access to the data. */
export interface UiContext {
  /** The logged-in user (null only on pages shown to anonymous users, e.g. the login page). */
  user: AuthUser | null;
  /** Path of the page being rendered (`/dcim/devices/…/`). */
  path: string;
  /** Query parameters of the page (each possibly repeated). */
  query: Readonly<Record<string, readonly string[]>>;
  /**
   * The one write path and its reads, acting as the logged-in user (writes are validated,
   * permission-checked and change-logged; reads are not narrowed by permissions).
   */
  objects: ObjectsApi;
  /** Objects as the REST API represents them, as far as the user may view them (see UiObjects). */
  api: UiObjects;
  /** UI URL of a model's list (`/extras/tags/`), or of one object. */
  url(label: string, id?: string): string | null;
  /** May the user perform `action` on objects of the model? */
  can(action: import('./entities/core').PermissionAction, label: string): Promise<boolean>;
  /** The CSRF token every POST form must carry as `csrfmiddlewaretoken`. */
  csrf_token: string;
}

/** Context of contributions to one object's detail page. */
export interface ObjectContext extends UiContext {
  model: ModelMeta;
  /** The stored object (field values; foreign keys as ids, many-to-many as id lists). */
  object: Rec;
  /** How the object is named. */
  display: string;
}

/** Context of contributions to a model's list page. */
export interface ListContext extends UiContext {
  model: ModelMeta;
}

// ---------------------------------------------------------------- navigation

/** `<app_label>.<action>_<model>` (Nautobot's permission names): `extras.view_tag`. */
export type PermissionName = string;

export interface NavButton {
  label: string;
  link: string;
  /** Bootstrap colour: success (add), info (import), ... */
  color?: string;
  /** A short glyph shown instead of the label (the label is then the tooltip): `+`. */
  icon?: string;
  permissions?: readonly PermissionName[];
}

/**
 * A menu item. With `model`, the link, label, view permission and the add/import buttons are
 * derived from the model (and the item is hidden when the model is not installed).
 */
export interface NavItem {
  label?: string;
  link?: string;
  model?: string;
  permissions?: readonly PermissionName[];
  buttons?: readonly NavButton[];
  weight?: number;
}

export interface NavGroup {
  name: string;
  weight?: number;
  items: readonly NavItem[];
}

/**
 * A navigation tab. Tabs with the same name are merged (their groups too, by name), so a plugin
 * adds items to a core tab by contributing a tab with that tab's name. Tabs whose items the user
 * may not see are hidden.
 */
export interface NavTab {
  name: string;
  weight?: number;
  groups: readonly NavGroup[];
}
export const Navigation = createRegistry<NavTab>('navigation');

/** The core tabs, in their menu order (the UI declares them; contributions fill them). */
export const CORE_NAV_TABS = {
  Organization: 100,
  Devices: 200,
  IPAM: 300,
  Circuits: 500,
  Extensibility: 900,
  Plugins: 1000,
} as const;

// ---------------------------------------------------------------- content slots

export interface UiPanel {
  title: string;
  body: Html;
}

export interface UiButton {
  label: string;
  link: string;
  /** Bootstrap colour (default `secondary`). */
  color?: string;
  /** Buttons with the same group are shown as one dropdown named after the group. */
  group?: string;
  /** Open the link in a new window/tab. */
  new_window?: boolean;
  /** The button could not be rendered: a small error badge with this message is shown instead. */
  error?: string;
}

/** A panel on the home page. */
export interface HomePanel {
  title: string;
  weight?: number;
  /** Shown only to users holding every listed permission. */
  permissions?: readonly PermissionName[];
  render(ctx: UiContext): Awaitable<Html>;
}
export const HomePanels = createRegistry<HomePanel>('home-panels');

/** An extra tab on an object's detail page, rendered at `<object url>?tab=<key>`. */
export interface DetailTab {
  /** URL-safe key, unique per model. */
  key: string;
  label: string;
  weight?: number;
  render(ctx: ObjectContext): Awaitable<Html>;
}

/**
 * Content added to existing pages of one or more models (Nautobot's TemplateExtension). Every
 * method is optional; panels may be one, several or none.
 */
export interface TemplateExtension {
  /**
   * Model label(s): `dcim.device`. Extensions for models that are not installed are unused.
   * `*`: every model (a feature shown on all pages: custom links, computed fields).
   */
  model: string | readonly string[];
  /** Only on pages of models with this feature (with `*`: a feature's tab, e.g. Config Context). */
  feature?: ModelFeature;
  left_page?(ctx: ObjectContext): Awaitable<UiPanel | readonly UiPanel[] | null>;
  right_page?(ctx: ObjectContext): Awaitable<UiPanel | readonly UiPanel[] | null>;
  full_width_page?(ctx: ObjectContext): Awaitable<UiPanel | readonly UiPanel[] | null>;
  buttons?(ctx: ObjectContext): Awaitable<readonly UiButton[]>;
  list_buttons?(ctx: ListContext): Awaitable<readonly UiButton[]>;
  detail_tabs?: readonly DetailTab[];
}
export const TemplateExtensions = createRegistry<TemplateExtension>('template-extensions');

export interface BannerContent {
  content: Html;
  /** Bootstrap alert colour (default `info`). */
  level?: 'info' | 'success' | 'warning' | 'danger' | 'primary' | 'secondary';
}

/** A banner computed per request, shown at the top of every page (null: none). */
export interface Banner {
  render(ctx: UiContext): Awaitable<BannerContent | null>;
}
export const Banners = createRegistry<Banner>('banners');

/**
 * Replaces the main content of a generated page: `view` is `<model label>:list` or
 * `<model label>:detail`. The page keeps its layout, title, buttons, tabs and plugin panels.
 * (Domain pages such as a rack elevation or a location tree are overrides or extensions.)
 */
export interface ViewOverride {
  view: string;
  render(ctx: ObjectContext | ListContext): Awaitable<Html>;
}
export const ViewOverrides = createRegistry<ViewOverride>('view-overrides');

/**
 * An extra column of a model's list table (chosen in the column chooser like the model's own
 * columns; `default` ones are shown until the user chooses). `render` gets the page's objects as
 * the REST API shows them and returns each object's cell by id: it is called once per page, so it
 * must cost a fixed number of queries (none when the objects carry what it shows).
 */
export interface TableColumn {
  /** Model label(s): `dcim.location`. */
  model: string | readonly string[];
  /** Column key, unique among the model's columns (saved in users' column choices). */
  name: string;
  label: string;
  /** Shown by default, after the model's own default columns. */
  default?: boolean;
  render(objects: readonly ApiObject[], ctx: ListContext): Awaitable<ReadonlyMap<string, Html>>;
}
export const TableColumns = createRegistry<TableColumn>('table-columns');

/** The UI registries (the host creates them even when nothing is contributed). */
export const UI_REGISTRIES = [
  Navigation,
  HomePanels,
  TemplateExtensions,
  Banners,
  ViewOverrides,
  TableColumns,
] as const;

// ---------------------------------------------------------------- pages of plugins

export const UI_PAGES = Symbol.for('plinth:ui-pages');

export interface UiPageOptions {
  title: string;
  body: Html;
  /** Links above the title: `[{label: 'Example', link: '/plugins/example/'}]`. */
  breadcrumbs?: readonly { label: string; link?: string }[];
}

/** Renders a plugin's own page (under `/plugins/<base_url>/`) inside the Plinth layout. */
export interface UiPages {
  /** Full HTML page for the request: navigation, banners and the given content. */
  render(req: unknown, page: UiPageOptions): Promise<string>;
  /** The request's UiContext (for pages that reuse slot-style rendering). */
  context(req: unknown): UiContext;
}

export const InjectUiPages = (): ParameterDecorator & PropertyDecorator => Inject(UI_PAGES);
