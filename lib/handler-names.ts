import type { HandlerName } from './constructs/reminder-function';

/**
 * Every Lambda function of the product, by its handler file under `functions/handlers/`: the
 * list the tools that look at each function (such as the bundle benchmark) iterate over.
 */
export const HANDLER_NAMES = [
  'ingest',
  'planner',
  'sender',
  'ses-events',
  'unsubscribe',
  'outbound',
] as const satisfies readonly HandlerName[];

// Fails to compile when a handler is added to `HandlerName` but not to the list.
const listsEveryHandler: Exclude<HandlerName, (typeof HANDLER_NAMES)[number]> extends never
  ? true
  : false = true;
void listsEveryHandler;
