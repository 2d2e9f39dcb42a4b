export * from './ui.module';
export * from './ui.service';
export * from './ui-models';
export { ASSETS } from './pages/assets.controller';
