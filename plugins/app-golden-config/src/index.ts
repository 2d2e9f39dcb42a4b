import { Module } from '@nestjs/common';
import {
  DatasourceContents,
  Jobs,
  Navigation,
  TemplateExtensions,
  contribute,
  definePlugin,
} from '@plinth/plugin-sdk';
import { BackupConfigsContent } from './datasources/backup-configs';
import { IntendedTemplatesContent } from './datasources/intended-templates';
import { GenerateIntendedJob } from './jobs/generate-intended';
import { RunComplianceJob } from './jobs/run-compliance';
import { GOLDEN_CONFIG_MODELS } from './models';
import { GoldenConfigInitial1796643099130 } from './migrations/1796643099130-GoldenConfigInitial';
import { SavedGraphQLQuery1796654355438 } from './migrations/1796654355438-SavedGraphQLQuery';
import { DeviceGoldenConfigTab } from './ui/device-tab';
import { goldenConfigNavigation } from './ui/navigation';
import { OverviewPageController } from './ui/overview.controller';

export * from './models';
export { compareSection, sectionLines } from './compliance/sections';

@Module({
  controllers: [OverviewPageController],
  providers: [
    IntendedTemplatesContent,
    BackupConfigsContent,
    GenerateIntendedJob,
    RunComplianceJob,
    DeviceGoldenConfigTab,
  ],
})
export class GoldenConfigModule {}

export default definePlugin({
  name: 'golden_config',
  verbose_name: 'Golden Configuration',
  version: '0.1.0',
  description:
    'Intended configurations rendered from Git templates, backups loaded from Git, and compliance of both per feature and platform.',
  author: 'Plinth developers',
  author_email: 'dev@plinth.invalid',
  base_url: 'golden-config',
  min_version: '0.2.0',
  dependsOn: ['extras', 'dcim'],
  module: GoldenConfigModule,
  models: GOLDEN_CONFIG_MODELS,
  migrations: [GoldenConfigInitial1796643099130, SavedGraphQLQuery1796654355438],
  contributions: [
    contribute(DatasourceContents, IntendedTemplatesContent, BackupConfigsContent),
    contribute(Jobs, GenerateIntendedJob, RunComplianceJob),
    contribute(Navigation, ...goldenConfigNavigation),
    contribute(TemplateExtensions, DeviceGoldenConfigTab),
  ],
});
