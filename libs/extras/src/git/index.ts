export { GitRepository } from './entities';
export { gitRepositoryModel } from './models';
export { exportTemplatesContent } from './export-templates-content';
export { GitRepositorySyncJob, SYNC_JOB } from './sync';
export { GitSyncApiController, GitSyncUiController } from './sync.controller';
export { gitRepositoryPage } from './ui';
export { asOwner, currentOwner, ownedRefusal } from './ownership';
export { GIT_JOBS_CONTENT } from './catalog';
export * from './jobs';
