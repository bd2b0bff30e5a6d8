/** The expert plugins: version, SPI versions, state and why a refused one failed. */
import type { PluginView } from '../../api/types';

export function PluginsTable({ plugins }: { plugins: PluginView[] }) {
  return (
    <table data-testid="plugins">
      <caption>Plugins</caption>
      <thead>
        <tr><th scope="col">Plugin</th><th scope="col">Version</th><th scope="col">Requires SPI</th><th scope="col">Host SPI</th>
          <th scope="col">State</th><th scope="col">Kinds</th><th scope="col">Contributed experts</th><th scope="col">Live experts</th><th scope="col">Source</th></tr>
      </thead>
      <tbody>
        {plugins.map((p) => (
          <tr key={`${p.id}@${p.version}|${p.source}`}>
            <th scope="row">{p.id}</th><td>{p.version || '–'}</td><td>{p.requiresSpi || '–'}</td><td>{p.hostSpi}</td>
            <td><span class={`state state-${p.state.toLowerCase()}`}>{p.state}</span>{p.reason !== '' && <span class="reason"> {p.reason}</span>}</td>
            <td>{p.kinds.join(', ') || '–'}</td><td>{p.contributedExperts.join(', ') || '–'}</td><td>{p.liveExperts}</td><td class="path">{p.source}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
