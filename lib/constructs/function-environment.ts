import {
  FUNCTION_VARIABLES,
  type FunctionName,
  type OUTBOUND_PUBLISHER_VARIABLES,
  type VariableName,
} from '../../functions/config/runtime-config';

/** The variables a function reads only when outbound webhooks are on. */
type OutboundVariable<Name extends FunctionName> =
  Name extends keyof typeof OUTBOUND_PUBLISHER_VARIABLES
    ? (typeof OUTBOUND_PUBLISHER_VARIABLES)[Name][number]
    : never;

/**
 * The variables a function reads (`FUNCTION_VARIABLES`), each set to a value or a token, and,
 * when outbound webhooks are on, those of `OUTBOUND_PUBLISHER_VARIABLES`.
 */
export type FunctionEnvironment<Name extends FunctionName> = Readonly<
  Record<(typeof FUNCTION_VARIABLES)[Name][number], string>
> &
  Readonly<Partial<Record<OutboundVariable<Name>, string>>>;

/**
 * A function's environment, checked against the variables its code reads: a misspelt or renamed
 * variable fails to compile, and a missing one fails `cdk synth` naming it.
 *
 * @example
 * environmentOf('planner', { TABLE_NAME: tableName, SEND_QUEUE_URL: queue.queueUrl });
 */
export const environmentOf = <Name extends FunctionName>(
  name: Name,
  values: FunctionEnvironment<Name>,
): Record<string, string> => {
  const given = values as Readonly<Partial<Record<VariableName, string>>>;
  const missing = FUNCTION_VARIABLES[name].filter((variable) => given[variable] === undefined);
  if (missing.length > 0) throw new Error(`the ${name} function needs ${missing.join(', ')}`);
  return Object.fromEntries(
    Object.entries(given).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
};
