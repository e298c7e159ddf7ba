/** Why node_modules under `root` does not match its package-lock.json, or null when it does. */
export function installReason(root: string): string | null;
