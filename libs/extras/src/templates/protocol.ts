/** Messages between the template engine and its render workers (structured-clone data only). */

export interface FilterSpec {
  name: string;
  module: string;
  export: string;
}

export interface WorkerInit {
  filters: FilterSpec[];
}

export interface RenderJob {
  source: string;
  /** Plain JSON data (the engine JSON-clones what callers give). */
  context: Record<string, unknown>;
}

export interface RenderRequest {
  id: number;
  jobs: RenderJob[];
  autoescape: boolean;
  max_output: number;
}

export type RenderOutcome = { ok: true; output: string } | { ok: false; error: string };

export interface RenderReply {
  id: number;
  results: RenderOutcome[];
}
