/** Overview: live expert load, balance over time, serving figures. */
import { BalancePanel } from './BalancePanel';
import { LiveHeatmap } from './LiveHeatmap';
import { ServingPanel } from './ServingPanel';

export function OverviewView({ model }: { model: string }) {
  return (
    <div class="grid">
      <LiveHeatmap model={model} />
      <ServingPanel />
      <BalancePanel model={model} />
    </div>
  );
}
