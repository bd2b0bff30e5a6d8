/** Experts & plugins: every layer's experts with their actions, the plugins, and the lifecycle log. */
import { useState } from 'preact/hooks';
import { ApiError } from '../../api/http';
import { ConfirmDialog, type Confirmation } from '../../ui/ConfirmDialog';
import { Failure, Loading } from '../../ui/StatusMessage';
import { useAsync } from '../../ui/useAsync';
import { AddContributedForm } from './AddContributedForm';
import { EventLog } from './EventLog';
import { expertApi } from './expertApi';
import { ExpertLayerTable } from './ExpertLayerTable';
import { PluginsTable } from './PluginsTable';
import { ReplaceForm } from './ReplaceForm';
import { sparklinesOf } from './recentLoad';

export function ExpertsView({ model }: { model: string }) {
  const [version, setVersion] = useState(0);
  const key = `${model}|${version}`;
  const [table, reloadTable] = useAsync((signal) => expertApi.table(signal), key);
  const [plugins] = useAsync((signal) => expertApi.plugins(signal), key);
  const [events] = useAsync((signal) => expertApi.events(signal), key);
  const [usage] = useAsync((signal) => expertApi.recentUsage(model, signal).then(sparklinesOf), key);
  const [pending, setPending] = useState<Confirmation | null>(null);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);

  /** Runs a change, shows the server's answer, and reloads everything it may have changed. */
  const apply = async (change: () => Promise<unknown>): Promise<void> => {
    try {
      await change();
      setOutcome({ ok: true, text: 'Done. The table below is the server\'s new state; the event log shows what it recorded.' });
    } catch (error) {
      setOutcome({ ok: false, text: error instanceof ApiError ? `Refused: ${error.message}` : String(error) });
    }
    setVersion((v) => v + 1);
  };

  const kinds = plugins.status === 'ready'
    ? [...new Set(plugins.data.filter((p) => p.state === 'STARTED').flatMap((p) => p.kinds))].sort() : [];

  return (
    <>
      {outcome !== null && <p class={outcome.ok ? 'status ok' : 'status error'} role="status" data-testid="outcome">{outcome.text}</p>}
      <section aria-labelledby="experts-title">
        <h2 id="experts-title">Experts per layer</h2>
        {table.status === 'loading' && <Loading what="the expert table" />}
        {table.status === 'error' && <Failure error={table.error} onRetry={reloadTable} />}
        {table.status === 'ready' && (
          <>
            <p class="caption">Model {table.data.model}, top-{table.data.expertsPerToken} routing.</p>
            <h3>Replace an implementation</h3>
            <ReplaceFormSlot kinds={kinds} table={table.data} confirm={setPending} apply={apply} />
            {table.data.layers.map((layer) => (
              <ExpertLayerTable key={layer.layer} layer={layer} confirm={setPending} apply={apply}
                sparklines={usage.status === 'ready' ? usage.data : new Map()} />
            ))}
          </>
        )}
      </section>
      <section aria-labelledby="plugins-title">
        <h2 id="plugins-title">Plugins</h2>
        {plugins.status === 'loading' && <Loading what="plugins" />}
        {plugins.status === 'error' && <Failure error={plugins.error} />}
        {plugins.status === 'ready' && (
          <>
            <AddContributedForm plugins={plugins.data} apply={apply} />
            <PluginsTable plugins={plugins.data} />
          </>
        )}
      </section>
      <section aria-labelledby="events-title">
        <h2 id="events-title">Lifecycle events</h2>
        {events.status === 'loading' && <Loading what="events" />}
        {events.status === 'error' && <Failure error={events.error} />}
        {events.status === 'ready' && <EventLog events={events.data} />}
      </section>
      <ConfirmDialog pending={pending} onClose={() => { setPending(null); }} />
    </>
  );
}

/** The replace form needs the loaded kinds to start from one. */
function ReplaceFormSlot(props: Parameters<typeof ReplaceForm>[0]) {
  return props.kinds.length === 0 ? <p class="muted">No expert kinds loaded.</p> : <ReplaceForm {...props} />;
}
