import './console.css';
import { ConsoleApp } from './console-app';

const app = new ConsoleApp();
// Read-only: every read returns a fresh frozen copy of the page's state.
Object.defineProperty(window, '__console', { get: () => app.snapshot(), configurable: false });
void app.start();
