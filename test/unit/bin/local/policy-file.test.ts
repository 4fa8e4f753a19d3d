import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RuntimeFailure } from '../../../../bin/cli/cli-errors';
import { localConfigFromEnv } from '../../../../bin/local/local-config';
import { withPolicyFile } from '../../../../bin/local/policy-file';
import { DEFAULT_RULE_SETTINGS } from '../../../../functions/domain/rule-settings';

/** `POLICY_FILE` locally (SPEC §6, §9): read at start; invalid, nothing starts. */

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'policy-file-'));
  await writeFile(join(dir, 'bad.json'), JSON.stringify({ default: { retakeWaitDays: -1 } }));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('withPolicyFile', () => {
  it('leaves the settings alone without POLICY_FILE', () => {
    // Act & Assess
    expect(withPolicyFile(DEFAULT_RULE_SETTINGS, undefined)).toBe(DEFAULT_RULE_SETTINGS);
    expect(withPolicyFile(DEFAULT_RULE_SETTINGS, '')).toBe(DEFAULT_RULE_SETTINGS);
  });

  it('reads a path relative to the working directory', () => {
    // Act
    const settings = withPolicyFile(DEFAULT_RULE_SETTINGS, 'examples/policies.json');

    // Assess
    expect(Object.keys(settings.policies?.credentials ?? {})).toContain(
      'aws-solutions-architect-professional',
    );
  });

  it('refuses an invalid file with one line: POLICY_FILE <path>: <field>: <reason>', () => {
    // Prepare
    const path = join(dir, 'bad.json');

    // Act & Assess
    expect(() => withPolicyFile(DEFAULT_RULE_SETTINGS, path)).toThrow(RuntimeFailure);
    expect(() => withPolicyFile(DEFAULT_RULE_SETTINGS, path)).toThrow(
      `POLICY_FILE ${path}: default.retakeWaitDays: must be a whole number from 1 to 3650`,
    );
  });
});

describe('localConfigFromEnv', () => {
  it('gives the functions the policy of POLICY_FILE, not a POLICY_DOCUMENT from the environment', () => {
    // Act
    const config = localConfigFromEnv({
      POLICY_FILE: 'examples/policies.json',
      POLICY_DOCUMENT: '{"not": "used"}',
    });

    // Assess
    expect(config.runtime.settings.policies?.credentials).toHaveProperty(
      'aws-devops-engineer-professional',
    );
  });

  it('refuses to start on an invalid POLICY_FILE', () => {
    // Act & Assess
    expect(() => localConfigFromEnv({ POLICY_FILE: join(dir, 'bad.json') })).toThrow(
      /^POLICY_FILE .*bad\.json: default\.retakeWaitDays/,
    );
  });
});
