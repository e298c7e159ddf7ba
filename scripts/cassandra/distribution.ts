import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CASSANDRA_HOME } from './node-spec';

/** The folder of jars that makes up one Cassandra version's classpath. */
export function libDir(version: string): string {
  return path.join(CASSANDRA_HOME, 'dist', version, 'lib');
}

const COMPLETE_MARKER = '.complete';

function isCached(version: string): boolean {
  return fs.existsSync(path.join(libDir(version), COMPLETE_MARKER));
}

function requireMaven(): void {
  const probe = spawnSync('mvn', ['--version'], { encoding: 'utf8' });
  if (probe.error !== undefined || probe.status !== 0) {
    throw new Error(
      'Maven is required to download Apache Cassandra the first time, but `mvn` was not found on PATH. ' +
        'Install Maven 3.8+ (e.g. `apt-get install maven`) or point CASSANDRA_CONTACT_POINTS at an existing cluster.',
    );
  }
}

function runMaven(args: string[], cwd: string): { ok: boolean; output: string } {
  const result = spawnSync('mvn', ['-B', '-q', ...args], { cwd, encoding: 'utf8' });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

/** The official binary tarball: preferred when the registry serves it. */
function tryBinaryDistribution(version: string, workDir: string, target: string): boolean {
  const fetched = runMaven(
    [
      'dependency:copy',
      `-Dartifact=org.apache.cassandra:apache-cassandra:${version}:tar.gz:bin`,
      `-DoutputDirectory=${workDir}`,
    ],
    workDir,
  );
  if (!fetched.ok) return false;
  const tarball = fs.readdirSync(workDir).find((file) => file.endsWith('.tar.gz'));
  if (tarball === undefined) return false;
  const extracted = spawnSync('tar', ['-xzf', tarball, '--strip-components=1', '-C', workDir], {
    cwd: workDir,
  });
  if (extracted.status !== 0) return false;
  fs.renameSync(path.join(workDir, 'lib'), target);
  return true;
}

/**
 * cassandra-all plus its runtime dependencies: the same server jars the tarball ships,
 * resolved through a throw-away pom (Maven Central here does not serve the tarball).
 */
function copyServerJars(version: string, workDir: string, target: string): void {
  const pom = `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.market-warehouse</groupId>
  <artifactId>cassandra-server</artifactId>
  <version>${version}</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.apache.cassandra</groupId>
      <artifactId>cassandra-all</artifactId>
      <version>${version}</version>
    </dependency>
  </dependencies>
</project>
`;
  fs.writeFileSync(path.join(workDir, 'pom.xml'), pom);
  const copied = runMaven(
    ['dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${target}`],
    workDir,
  );
  if (!copied.ok) {
    fs.rmSync(target, { recursive: true, force: true });
    throw new Error(
      `Could not download Apache Cassandra ${version} from Maven Central ` +
        `(org.apache.cassandra:cassandra-all:${version}).\n${copied.output.slice(-2000)}`,
    );
  }
}

/**
 * Makes sure the jars of `version` are in the local cache, downloading them once.
 * Returns the lib folder and whether anything was downloaded.
 */
export function ensureDistribution(version: string): { lib: string; downloadedMs: number | null } {
  const target = libDir(version);
  if (isCached(version)) return { lib: target, downloadedMs: null };
  requireMaven();
  const started = Date.now();
  const workDir = fs.mkdtempSync(path.join(CASSANDRA_HOME, 'download-'));
  try {
    fs.rmSync(target, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(target), { recursive: true });
    if (!tryBinaryDistribution(version, workDir, target)) {
      copyServerJars(version, workDir, target);
    }
    // The marker makes a half-finished download (Ctrl-C, full disk) look uncached.
    fs.writeFileSync(path.join(target, COMPLETE_MARKER), new Date().toISOString());
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
  return { lib: target, downloadedMs: Date.now() - started };
}

/** Size in bytes of a cached distribution, for the start report. */
export function distributionBytes(version: string): number {
  const dir = libDir(version);
  return fs.readdirSync(dir).reduce((total, file) => total + fs.statSync(path.join(dir, file)).size, 0);
}
