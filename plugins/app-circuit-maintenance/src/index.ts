import { Module } from '@nestjs/common';
import {
  HomePanels,
  Jobs,
  Navigation,
  TemplateExtensions,
  contribute,
  definePlugin,
} from '@plinth/plugin-sdk';
import { IngestService } from './ingest/ingest.service';
import { ingestFolderJob } from './ingest/folder-job';
import { NotificationUploadController } from './ingest/upload.controller';
import { impactModel, maintenanceModel, parsedNotificationModel, rawNotificationModel } from './models';
import { Initial1796643363261 } from './migrations/1796643363261-Initial';
import { maintenanceSettings } from './settings';
import { maintenanceNavigation } from './ui/navigation';
import { MaintenancePanels, UpcomingMaintenancePanel } from './ui/panels';
import { UploadPageController } from './ui/upload-page.controller';

export { impactModel, maintenanceModel, parsedNotificationModel, rawNotificationModel } from './models';
export { parseNotification } from './parsers';
export { ingestNotification } from './ingest/ingest';

@Module({
  controllers: [NotificationUploadController, UploadPageController],
  providers: [IngestService, MaintenancePanels, UpcomingMaintenancePanel],
})
export class CircuitMaintenanceModule {}

export default definePlugin({
  name: 'circuit_maintenance',
  verbose_name: 'Circuit Maintenance',
  version: '1.0.0',
  description:
    'Provider maintenance windows and impacted circuits, ingested from BCOP iCalendar and provider e-mails, with upcoming-maintenance panels and overlap warnings.',
  author: 'Plinth developers',
  author_email: 'dev@plinth.invalid',
  base_url: 'circuit-maintenance',
  min_version: '0.2.0',
  dependsOn: ['extras', 'circuits', 'dcim'],
  settings: maintenanceSettings,
  module: CircuitMaintenanceModule,
  models: [maintenanceModel, impactModel, rawNotificationModel, parsedNotificationModel],
  migrations: [Initial1796643363261],
  contributions: [
    contribute(Jobs, ingestFolderJob),
    contribute(Navigation, ...maintenanceNavigation),
    contribute(HomePanels, UpcomingMaintenancePanel),
    contribute(TemplateExtensions, MaintenancePanels),
  ],
});
