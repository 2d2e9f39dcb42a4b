export * from './rest-engine';
export * from './model-controller.factory';
export * from './openapi';
export * from './api-root.controller';
export * from './status.service';
export * from './rest.module';
