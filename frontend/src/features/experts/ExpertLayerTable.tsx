/** One layer's experts: kind, plugin, origin, size, state, recent load, and the actions on each. */
import type uPlot from 'uplot';
import type { Expert, ExpertLayer } from '../../api/types';
import type { Confirmation } from '../../ui/ConfirmDialog';
import { expertColour } from '../../ui/expertColours';
import { formatBytes, formatDecimal, formatInteger, formatPercent } from '../../ui/format';
import { TimeChart } from '../../ui/TimeChart';
import { expertApi } from './expertApi';
import { sparklineKey, type Sparklines } from './recentLoad';

interface Props {
  layer: ExpertLayer;
  sparklines: Sparklines;
  confirm: (confirmation: Confirmation) => void;
  apply: (change: () => Promise<unknown>) => Promise<void>;
}

function lastShare(line: uPlot.AlignedData): number {
  const shares = line[1] ?? [];
  return shares[shares.length - 1] ?? 0;
}

/** `<plugin id>/<name>` for a contributed expert, null for a checkpoint one. */
function contributedName(expert: Expert): [string, string] | null {
  const slash = expert.origin.indexOf('/');
  return expert.origin === 'checkpoint' || slash < 0 ? null : [expert.origin.slice(0, slash), expert.origin.slice(slash + 1)];
}

function ExpertActions({ layer, expert, confirm, apply }: { layer: number; expert: Expert } & Pick<Props, 'confirm' | 'apply'>) {
  const contributed = contributedName(expert);
  return (
    <div class="row-actions">
      {expert.state === 'enabled' && (
        <button type="button" aria-label={`Disable expert ${expert.index} of layer ${layer}`} onClick={() => {
          confirm({
            title: `Disable expert ${expert.index} of layer ${layer}?`,
            consequence: `Expert ${expert.index} of layer ${layer} stops receiving tokens; the router gives its share to the other experts of the layer until you enable it again.`,
            confirmLabel: 'Disable',
            run: () => apply(() => expertApi.disable(layer, expert.index)),
          });
        }}>Disable</button>
      )}
      {expert.state === 'disabled' && (
        <button type="button" aria-label={`Enable expert ${expert.index} of layer ${layer}`}
          onClick={() => void apply(() => expertApi.enable(layer, expert.index))}>Enable</button>
      )}
      {contributed !== null && (
        <button type="button" class="danger" aria-label={`Remove contributed expert ${expert.origin}`} onClick={() => {
          const [plugin, name] = contributed;
          confirm({
            title: `Remove ${expert.origin}?`,
            consequence: `The contributed expert ${name} of plugin ${plugin} leaves every layer: each layer's router loses a row and its tokens go to the remaining experts.`,
            confirmLabel: 'Remove',
            run: () => apply(() => expertApi.remove(plugin, name)),
          });
        }}>Remove</button>
      )}
    </div>
  );
}

export function ExpertLayerTable({ layer, sparklines, confirm, apply }: Props) {
  return (
    <table class="experts" data-testid={`layer-${layer.layer}`}>
      <caption>
        {layer.dense ? <>Layer {layer.layer}: dense MLP, run by every token</> : <>Layer {layer.layer}: {layer.numExperts} experts</>}
        {layer.sharedExpert !== null && (
          <span class="muted"> · shared expert ({layer.sharedExpert.kind}, {formatInteger(layer.sharedExpert.parameters)} parameters,
            {' '}{formatBytes(layer.sharedExpert.memoryBytes)}) always on, beside the routed experts</span>
        )}
      </caption>
      <thead>
        <tr>
          <th scope="col">Expert</th><th scope="col">Kind</th><th scope="col">Plugin</th><th scope="col">Origin</th>
          <th scope="col">Parameters</th><th scope="col">Memory</th><th scope="col">State</th>
          <th scope="col">Bias</th><th scope="col">Load, last 15 min</th><th scope="col">Actions</th>
        </tr>
      </thead>
      <tbody>
        {layer.experts.map((expert) => {
          const line = sparklines.get(sparklineKey(layer.layer, expert.index));
          return (
            <tr key={expert.index} data-state={expert.state}>
              <th scope="row"><span class="chip" style={{ background: expertColour(expert.index) }} aria-hidden="true" /> E{expert.index}</th>
              <td>{expert.kind}</td>
              <td>{expert.plugin ?? '–'}</td>
              <td>{expert.origin}</td>
              <td>{formatInteger(expert.parameters)}</td>
              <td>{formatBytes(expert.memoryBytes)}</td>
              <td><span class={`state state-${expert.state}`}>{expert.state}</span>{expert.reason !== null && <span class="reason"> ({expert.reason})</span>}</td>
              <td>{formatDecimal(expert.selectionBias)}</td>
              <td>{line === undefined ? <span class="muted">no traffic</span> : (
                <div class="load-cell">
                  <TimeChart sparkline height={28} data={line} title={`Share of layer ${layer.layer}'s assignments to expert ${expert.index} per minute`}
                    series={[{ label: `E${expert.index}`, colour: expertColour(expert.index) }]} />
                  {/* the last minute's share in words: a one-bucket sparkline has no line to see */}
                  <span>{formatPercent(lastShare(line))}</span>
                </div>
              )}</td>
              <td>{layer.dense ? <span class="muted">not routed</span>
                : <ExpertActions layer={layer.layer} expert={expert} confirm={confirm} apply={apply} />}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
