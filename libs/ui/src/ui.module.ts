import {
  Inject,
  Module,
  RequestMethod,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestModule,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { PlinthExceptionFilter, type HtmlErrorRenderer, type PlinthContext } from '@plinth/core';
import { UI_PAGES } from '@plinth/plugin-sdk';
import { uiGuardMiddleware } from './middleware';
import { PublicPages } from './public-pages';
import { AccountController } from './pages/account.controller';
import { AssetsController } from './pages/assets.controller';
import { AuthController } from './pages/auth.controller';
import { HomeController } from './pages/home.controller';
import { PluginsController } from './pages/plugins.controller';
import { UiModels } from './ui-models';
import { UiService } from './ui.service';
import { BulkView } from './views/bulk.view';
import { CsvView } from './views/csv.view';
import { DetailView } from './views/detail.view';
import { NotesView } from './views/notes.view';
import { EditView } from './views/edit.view';
import { ListView } from './views/list.view';
import { createModelUiController } from './views/model-ui.controller';
import { ViewSupport } from './views/support';

/**
 * The web UI: login, home, search, installed plugins, and the generated pages of every model.
 * Global, so plugin modules can inject UI_PAGES to render their own pages in the layout.
 */
@Module({})
export class PlinthUiModule implements NestModule, OnModuleInit, OnModuleDestroy {
  private renderer: HtmlErrorRenderer | null = null;
  private readonly publicPages = new PublicPages();

  constructor(
    @Inject(UiService) private readonly ui: UiService,
    @Inject(ModulesContainer) private readonly modules: ModulesContainer,
  ) {}

  static forRoot(ctx: PlinthContext): DynamicModule {
    const paths = new UiModels(ctx.models, ctx.plugins);
    const modelControllers = ctx.models.all().map((m) => createModelUiController(m, paths.path(m)));
    return {
      module: PlinthUiModule,
      global: true,
      controllers: [
        AccountController,
        AssetsController,
        AuthController,
        HomeController,
        PluginsController,
        ...modelControllers,
      ],
      providers: [
        UiService,
        { provide: UI_PAGES, useExisting: UiService },
        ViewSupport,
        ListView,
        DetailView,
        EditView,
        BulkView,
        CsvView,
        NotesView,
      ],
      exports: [UiService, UI_PAGES],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(uiGuardMiddleware(this.ui, this.publicPages))
      .forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }

  /** Errors on pages (403, 404, 500) render as pages; the API keeps its JSON errors. */
  onModuleInit(): void {
    this.publicPages.collect(this.modules);
    this.renderer = (status, message, req, res) => {
      void this.ui.sendError(req, res, status, message);
      return true;
    };
    PlinthExceptionFilter.htmlRenderer = this.renderer;
  }

  onModuleDestroy(): void {
    if (PlinthExceptionFilter.htmlRenderer === this.renderer) PlinthExceptionFilter.htmlRenderer = null;
  }
}
