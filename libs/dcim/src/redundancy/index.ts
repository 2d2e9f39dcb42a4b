export * from './entities';
export * from './models';
export { redundancyNavigation, redundancyPages } from './ui';
