import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadLocalSecrets } from '../../../../bin/local/local-secrets';

const WEBHOOK_A = `whsec_${Buffer.from('local webhook secret number one').toString('base64')}`;
const WEBHOOK_B = `whsec_${Buffer.from('local webhook secret number two').toString('base64')}`;

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'local-secrets-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('loadLocalSecrets', () => {
  it('generates the secrets once into DATA_DIR/secrets.json, readable by the owner only', async () => {
    // Prepare
    const dataDir = join(root, 'nested', '.data');

    // Act
    const secrets = await loadLocalSecrets(dataDir, {});

    // Assess
    expect(secrets.generated).toBe(true);
    expect(secrets.file).toBe(join(dataDir, 'secrets.json'));
    expect(secrets.webhookSecrets).toHaveLength(1);
    expect(secrets.webhookSecrets[0]).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(secrets.unsubscribeSecrets).toHaveLength(1);
    expect(secrets.unsubscribeSecrets[0]).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const info = await stat(secrets.file);
    expect(info.mode & 0o777).toBe(0o600);
    const stored = JSON.parse(await readFile(secrets.file, 'utf8'));
    expect(stored).toEqual({
      webhookSecret: secrets.webhookSecrets[0],
      unsubscribeSecret: secrets.unsubscribeSecrets[0],
    });
  });

  it('adds an outbound secret once OUTBOUND_WEBHOOK_URL is set, keeping the others', async () => {
    // Prepare
    const first = await loadLocalSecrets(root, {});
    const env = { OUTBOUND_WEBHOOK_URL: 'http://127.0.0.1:4000/' };

    // Act
    const on = await loadLocalSecrets(root, env);
    const again = await loadLocalSecrets(root, env);
    const off = await loadLocalSecrets(root, {});
    const given = await loadLocalSecrets(root, { ...env, OUTBOUND_WEBHOOK_SECRET: WEBHOOK_B });

    // Assess
    expect(first.outboundWebhookSecrets).toBeUndefined();
    expect(on.outboundWebhookSecrets?.[0]).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(again.outboundWebhookSecrets).toEqual(on.outboundWebhookSecrets);
    expect(on.webhookSecrets).toEqual(first.webhookSecrets);
    expect(on.unsubscribeSecrets).toEqual(first.unsubscribeSecrets);
    expect(off.outboundWebhookSecrets).toBeUndefined();
    expect(given.outboundWebhookSecrets).toEqual([WEBHOOK_B]);
  });

  it('generates different secrets for different data directories', async () => {
    // Act
    const first = await loadLocalSecrets(join(root, 'one'), {});
    const second = await loadLocalSecrets(join(root, 'two'), {});

    // Assess
    expect(first.webhookSecrets).not.toEqual(second.webhookSecrets);
    expect(first.unsubscribeSecrets).not.toEqual(second.unsubscribeSecrets);
  });

  it('reuses the saved file on later starts', async () => {
    // Prepare
    const first = await loadLocalSecrets(root, {});
    const before = await readFile(first.file, 'utf8');

    // Act
    const again = await loadLocalSecrets(root, {});
    const withoutCreating = await loadLocalSecrets(root, {}, { create: false });

    // Assess
    expect(again).toEqual({ ...first, generated: false });
    expect(withoutCreating).toEqual({ ...first, generated: false });
    expect(await readFile(first.file, 'utf8')).toBe(before);
  });

  it('lets WEBHOOK_SECRET and UNSUBSCRIBE_SECRET override the file, with several values each', async () => {
    // Prepare
    await loadLocalSecrets(root, {});
    const env = {
      WEBHOOK_SECRET: `${WEBHOOK_A}, ${WEBHOOK_B}`,
      UNSUBSCRIBE_SECRET: 'new-unsubscribe , old-unsubscribe',
    };

    // Act
    const secrets = await loadLocalSecrets(root, env);

    // Assess
    expect(secrets.webhookSecrets).toEqual([WEBHOOK_A, WEBHOOK_B]);
    expect(secrets.unsubscribeSecrets).toEqual(['new-unsubscribe', 'old-unsubscribe']);
    expect(secrets.generated).toBe(false);
  });

  it('overrides one secret and takes the other from the file', async () => {
    // Prepare
    const saved = await loadLocalSecrets(root, {});

    // Act
    const secrets = await loadLocalSecrets(root, {
      WEBHOOK_SECRET: WEBHOOK_A,
      UNSUBSCRIBE_SECRET: '',
    });

    // Assess
    expect(secrets.webhookSecrets).toEqual([WEBHOOK_A]);
    expect(secrets.unsubscribeSecrets).toEqual(saved.unsubscribeSecrets);
  });

  it('needs no file when both secrets come from the environment and creating is off', async () => {
    // Prepare
    const dataDir = join(root, 'never-created');

    // Act
    const secrets = await loadLocalSecrets(
      dataDir,
      { WEBHOOK_SECRET: WEBHOOK_A, UNSUBSCRIBE_SECRET: 'unsub' },
      { create: false },
    );

    // Assess
    expect(secrets).toMatchObject({
      webhookSecrets: [WEBHOOK_A],
      unsubscribeSecrets: ['unsub'],
      generated: false,
    });
    await expect(stat(dataDir)).rejects.toThrow();
  });

  it('fails, naming the file and how to fix it, when creating is off and there is no file', async () => {
    // Prepare
    const dataDir = join(root, 'empty');

    // Act
    const error = await loadLocalSecrets(dataDir, {}, { create: false }).catch((e: Error) => e);

    // Assess
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(`no secrets in ${join(dataDir, 'secrets.json')}`);
    expect((error as Error).message).toContain('WEBHOOK_SECRET and UNSUBSCRIBE_SECRET');
    await expect(stat(dataDir)).rejects.toThrow();
  });

  it('fails when the file lacks a secret that the environment does not give', async () => {
    // Prepare
    await writeFile(join(root, 'secrets.json'), JSON.stringify({ webhookSecret: WEBHOOK_A }));

    // Act
    const loading = loadLocalSecrets(root, {});

    // Assess
    await expect(loading).rejects.toThrow(/no secrets in/);
  });

  it('refuses a WEBHOOK_SECRET that is not a whsec_ secret', async () => {
    // Act
    const loading = loadLocalSecrets(root, {
      WEBHOOK_SECRET: 'plain-text',
      UNSUBSCRIBE_SECRET: 'u',
    });

    // Assess
    await expect(loading).rejects.toThrow(/WEBHOOK_SECRET must hold whsec_/);
  });
});
