import { useState } from "react";
import { QueryState } from "../components/QueryState";
import { NoticeBar, useTitle, type Notice } from "../components/ui";
import { formatDateTime } from "../lib/format";
import { LogoSettings } from "./LogoSettings";
import { SettingsForm } from "./SettingsForm";
import { useSettingsQuery } from "./useSettings";

/** Settings › Organisation: name, phone country, invitation expiry, SMS. */
export function OrganisationSettings() {
  useTitle("Organisation settings");
  const query = useSettingsQuery();
  const [notice, setNotice] = useState<Notice | null>(null);
  return (
    <>
      <NoticeBar notice={notice} />
      <QueryState query={query} loading="Loading the settings…" select={(data) => data.settings}>
        {(settings) => (
          <SettingsForm
            // A save (here or by a colleague) starts the form again from what is in effect.
            key={settings.updatedAt ?? "never"}
            settings={settings}
            keys={["organisationName", "defaultCountry", "inviteExpiryDays", "smsEnabled"]}
            title="Organisation"
            intro={
              <p className="hint settings-intro">
                A setting saved here takes effect at once, for everyone; one that says it comes from the
                environment follows the server's configuration until you change it here.
                {settings.updatedAt && ` Last changed ${formatDateTime(settings.updatedAt)}.`}
              </p>
            }
            onDone={setNotice}
          />
        )}
      </QueryState>
      <QueryState query={query} loading="" select={(data) => data.settings}>
        {(settings) => <LogoSettings logoUrl={settings.logoUrl ?? null} />}
      </QueryState>
    </>
  );
}
