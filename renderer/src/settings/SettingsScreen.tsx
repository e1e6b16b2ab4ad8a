import { useState } from 'react';
import type { Settings } from '../../../shared/domain';
import { api } from '../api';
import { ErrorState, Skeleton, useDocumentTitle, useLoad } from '../ui';
import { AssetClassSettingsSection } from './AssetClassSettingsSection';
import { BackupSection } from './BackupSection';
import { EnvironmentSection } from './EnvironmentSection';
import { InsightsSection } from './InsightsSection';
import { OfficerPinSection } from './OfficerPinSection';
import { PlaidConnectionSection } from './PlaidConnectionSection';
import { PlaidKeysSection } from './PlaidKeysSection';
import { UnderwritingSection } from './UnderwritingSection';
import { WebhookSection } from './WebhookSection';
import { RoleLocked } from '../team/RoleLocked';
import { useTeam } from '../team/TeamContext';
import { TeamSection } from '../team/TeamSection';
import './settings.css';

export function SettingsScreen() {
  useDocumentTitle('Settings');
  // Joining or leaving a team switches to another history, with its own settings.
  const { status: team } = useTeam();
  const history = team?.mode === 'team' ? `team:${team.team?.id ?? ''}` : 'local';
  const loaded = useLoad(() => api.settingsGet({}), [history]);
  // What the main process answered to the latest change wins over the first load (of the same history).
  const [saved, setSaved] = useState<{ history: string; settings: Settings } | null>(null);
  const setSettings = (next: Settings) => setSaved({ history, settings: next });
  const settings = (saved?.history === history ? saved.settings : null) ?? loaded.data ?? null;

  return (
    <div className="page" data-testid="settings-screen">
      <div className="page-header">
        <h1>Settings</h1>
      </div>
      {/* What a new officer needs first: the PIN for hand-offs, Plaid's environment and keys, the underwriting
          rules; then how Plaid reaches AssetDesk, and last the backups and the team (set up once, by one person). */}
      <OfficerPinSection />
      {loaded.status === 'error' && !settings ? (
        <ErrorState error={loaded.error} onRetry={loaded.reload} title="Settings could not be loaded" />
      ) : !settings ? (
        <Skeleton lines={8} label="Loading settings" />
      ) : (
        <RoleLocked channel="settings:update">
          <EnvironmentSection key={settings.environment} settings={settings} onChange={setSettings} />
          <PlaidKeysSection settings={settings} onChange={setSettings} />
          <UnderwritingSection settings={settings} onChange={setSettings} />
          <AssetClassSettingsSection />
          <InsightsSection settings={settings} onChange={setSettings} />
          <WebhookSection
            key={`webhook-${settings.webhook.enabled}-${settings.webhook.publicUrl}`}
            settings={settings}
            onChange={setSettings}
          />
          <PlaidConnectionSection settings={settings} onChange={setSettings} />
        </RoleLocked>
      )}
      <BackupSection />
      <TeamSection />
    </div>
  );
}
