import fs from 'node:fs';
import path from 'node:path';
import { nodePaths } from './node-files';
import type { NodeSpec } from './node-spec';

/**
 * The module-system openings Cassandra 5.0 needs on Java 17, as listed in the
 * distribution's conf/jvm17-server.options; without them the daemon does not start.
 */
export const JAVA17_MODULE_FLAGS = [
  '-Djdk.attach.allowAttachSelf=true',
  ...[
    'java.base/jdk.internal.misc',
    'java.management.rmi/com.sun.jmx.remote.internal.rmi',
    'java.rmi/sun.rmi.registry',
    'java.rmi/sun.rmi.server',
    'java.sql/java.sql',
    'java.base/java.lang.ref',
    'jdk.unsupported/sun.misc',
    'jdk.compiler/com.sun.tools.javac.file',
    'jdk.attach/sun.tools.attach',
  ].map((pkg) => `--add-exports=${pkg}=ALL-UNNAMED`),
  ...[
    'java.base/java.lang.module',
    'java.base/jdk.internal.loader',
    'java.base/jdk.internal.ref',
    'java.base/jdk.internal.reflect',
    'java.base/jdk.internal.math',
    'java.base/jdk.internal.module',
    'java.base/jdk.internal.util.jar',
    'jdk.management/com.sun.management.internal',
    'java.base/sun.nio.ch',
    'java.base/java.io',
    'java.base/java.lang.reflect',
    'jdk.compiler/com.sun.tools.javac',
    'java.base/java.lang',
    'java.base/java.util',
  ].map((pkg) => `--add-opens=${pkg}=ALL-UNNAMED`),
  '-Dio.netty.tryReflectionSetAccessible=true',
  '-Dio.netty.allocator.useCacheForAllThreads=true',
  '-Dio.netty.allocator.maxOrder=11',
];

/** The full `java` argument list that runs one node in the foreground. */
export function javaArguments(spec: NodeSpec, lib: string): string[] {
  const paths = nodePaths(spec);
  const jars = fs.readdirSync(lib).filter((file) => file.endsWith('.jar'));
  const jamm = jars.find((file) => file.startsWith('jamm-'));
  const classpath = [paths.conf, ...jars.map((file) => path.join(lib, file))].join(path.delimiter);
  const isSingleNode = spec.seeds.length === 1 && spec.seeds[0]?.startsWith(spec.address) === true;
  return [
    // An explicit small heap: the default formula would claim several GB of a 24 GB box.
    `-Xms${spec.heap.initial}`,
    `-Xmx${spec.heap.max}`,
    '-XX:+UseG1GC',
    '-XX:+ParallelRefProcEnabled',
    '-XX:MaxGCPauseMillis=300',
    '-XX:+ExitOnOutOfMemoryError',
    '-Xss256k',
    ...JAVA17_MODULE_FLAGS,
    // jamm measures object sizes for memtable accounting; the distribution loads it as an agent.
    ...(jamm === undefined ? [] : [`-javaagent:${path.join(lib, jamm)}`]),
    `-Dcassandra.config=file://${path.join(paths.conf, 'cassandra.yaml')}`,
    `-Dlogback.configurationFile=file://${path.join(paths.conf, 'logback.xml')}`,
    `-Dcassandra.logdir=${paths.logs}`,
    `-Dcassandra.storagedir=${paths.data}`,
    `-Dcassandra.jmx.local.port=${spec.jmxPort}`,
    '-Dcassandra-foreground=yes',
    // A lone node has no gossip to wait for; this saves several seconds of every start.
    ...(isSingleNode ? ['-Dcassandra.skip_wait_for_gossip_to_settle=0'] : []),
    '-cp',
    classpath,
    'org.apache.cassandra.service.CassandraDaemon',
  ];
}

/**
 * The `java` argument list that runs nodetool (org.apache.cassandra.tools.NodeTool, part
 * of cassandra-all) against a node's JMX port; the distribution's wrapper script does not
 * come with the Maven artifacts.
 */
export function nodetoolArguments(spec: NodeSpec, lib: string, args: readonly string[]): string[] {
  const jars = fs.readdirSync(lib).filter((file) => file.endsWith('.jar'));
  return [
    '-Xmx256m',
    ...JAVA17_MODULE_FLAGS,
    `-Dcassandra.logdir=${nodePaths(spec).logs}`,
    '-Dlogback.configurationFile=logback-tools.xml',
    '-cp',
    jars.map((file) => path.join(lib, file)).join(path.delimiter),
    'org.apache.cassandra.tools.NodeTool',
    // cassandra.jmx.local.port binds JMX to 127.0.0.1 whatever the node's own address, so a
    // cluster node on 127.0.0.2 is reached at 127.0.0.1:<its JMX port>.
    '-h',
    '127.0.0.1',
    '-p',
    String(spec.jmxPort),
    ...args,
  ];
}
