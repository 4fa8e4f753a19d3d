import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import {
  addCertRemindersStacks,
  type CertRemindersStacks,
} from '../../lib/stacks/cert-reminders-stacks';

/** The `context` of `cdk.json`: feature flags and default settings, as `cdk synth` sees them. */
export const CDK_JSON_CONTEXT: Record<string, unknown> = JSON.parse(
  readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8'),
).context;

/** The stacks of one deployment and their templates. */
export interface SynthesizedCertReminders extends CertRemindersStacks {
  readonly app: App;
  readonly statefulTemplate: Template;
  readonly statelessTemplate: Template;
}

/**
 * Builds the app as `bin/app.ts` does, with the `cdk.json` context plus `context`, without
 * bundling the functions (their code is not part of the templates' shape) and without the
 * CloudFormation schema validation, which the cdk-nag test runs once.
 */
export const synthesizeCertReminders = (
  context: Record<string, unknown> = {},
  options: { builtinCloudFormationValidation?: boolean } = {},
): SynthesizedCertReminders => {
  const app = new App({
    builtinCloudFormationValidation: options.builtinCloudFormationValidation ?? false,
    context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [], ...context },
  });
  const stacks = addCertRemindersStacks(app);
  return {
    app,
    ...stacks,
    statefulTemplate: Template.fromStack(stacks.stateful),
    statelessTemplate: Template.fromStack(stacks.stateless),
  };
};

/**
 * An IAM statement with its actions and resources as sorted, readable strings, and its
 * conditions (when it has any) as they are in the template.
 */
export interface ReadableStatement {
  readonly effect: string;
  readonly actions: string[];
  readonly resources: string[];
  readonly conditions?: Record<string, Record<string, unknown>>;
}

/**
 * Flattens a CloudFormation value to a string: `Ref` becomes `<Name>`, `Fn::GetAtt` becomes
 * `<Resource.Attribute>`, `Fn::GetStackOutput` becomes `<Stack:Output>`, `Fn::Join` is joined.
 */
export const readable = (value: unknown): string => {
  if (typeof value === 'string') return value;
  const node = value as Record<string, unknown>;
  if ('Ref' in node) return `<${node.Ref}>`;
  if ('Fn::GetAtt' in node) return `<${(node['Fn::GetAtt'] as string[]).join('.')}>`;
  if ('Fn::Join' in node) {
    const [separator, parts] = node['Fn::Join'] as [string, unknown[]];
    return parts.map(readable).join(separator);
  }
  if ('Fn::GetStackOutput' in node) {
    const { StackName, OutputName } = node['Fn::GetStackOutput'] as Record<string, string>;
    return `<${StackName}:${OutputName}>`;
  }
  return JSON.stringify(value);
};

const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** Every statement of every IAM policy (standalone or inline) of `template`. */
export const allStatements = (template: Template): ReadableStatement[] => {
  const documents = [
    ...Object.values(template.findResources('AWS::IAM::Policy')).map(
      (policy) => policy.Properties.PolicyDocument,
    ),
    ...Object.values(template.findResources('AWS::IAM::Role')).flatMap((role) =>
      (role.Properties.Policies ?? []).map(
        (policy: { PolicyDocument: unknown }) => policy.PolicyDocument,
      ),
    ),
  ];
  return documents.flatMap((document) => asArray(document.Statement).map(toReadable));
};

/** The statements of the policies attached to the role whose logical ID starts with `rolePrefix`. */
export const statementsOfRole = (template: Template, rolePrefix: string): ReadableStatement[] => {
  const roleIds = Object.keys(template.findResources('AWS::IAM::Role')).filter((id) =>
    id.startsWith(rolePrefix),
  );
  if (roleIds.length !== 1)
    throw new Error(`expected one role named ${rolePrefix}…, found ${roleIds.join(', ')}`);
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) =>
      policy.Properties.Roles.some((role: { Ref: string }) => role.Ref === roleIds[0]),
    )
    .flatMap((policy) => asArray(policy.Properties.PolicyDocument.Statement).map(toReadable));
};

const toReadable = (statement: Record<string, unknown>): ReadableStatement => ({
  effect: statement.Effect as string,
  actions: asArray(statement.Action as string | string[]).sort(),
  resources: asArray(statement.Resource ?? [])
    .map(readable)
    .sort(),
  ...(statement.Condition === undefined
    ? {}
    : { conditions: statement.Condition as Record<string, Record<string, unknown>> }),
});

/** A statement of a KMS key policy, as it is in the template. */
export interface KeyPolicyStatement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Principal: { readonly Service?: string | string[]; readonly AWS?: unknown };
  readonly Action: string | string[];
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/** Every statement of the key policy of every KMS key of `template`, with the key's logical ID. */
export const keyPolicyStatements = (
  template: Template,
): Array<{ readonly keyId: string; readonly statement: KeyPolicyStatement }> =>
  Object.entries(template.findResources('AWS::KMS::Key')).flatMap(([keyId, key]) =>
    asArray(key.Properties.KeyPolicy.Statement as KeyPolicyStatement[]).map((statement) => ({
      keyId,
      statement,
    })),
  );

/** The logical ID of the only resource of `type` whose ID starts with `prefix`. */
export const logicalIdOf = (template: Template, type: string, prefix: string): string => {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
  if (ids.length !== 1)
    throw new Error(`expected one ${type} named ${prefix}…, found ${ids.join(', ')}`);
  return ids[0] as string;
};
