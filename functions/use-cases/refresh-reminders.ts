import { deriveReminders } from '../domain/reminder-rules';
import type { RuleSettings } from '../domain/rule-settings';
import type { CandidateRecord, CertificationStore } from './ports';

/**
 * Version of a derivation: reminders depend on the credential's attempts and on the profile's
 * time zone, so both versions order concurrent refreshes (a newer one always wins).
 */
export const derivationVersion = (stateVersion: number, profileVersion = 0): number =>
  stateVersion * 1_000_000 + profileVersion;

/**
 * Re-derives the pending reminders of a candidate's credentials from their attempts and writes
 * them to the due index. Reminders already emailed or skipped are never touched.
 *
 * @example
 * await refreshReminders({ store, settings }, 'cand-ana', ['aws-serverless']);
 */
export const refreshReminders = async (
  deps: { readonly store: CertificationStore; readonly settings: RuleSettings },
  candidateId: string,
  onlyCredentials?: readonly string[],
): Promise<CandidateRecord> => {
  const record = await deps.store.loadCandidate(candidateId);
  const timeZone = record.profile?.profile.timeZone ?? deps.settings.defaultTimeZone;
  const states = record.states.filter(
    (state) => onlyCredentials === undefined || onlyCredentials.includes(state.credentialId),
  );
  await Promise.all(
    states.map((state) =>
      deps.store.syncReminders(
        candidateId,
        state.credentialId,
        derivationVersion(state.version, record.profile?.version),
        deriveReminders(
          { candidateId, credentialId: state.credentialId, attempts: state.attempts, timeZone },
          deps.settings,
        ),
        record.reminders,
      ),
    ),
  );
  return record;
};
