/** The app's plugin name: the app label of its models. */
export const PLUGIN_NAME = 'data_validation';

/**
 * The label of one of the app's models, known before the plugin is loaded (a model ref's
 * `label` is only readable once its plugin has registered it: navigation is declared earlier).
 */
export function labelOf(model: { model: string }): string {
  return `${PLUGIN_NAME}.${model.model}`;
}
