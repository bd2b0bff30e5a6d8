/** Overview: live expert load, serving figures, balance over time, collapse warnings. */
import { BalancePanel } from './BalancePanel';
import { CollapseWarnings } from './CollapseWarnings';
import { LiveHeatmap } from './LiveHeatmap';
import { ServingPanel } from './ServingPanel';

export function OverviewView({ model }: { model: string }) {
  return (
    <div class="grid">
      <LiveHeatmap model={model} />
      <ServingPanel />
      <BalancePanel model={model} />
      <CollapseWarnings model={model} />
    </div>
  );
}
