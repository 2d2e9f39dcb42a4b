export * from './entities';
export { NOTE_MODEL, noteModel, notesFeature } from './models';
