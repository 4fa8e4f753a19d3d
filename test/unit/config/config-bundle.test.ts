import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

/**
 * SPEC §12: the functions read their configuration without a schema library, so that the sender
 * stays within its bundle budget. The policy file is checked with zod at synth and locally only.
 */

const inputsOf = async (entry: string) => {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    charset: 'utf8',
    mainFields: ['module', 'main'],
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return Object.keys(result.metafile.inputs);
};

describe('the configuration in a bundle', () => {
  it('brings no zod into the sender', { timeout: 30_000 }, async () => {
    // Act
    const inputs = await inputsOf('functions/handlers/sender.ts');

    // Assess
    expect(inputs).toContain('functions/config/runtime-config.ts');
    expect(inputs).toContain('functions/domain/policy-document.ts');
    expect(inputs.filter((input) => input.includes('node_modules/zod/'))).toEqual([]);
    expect(inputs).not.toContain('functions/domain/policy-schema.ts');
  });
});
