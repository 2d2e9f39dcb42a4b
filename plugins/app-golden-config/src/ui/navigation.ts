import type { NavTab } from '@plinth/plugin-sdk';
import { OVERVIEW_PATH } from './overview.controller';

/** A "Golden Config" tab: the overview, results, and the models that configure them. */
export const goldenConfigNavigation: NavTab[] = [
  {
    name: 'Golden Config',
    weight: 1000,
    groups: [
      {
        name: 'Compliance',
        items: [
          {
            label: 'Compliance overview',
            link: OVERVIEW_PATH,
            permissions: ['golden_config.view_configcompliance'],
          },
          { model: 'golden_config.goldenconfig' },
          { model: 'golden_config.configcompliance' },
        ],
      },
      {
        name: 'Setup',
        items: [
          { model: 'golden_config.compliancefeature' },
          { model: 'golden_config.compliancerule' },
          { model: 'golden_config.goldenconfigsetting' },
          { model: 'golden_config.configtemplate' },
        ],
      },
    ],
  },
];
