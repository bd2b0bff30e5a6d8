import { render } from 'preact';
import { App } from './App';
import './styles.css';

const root = document.getElementById('app');
if (root !== null) {
  render(<App />, root);
  // Preact renders synchronously: from here the first view is in the DOM and takes input (read by the e2e budget check).
  performance.mark('switchboard:first-render');
}
