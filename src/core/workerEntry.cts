/**
 * The file piscina starts in every worker thread (CommonJS on purpose). Piscina loads a task file
 * with require() first and import() after; on Node 20 releases that can require() ES modules, a
 * worker could get our ES-module task file both ways at once and fail its first tasks with "Unexpected
 * status of a module that is imported again after being required". Here the task module (its path in
 * workerData.module) is loaded by import() alone, once per worker.
 */
import { pathToFileURL } from 'node:url';
import { workerData } from 'node:worker_threads';

type Task = (input: unknown) => unknown;
let task: Promise<Task> | undefined;

module.exports = async function run(input: unknown): Promise<unknown> {
  task ??= import(pathToFileURL((workerData as { module: string }).module).href).then((m: { default: Task }) => m.default);
  return (await task)(input);
};
