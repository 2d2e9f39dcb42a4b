import { Controller, Get, Post } from '@nestjs/common';
import type { ModulesContainer } from '@nestjs/core';
import { Public } from '@plinth/plugin-sdk';
import { PublicPages } from './public-pages';

@Controller('plugins/acme')
class AcmeController {
  @Public()
  @Get()
  summary() {}

  @Public()
  @Get('items/:id')
  item() {}

  @Get('private')
  secret() {}
}

@Public()
@Controller('plugins/open')
class OpenController {
  @Post('hook')
  hook() {}
}

@Controller('api/plugins/acme')
class ApiController {
  @Public()
  @Get()
  root() {}
}

function container(...controllers: unknown[]): ModulesContainer {
  const mod = { controllers: new Map(controllers.map((c, i) => [i, { metatype: c }])) };
  return new Map([['m', mod]]) as unknown as ModulesContainer;
}

describe('PublicPages', () => {
  const pages = new PublicPages();
  pages.collect(container(AcmeController, OpenController, ApiController));

  it('opens the page routes marked @Public(), on the handler or the controller', () => {
    expect(pages.has('GET', '/plugins/acme')).toBe(true);
    expect(pages.has('GET', '/plugins/acme/')).toBe(true);
    expect(pages.has('HEAD', '/plugins/acme/')).toBe(true);
    expect(pages.has('GET', '/Plugins/ACME/')).toBe(true);
    expect(pages.has('GET', '/plugins/acme/items/42/')).toBe(true);
    expect(pages.has('POST', '/plugins/open/hook')).toBe(true);
  });

  it('keeps everything else closed: other handlers, methods and paths, and API routes (the API guard owns those)', () => {
    expect(pages.has('GET', '/plugins/acme/private/')).toBe(false);
    expect(pages.has('POST', '/plugins/acme/')).toBe(false);
    expect(pages.has('GET', '/plugins/acme/items/')).toBe(false);
    expect(pages.has('GET', '/plugins/acme/items/42/more/')).toBe(false);
    expect(pages.has('GET', '/plugins/open/hook')).toBe(false);
    expect(pages.has('GET', '/api/plugins/acme/')).toBe(false);
  });
});
