export { Job, JobLogEntry, JobResult } from './entities';
export { jobLogEntryModel, jobModel, jobResultModel } from './models';
export { JobRunner } from './runner';
export { JobSync } from './sync';
export { JobPages } from './ui';
export { JobRunApiController, JobRunUiController } from './run.controller';
export { jobResultCleanupJob } from './core-jobs';
export { validateJobData, describeVariables } from './variables';
