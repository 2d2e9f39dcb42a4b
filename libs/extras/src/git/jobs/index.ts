export { GitJobCatalog, gitJobDefinitions } from './catalog';
export { GitJobsContent } from './content';
export { GIT_JOBS_CONTRIBUTOR, type GitJobSource } from './definitions';
export { DISCOVERY_TIMEOUT_MS, GitJobSandbox, STOP_GRACE_MS } from './sandbox';
