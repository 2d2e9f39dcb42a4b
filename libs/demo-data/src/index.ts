export * from './generator';
export { Random } from './random';
export { DEVICE_TYPES } from './catalog';
