import { Command, InvalidArgumentError, Option } from 'commander';
import { createInterface } from 'node:readline/promises';
import { isRole, ROLES } from '../shared/roles.ts';
import { loadConfig, type Config } from './config.ts';
import { migrate, seed, startServer } from './bootstrap.ts';
import { openDatabase } from './platform/db/index.ts';
import { createPlatform } from './platform/platform.ts';
import { verifyAuditChain } from './platform/audit.ts';
import { systemActor } from './platform/actor.ts';
import { UNRESTRICTED } from './platform/access.ts';
import { createUser } from './modules/identity/commands.ts';
import { findRegion } from './modules/regions/repository.ts';
import { findDepartmentByCode } from './modules/departments/repository.ts';
import { DEMO_DEVICES } from './modules/devices/demo.ts';
import { AppError } from './platform/errors.ts';
import { importFile } from './modules/ledger/importer.ts';
import { readFile } from 'node:fs/promises';
import { ERROR_MESSAGES } from '../shared/errors.ts';
import { buildWeb, webBuildNeeded } from './web-build.ts';
import pino from 'pino';
import { DEMO_PASSWORD } from './modules/identity/demo.ts';
import { DEMO_DEVICE_REGION } from './modules/devices/demo.ts';
import { runSimulateCommand } from './simulator/command.ts';
import { startDemoSimulation } from './simulator/demo.ts';
import { EmbeddedBroker } from './modules/telemetry/transports.ts';

function numberOption(name: string, { min, max, integer }: { min: number; max: number; integer?: boolean }) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
      throw new InvalidArgumentError(`${name} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}`);
    }
    return n;
  };
}

async function withPlatform<T>(config: Config, work: (platform: ReturnType<typeof createPlatform>) => Promise<T>): Promise<T> {
  const database = await openDatabase(config);
  try {
    await migrate(database.db);
    const log = pino({ level: config.logLevel });
    const platform = createPlatform({ config, db: database.db, dbKind: database.kind, log });
    return await work(platform);
  } finally {
    await database.close();
  }
}

async function readPassword(fromStdin: boolean): Promise<string> {
  if (process.env.GONGZHI_PASSWORD) return process.env.GONGZHI_PASSWORD;
  if (fromStdin || !process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const password = await rl.question('Password / 密码: ');
  rl.close();
  return password;
}

export async function main(argv: string[]): Promise<void> {
  const program = new Command()
    .name('gongzhi')
    .description('Gongzhi 共治 — community governance platform')
    .showHelpAfterError();

  program
    .command('start')
    .description('migrate, seed and serve the API and web console')
    .option('--demo', 'demo mode: synthetic demo data and demo accounts (password gongzhi-demo)')
    .option('--port <port>', 'port (default $PORT or 3000)')
    .option('--no-web-build', 'do not build the web console when it is missing or stale')
    .action(async (options: { demo?: boolean; port?: string; webBuild: boolean }) => {
      const config = loadConfig(process.env, {
        ...(options.demo ? { demo: true } : {}),
        ...(options.port ? { port: Number(options.port) } : {}),
      });
      const server = await startServer(config);
      if (options.webBuild && webBuildNeeded(config.webDistDir)) {
        const started = Date.now();
        console.log('building the web console (first start, or its sources changed)…');
        buildWeb(config.webDistDir).then(
          () => console.log(`web console ready at ${server.url} (built in ${((Date.now() - started) / 1000).toFixed(0)} s)`),
          (error: unknown) => server.app.log.error({ err: error }, 'web console build failed'),
        );
      }
      const broker = server.services.get('mqtt-broker');
      const mqttLine = broker instanceof EmbeddedBroker ? `MQTT broker: mqtt://localhost:${broker.boundPort} (username = device id, password = device token)` : `MQTT: consuming device topics from ${config.mqttUrl ?? '(none)'}`;
      // demo mode's eleven devices talk to the embedded broker, so that alarms arrive in the demo
      const demoDevices = config.demo && config.demoDevices && broker instanceof EmbeddedBroker ? startDemoSimulation({ mqttUrl: `mqtt://127.0.0.1:${broker.boundPort}`, logger: server.app.log }) : null;
      const shutdown = (signal: string) => {
        server.app.log.info({ signal }, 'shutting down');
        (demoDevices ? demoDevices.stop() : Promise.resolve())
          .then(() => server.stop())
          .then(
          () => process.exit(0),
          (error: unknown) => {
            server.app.log.error({ err: error }, 'shutdown failed');
            process.exit(1);
          },
        );
      };
      process.once('SIGTERM', () => shutdown('SIGTERM'));
      process.once('SIGINT', () => shutdown('SIGINT'));
      const banner = [
        `Gongzhi 共治 is running at ${server.url} (database: ${server.database.kind}${server.database.kind === 'pglite' ? `, ${config.dataDir}/pglite` : ''})`,
        mqttLine,
        config.demo ? 'Demo accounts: admin, operator, dispatcher, handler, head, worker, resident, provider, party, steward, maintainer — password: gongzhi-demo' : '',
        config.demo ? `Demo devices in 梅园一村 (demo-only tokens):\n${DEMO_DEVICES.map((d) => `  ${d.profile.padEnd(12)} ${d.id}  ${d.token}`).join('\n')}` : '',
      ].filter(Boolean);
      console.log(banner.join('\n'));
    });

  program
    .command('migrate')
    .description('apply pending database migrations')
    .action(async () => {
      const config = loadConfig();
      const database = await openDatabase(config);
      try {
        const applied = await migrate(database.db);
        console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
      } finally {
        await database.close();
      }
    });

  program
    .command('seed')
    .description('load reference data (the region tree, departments); --demo adds the demo data and accounts')
    .option('--demo', 'also load synthetic demo data and demo accounts')
    .action(async (options: { demo?: boolean }) => {
      await withPlatform(loadConfig(), async (platform) => {
        await seed(platform, { demo: options.demo === true });
        console.log(options.demo ? 'reference and demo data loaded' : 'reference data loaded');
      });
    });

  const user = program.command('user').description('manage accounts');
  user
    .command('add')
    .description('create an account (the first administrator is created this way); the password is read from a prompt, stdin or $GONGZHI_PASSWORD')
    .requiredOption('--username <name>')
    .requiredOption('--display-name <name>')
    .addOption(new Option('--role <role>').choices([...ROLES]).default('admin'))
    .option('--region <code>', 'region code of the scope (default: the root district)')
    .option('--department <code>', 'department code (required for department_handler)')
    .option('--phone <phone>')
    .option('--password-stdin', 'read the password from standard input')
    .action(async (options: { username: string; displayName: string; role: string; region?: string; department?: string; phone?: string; passwordStdin?: boolean }) => {
      const config = loadConfig();
      const password = await readPassword(options.passwordStdin === true);
      await withPlatform(config, async (platform) => {
        await seed(platform, { demo: false });
        const regionCode = options.region ?? config.rootRegionCode;
        const region = await findRegion(platform.db, UNRESTRICTED, regionCode);
        if (!region) throw new Error(`unknown region ${regionCode}`);
        if (!isRole(options.role)) throw new Error(`unknown role ${options.role}`);
        let department = null;
        if (options.department) {
          const found = await findDepartmentByCode(platform.db, options.department);
          if (!found) throw new Error(`unknown department ${options.department}`);
          department = { id: found.id, regionPath: region.regionPath };
        }
        const role = options.role;
        const id = await platform.transaction(systemActor('cli'), (ctx) =>
          createUser(ctx, { username: options.username, displayName: options.displayName, phone: options.phone ?? null, password, assignment: { role, region, department } }, config.passwordHashCost),
        );
        console.log(`created ${options.username} (${id}) as ${role} of ${region.name}`);
      });
    });

  program
    .command('simulate')
    .description('simulated IoT devices (named 模拟·…): registers them through the device import (reusing those cached under DATA_DIR), then publishes their telemetry over MQTT with anomalies until SIGINT/SIGTERM or --duration')
    .addOption(new Option('--devices <n>', 'how many devices').argParser(numberOption('--devices', { min: 1, max: 100_000, integer: true })).default(11))
    .addOption(new Option('--rate <r>', 'messages per second, all devices together').argParser(numberOption('--rate', { min: 0.001, max: 100_000 })).default(10))
    .option('--mqtt <url>', 'the broker (default $MQTT_URL, or mqtt://localhost:$MQTT_PORT with 1883)')
    .option('--api <url>', 'the platform, for registering devices', 'http://localhost:3000')
    .option('--username <name>', 'an account that may manage devices in the region', 'admin')
    .option('--password <password>', 'its password (default $GONGZHI_PASSWORD, or the demo password)')
    .option('--region <code>', 'a committee (居村委), or a grid or building inside one', DEMO_DEVICE_REGION)
    .addOption(new Option('--anomalies <p>', 'chance per message that an anomaly begins').argParser(numberOption('--anomalies', { min: 0, max: 1 })).default(0.01))
    .addOption(new Option('--duration <s>', 'stop after this many seconds').argParser(numberOption('--duration', { min: 0.1, max: 365 * 86_400 })))
    .addOption(new Option('--seed <x>', 'the same seed gives the same messages').argParser(numberOption('--seed', { min: 0, max: 2 ** 32 - 1, integer: true })).default(1))
    .addOption(new Option('--qos <q>', 'MQTT QoS of the messages').choices(['0', '1']).default('1'))
    .action(
      async (options: { devices: number; rate: number; mqtt?: string; api: string; username: string; password?: string; region: string; anomalies: number; duration?: number; seed: number; qos: '0' | '1' }) => {
        const config = loadConfig();
        await runSimulateCommand({
          devices: options.devices,
          rate: options.rate,
          mqttUrl: options.mqtt ?? process.env.MQTT_URL ?? `mqtt://localhost:${process.env.MQTT_PORT ?? '1883'}`,
          apiUrl: options.api,
          username: options.username,
          password: options.password ?? process.env.GONGZHI_PASSWORD ?? DEMO_PASSWORD,
          regionCode: options.region,
          anomalyRate: options.anomalies,
          ...(options.duration !== undefined ? { durationS: options.duration } : {}),
          seed: options.seed,
          qos: options.qos === '0' ? 0 : 1,
          dataDir: config.dataDir,
        });
      },
    );

  const audit = program.command('audit').description('the audit log');
  audit
    .command('verify')
    .description('recompute the audit hash chain; exits 1 and names the first broken entry if it does not hold')
    .action(async () => {
      const config = loadConfig();
      const database = await openDatabase(config);
      try {
        const result = await verifyAuditChain(database.db);
        if (result.ok) {
          console.log(`audit chain intact: ${result.checked} entries, head ${result.lastHash}`);
        } else {
          const b = result.firstBroken!;
          console.error(`audit chain BROKEN at entry ${b.id} (${b.problem}): expected ${b.expected}, found ${b.found}; ${result.checked} entries before it verified`);
          process.exitCode = 1;
        }
      } finally {
        await database.close();
      }
    });

  const ledger = program.command('ledger').description('the committee ledger');
  ledger
    .command('import')
    .description('import a department spreadsheet (CSV in UTF-8 or GBK, or XLSX) into the ledger, streaming, in batches; prints the counts')
    .requiredOption('--source <name>', 'where the data comes from: 民政, 卫健, 残联, 公安实有人口, 房管, 社工走访, 居民自报 … (or its code)')
    .option('--mapping <file>', 'JSON file: header text → field (name, id_number, …, tag.<code>, record_key, ignore)')
    .argument('<file>', 'the .csv or .xlsx file')
    .action(async (file: string, options: { source: string; mapping?: string }) => {
      const mapping: unknown = options.mapping ? JSON.parse(await readFile(options.mapping, 'utf8')) : undefined;
      await withPlatform(loadConfig(), async (platform) => {
        await seed(platform, { demo: false });
        const result = await importFile(platform, systemActor('cli'), { path: file, source: options.source, ...(mapping !== undefined ? { mapping } : {}) });
        const c = result.counts;
        console.log(JSON.stringify({ id: result.id, status: result.status, rows: c.rows, imported: c.imported, unchanged: c.unchanged, rejected: c.rejected, conflicts: c.conflicts, message: result.message }));
        if (result.status !== 'done') process.exitCode = 1;
      });
    });

  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof AppError) {
      console.error(`${error.code}: ${ERROR_MESSAGES[error.code]['zh-CN']} / ${ERROR_MESSAGES[error.code].en}`);
    } else {
      console.error(error instanceof Error ? error.message : error);
    }
    process.exitCode = 1;
  }
}
