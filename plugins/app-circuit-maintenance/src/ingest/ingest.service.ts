import { Inject, Injectable } from '@nestjs/common';
import { OBJECTS, type AuthUser, type ChangeSource, type ObjectsService } from '@plinth/plugin-sdk';
import { maintenanceSettings, type MaintenanceSettings } from '../settings';
import { ingestNotification, type IngestResult, type NotificationInput } from './ingest';

/** Ingestion for the REST endpoint and the upload page: each notification in its own transaction. */
@Injectable()
export class IngestService {
  constructor(
    @Inject(OBJECTS) private readonly objects: ObjectsService,
    @maintenanceSettings.inject() private readonly settings: MaintenanceSettings,
  ) {}

  async ingest(
    inputs: readonly NotificationInput[],
    as: { user: AuthUser | null; source: ChangeSource; request_id?: string },
  ): Promise<IngestResult[]> {
    const out: IngestResult[] = [];
    for (const input of inputs)
      out.push(
        await this.objects.transaction((tx) => ingestNotification(tx.objects, this.settings, input), {
          user: as.user,
          source: as.source,
          request_id: as.request_id,
        }),
      );
    return out;
  }
}
