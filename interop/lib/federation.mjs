// Two (or more) extra homeserver processes that federate with each other over TLS on loopback,
// for the federation tests: a throwaway CA made with openssl, one TLS federation listener and one
// plain client listener per server, `federation_static_dns` pointing each server name at a TCP
// proxy in this process (so a test can cut and heal the link without stopping a server), and
// short retry settings so that a server that was away is tried again within seconds.
//
// Every process started here is stopped by its PID: by `stop()`, and, should the test runner
// exit first (or be ended by a signal), synchronously from its `exit` event, which also removes
// the temporary directories.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync, openSync, closeSync, existsSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The homeserver jar and java binary run.sh uses (it passes them on). */
export const JAR = process.env.MYELIN_JAR;
export const JAVA = process.env.MYELIN_JAVA ?? 'java';
/** How long a homeserver may take to answer its first request. */
const STARTUP_MS = Number(process.env.INTEROP_STARTUP_TIMEOUT ?? 60) * 1000;
/** How long a homeserver may take to stop on SIGTERM before it is killed. */
const STOP_MS = 20000;

/** PIDs of every process started here and not yet seen to exit. */
const running = new Set();
/** Temporary directories of federations not yet stopped. */
const directories = new Set();
function killRunning() {
  for (const pid of running) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  running.clear();
  if (process.env.INTEROP_KEEP_DIR !== '1') {
    for (const dir of directories) rmSync(dir, { recursive: true, force: true });
  }
  directories.clear();
}
process.on('exit', killRunning);
// run.sh's suite time limit ends the runner with SIGTERM, which skips 'exit'
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => {
    killRunning();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
}

/**
 * The ports to use: from INTEROP_FED_PORTS ("from-to", for machines where each job has its own
 * range), else ones the kernel picks.
 */
function portSource() {
  const range = process.env.INTEROP_FED_PORTS?.match(/^(\d+)[-:](\d+)$/);
  if (range) {
    let next = Number(range[1]);
    const last = Number(range[2]);
    return async () => {
      while (next <= last) {
        const port = next++;
        if (await isFree(port)) return port;
      }
      throw new Error(`no free port left in INTEROP_FED_PORTS=${process.env.INTEROP_FED_PORTS}`);
    };
  }
  return () => new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function isFree(port) {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/**
 * A CA and one certificate per server name (also valid for 127.0.0.1), as PEM files in `dir`,
 * made with openssl. Returns { ca, certs: { name: { cert, key } } }.
 */
export function makeCertificates(dir, names) {
  const openssl = (...args) => {
    try {
      execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (err) {
      if (err.code === 'ENOENT') throw new Error('the federation tests need openssl on the PATH to make their test CA');
      throw new Error(`openssl ${args[0]} failed: ${err.stderr?.toString() ?? err.message}`);
    }
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2',
    '-subj', '/CN=Myelin interop test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  const certs = {};
  for (const name of names) {
    writeFileSync(path.join(dir, `${name}.ext`), [
      'basicConstraints=CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
      `subjectAltName=DNS:${name},IP:127.0.0.1`,
      '',
    ].join('\n'));
    openssl('req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial',
      '-out', `${name}.crt`, '-days', '2', '-extfile', `${name}.ext`);
    certs[name] = { cert: path.join(dir, `${name}.crt`), key: path.join(dir, `${name}.key`) };
  }
  return { ca: path.join(dir, 'ca.pem'), certs };
}

/**
 * A TCP proxy on loopback in front of one server's federation port: while cut, every
 * connection (open or new) is destroyed with a reset, as a broken network would; healed, bytes
 * pass untouched (TLS is end to end between the servers).
 */
export class LinkProxy {
  constructor(name, port, target) {
    this.name = name;
    this.port = port;
    this.target = target;
    this.isCut = false;
    this.sockets = new Set();
    this.server = net.createServer((inbound) => this.#accept(inbound));
  }

  listen() {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.port, '127.0.0.1', resolve);
    });
  }

  #accept(inbound) {
    if (this.isCut) {
      inbound.resetAndDestroy();
      return;
    }
    const outbound = net.connect(this.target, '127.0.0.1');
    for (const s of [inbound, outbound]) {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
      s.on('error', () => {
        inbound.destroy();
        outbound.destroy();
      });
    }
    inbound.pipe(outbound);
    outbound.pipe(inbound);
  }

  /** Resets every open connection and every new one until {@link heal}. */
  cut() {
    this.isCut = true;
    for (const s of this.sockets) s.resetAndDestroy();
    this.sockets.clear();
  }

  heal() {
    this.isCut = false;
  }

  close() {
    this.cut();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** One homeserver process: its config, ports, log, and start/stop by PID. */
export class HomeserverProcess {
  constructor({ name, home, clientPort, federationPort }) {
    this.name = name;
    this.home = home;
    this.clientPort = clientPort;
    this.federationPort = federationPort;
    this.config = path.join(home, 'homeserver.yaml');
    this.log = path.join(home, 'server.log');
    this.baseUrl = `http://127.0.0.1:${clientPort}`;
    this.child = null;
  }

  /** Starts the process and waits until it answers /_matrix/client/versions. */
  async start() {
    if (this.child) throw new Error(`${this.name} is already running`);
    const out = openSync(this.log, 'a');
    const child = spawn(JAVA, ['-jar', JAR, 'run', '--config', this.config], { stdio: ['ignore', out, out] });
    closeSync(out);
    this.child = child;
    running.add(child.pid);
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => {
      running.delete(child.pid);
      resolve(code ?? signal);
    }));
    const deadline = Date.now() + STARTUP_MS;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        this.child = null;
        throw new Error(`${this.name} exited (${child.exitCode ?? child.signalCode}) before serving; log:\n${this.tail(40)}`);
      }
      try {
        const res = await fetch(`${this.baseUrl}/_matrix/client/versions`, { signal: AbortSignal.timeout(2000) });
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        await this.stop();
        throw new Error(`${this.name} did not answer within ${STARTUP_MS / 1000}s; log:\n${this.tail(40)}`);
      }
      await new Promise((r) => setTimeout(r, 300));
    }
  }

  /** Stops the process politely (SIGTERM), killing it when it takes longer than 20 s. */
  async stop() {
    const child = this.child;
    if (!child) return;
    this.child = null;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      let timer;
      const late = new Promise((resolve) => {
        timer = setTimeout(() => resolve('late'), STOP_MS);
      });
      const how = await Promise.race([this.exited, late]);
      clearTimeout(timer);
      if (how === 'late') {
        child.kill('SIGKILL');
        await this.exited;
      }
    }
  }

  /** The last `lines` lines of the server's log. */
  tail(lines = 30) {
    try {
      return readFileSync(this.log, 'utf8').split('\n').slice(-lines - 1).join('\n');
    } catch (err) {
      return `(no log: ${err.message})`;
    }
  }

  /** Log lines (of the whole run so far) that match `pattern`, at most `max` of them. */
  grep(pattern, max = 20) {
    try {
      return readFileSync(this.log, 'utf8').split('\n').filter((l) => pattern.test(l)).slice(-max).join('\n');
    } catch {
      return '';
    }
  }
}

function configYaml(server, { servers, proxies, ca, cert }) {
  const srv = servers.map((s) => `    _matrix-fed._tcp.${s.name}: ["10 0 ${proxies[s.name].port} ${s.name}"]`).join('\n');
  const hosts = servers.map((s) => `    ${s.name}: [127.0.0.1]`).join('\n');
  const data = path.join(server.home, 'data');
  return `server_name: "${server.name}"
public_baseurl: "${server.baseUrl}/"
listeners:
  - port: ${server.clientPort}
    bind_addresses: ['127.0.0.1']
    type: http
    tls: false
    resources: [{names: [client]}]
  - port: ${server.federationPort}
    bind_addresses: ['127.0.0.1']
    type: http
    tls: true
    resources: [{names: [federation]}]
tls_certificate_path: "${cert.cert}"
tls_private_key_path: "${cert.key}"
federation_custom_ca_list: ["${ca}"]
database: {name: sqlite3, args: {database: "${path.join(data, 'homeserver.db')}"}}
signing_key_path: "${path.join(data, `${server.name}.signing.key`)}"
media_store_path: "${path.join(data, 'media_store')}"
enable_registration: true
enable_registration_without_verification: true
default_room_version: "10"
# ask each server itself for its keys
trusted_key_servers: []
# the other servers are on loopback
ip_range_blacklist: []
# every name resolves to loopback, and its SRV record to the proxy in front of that server
federation_static_dns:
  hosts:
${hosts}
  srv:
${srv}
# a server that was away is tried again within seconds
federation:
  destination_min_retry_interval: 500
  destination_retry_multiplier: 2
  destination_max_retry_interval: 2s
  max_long_retries: 3
  max_long_retry_delay: 1s
  max_short_retries: 2
  max_short_retry_delay: 500
# the tests send bursts: measure behaviour, not the rate limiters
rc_message: {per_second: 10000, burst_count: 100000}
rc_registration: {per_second: 10000, burst_count: 100000}
rc_login:
  address: {per_second: 10000, burst_count: 100000}
  account: {per_second: 10000, burst_count: 100000}
  failed_attempts: {per_second: 10000, burst_count: 100000}
rc_joins:
  local: {per_second: 10000, burst_count: 100000}
  remote: {per_second: 10000, burst_count: 100000}
rc_invites:
  per_room: {per_second: 10000, burst_count: 100000}
  per_user: {per_second: 10000, burst_count: 100000}
  per_issuer: {per_second: 10000, burst_count: 100000}
rc_federation: {window_size: 1000, sleep_limit: 100000, sleep_delay: 0, reject_limit: 100000, concurrent: 100}
`;
}

/**
 * Starts one homeserver per name, each reachable by the others only through its {@link LinkProxy}.
 * Returns { servers: { name: HomeserverProcess }, proxies: { name: LinkProxy }, cut(), heal(),
 * stop() }. `stop()` stops every process, closes the proxies and removes the temporary directory
 * (kept with INTEROP_KEEP_DIR=1).
 */
export async function startFederation(names) {
  if (!JAR || !existsSync(JAR)) {
    throw new Error(`no homeserver jar: set MYELIN_JAR (run.sh does), got ${JAR}`);
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'myelin-federation-'));
  directories.add(dir);
  const servers = {};
  const proxies = {};
  const federation = {
    dir,
    servers,
    proxies,
    cut() {
      for (const p of Object.values(proxies)) p.cut();
    },
    heal() {
      for (const p of Object.values(proxies)) p.heal();
    },
    async stop() {
      await Promise.all(Object.values(servers).map((s) => s.stop()));
      await Promise.all(Object.values(proxies).map((p) => p.close()));
      directories.delete(dir);
      if (process.env.INTEROP_KEEP_DIR === '1') {
        console.error(`interop: kept ${dir}`);
      } else {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
  try {
    const nextPort = portSource();
    const certDir = path.join(dir, 'ca');
    mkdirSync(certDir);
    const { ca, certs } = makeCertificates(certDir, names);
    for (const name of names) {
      const home = path.join(dir, name);
      mkdirSync(path.join(home, 'data'), { recursive: true });
      servers[name] = new HomeserverProcess({
        name, home, clientPort: await nextPort(), federationPort: await nextPort(),
      });
      proxies[name] = new LinkProxy(name, await nextPort(), servers[name].federationPort);
      await proxies[name].listen();
    }
    const list = Object.values(servers);
    for (const server of list) {
      // generate-config writes the signing key; the config itself is ours
      execFileSync(JAVA, ['-jar', JAR, 'generate-config', '--server-name', server.name,
        '--config-path', path.join(server.home, 'generated.yaml'), '--data-dir', path.join(server.home, 'data')],
      { stdio: ['ignore', 'ignore', 'pipe'] });
      writeFileSync(server.config, configYaml(server, { servers: list, proxies, ca, cert: certs[server.name] }));
    }
    await Promise.all(list.map((s) => s.start()));
  } catch (err) {
    await federation.stop();
    throw err;
  }
  return federation;
}
