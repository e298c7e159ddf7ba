import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { javaArguments } from './jvm-options';
import { nodePaths, writeNodeFiles } from './node-files';
import { isPortTaken, requireJava, runningPid, stopNode } from './node-process';
import { type NodeSpec, singleNodeSpec } from './node-spec';

function specIn(dir: string, overrides: Partial<NodeSpec> = {}): NodeSpec {
  return { ...singleNodeSpec('test', {}), dir, ...overrides };
}

describe('Cassandra provisioning', () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cassandra-spec-'));
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('gives the test instance its own ports and folder, apart from the dev instance', () => {
    const dev = singleNodeSpec('dev', {});
    const test = singleNodeSpec('test', {});
    expect([dev.nativePort, dev.storagePort, dev.jmxPort]).toEqual([9042, 7000, 7199]);
    expect([test.nativePort, test.storagePort, test.jmxPort]).toEqual([19042, 17000, 17199]);
    expect(test.dir).not.toBe(dev.dir);
    expect(test.clusterName).not.toBe(dev.clusterName);
    const fault = singleNodeSpec('fault', {});
    expect([fault.nativePort, fault.storagePort, fault.jmxPort]).toEqual([29042, 27000, 27199]);
    expect(new Set([dev.dir, test.dir, fault.dir]).size).toBe(3);
  });

  it('takes ports from the environment and rejects bad ones by name', () => {
    expect(singleNodeSpec('dev', { CASSANDRA_LOCAL_PORT: '9142' }).nativePort).toBe(9142);
    expect(() => singleNodeSpec('dev', { CASSANDRA_LOCAL_PORT: '70000' })).toThrow(
      /CASSANDRA_LOCAL_PORT must be a TCP port/,
    );
    expect(() => singleNodeSpec('test', { CASSANDRA_START_TIMEOUT_SECONDS: '-3' })).toThrow(
      /CASSANDRA_START_TIMEOUT_SECONDS/,
    );
  });

  it('renders a cassandra.yaml bound to loopback with every folder inside the node dir', () => {
    const spec = specIn(dir);
    writeNodeFiles(spec);
    const yaml = fs.readFileSync(path.join(nodePaths(spec).conf, 'cassandra.yaml'), 'utf8');
    expect(yaml).toContain('listen_address: 127.0.0.1');
    expect(yaml).toContain('rpc_address: 127.0.0.1');
    expect(yaml).toContain('native_transport_port: 19042');
    expect(yaml).toContain('storage_port: 17000');
    expect(yaml).toContain('seeds: "127.0.0.1:17000"');
    for (const key of [
      'data_file_directories:\n  -',
      'commitlog_directory:',
      'saved_caches_directory:',
      'hints_directory:',
      'cdc_raw_directory:',
    ]) {
      const line = yaml.split(key)[1]?.split('\n')[0]?.trim() ?? '';
      expect(line.startsWith(dir)).toBe(true);
    }
    expect(fs.readFileSync(path.join(nodePaths(spec).conf, 'cassandra-rackdc.properties'), 'utf8')).toBe(
      'dc=datacenter1\nrack=rack1\n',
    );
  });

  it('runs the JVM with an explicit small heap, the Java 17 module flags and its own JMX port', () => {
    const lib = path.join(dir, 'lib');
    fs.mkdirSync(lib);
    for (const jar of ['cassandra-all-5.0.9.jar', 'jamm-0.4.0.jar', 'guava.jar'])
      fs.writeFileSync(path.join(lib, jar), '');
    const args = javaArguments(specIn(dir), lib);
    expect(args).toEqual(
      expect.arrayContaining(['-Xms512m', '-Xmx1g', '-XX:+ExitOnOutOfMemoryError', '-Dcassandra.jmx.local.port=17199']),
    );
    expect(args).toContain('--add-opens=java.base/java.lang=ALL-UNNAMED');
    expect(args).toContain('--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED');
    expect(args).toContain(`-javaagent:${path.join(lib, 'jamm-0.4.0.jar')}`);
    expect(args.at(-1)).toBe('org.apache.cassandra.service.CassandraDaemon');
    const classpath = args[args.indexOf('-cp') + 1] ?? '';
    expect(classpath.split(':')[0]).toBe(nodePaths(specIn(dir)).conf);
  });

  it('sees a port as taken while another process listens on it', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    expect(await isPortTaken('127.0.0.1', port)).toBe(true);
    await new Promise((resolve) => server.close(resolve));
    expect(await isPortTaken('127.0.0.1', port)).toBe(false);
  });

  it('ignores a stale pid file, or one whose pid now belongs to another program', async () => {
    const spec = specIn(dir);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(nodePaths(spec).pidFile, '999999999');
    expect(runningPid(spec)).toBeNull();
    fs.writeFileSync(nodePaths(spec).pidFile, String(process.pid)); // alive, but not this node's JVM
    expect(runningPid(spec)).toBeNull();
    expect(await stopNode(spec)).toBe(false);
    expect(fs.existsSync(nodePaths(spec).pidFile)).toBe(false);
    expect(await stopNode(spec)).toBe(false);
  });

  it('fails with a clear message when Java is missing', () => {
    const saved = process.env.JAVA_HOME;
    process.env.JAVA_HOME = path.join(dir, 'no-jdk-here');
    try {
      expect(() => requireJava()).toThrow(
        /Java 17 is required to run Apache Cassandra.*Install a JDK 17 or set JAVA_HOME/,
      );
    } finally {
      if (saved === undefined) delete process.env.JAVA_HOME;
      else process.env.JAVA_HOME = saved;
    }
  });
});
