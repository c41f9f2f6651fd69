import { formatHelp, parseFlags, UsageError } from './flags.js';
import { ListenError } from '../lib/listener.js';
import { serverFlags } from './server_flags.js';
import { runKubectl } from './kubectl.js';
import { SKIFF_VERSION, versionInfo } from './version.js';
import { agentFlags, simNodesFlags } from './agent_flags.js';

const usage = `skiff - a lightweight Kubernetes distribution

USAGE:
   skiff COMMAND [flags]

COMMANDS:
   server    Run the control plane (API server and datastore); see 'skiff server --help'
   agent     Run a node agent that joins a server (SKIFF_URL, SKIFF_TOKEN); see 'skiff agent --help'
   sim-nodes Run simulated nodes with the fake runtime; see 'skiff sim-nodes --help'
   kubectl   Run kubectl with the server's admin kubeconfig (/etc/skiff/skiff.yaml)
   images    Import image archives into a node's containerd; see 'skiff images --help'
   secrets-encrypt  Control secrets encryption and keys rotation on the running server; see 'skiff secrets-encrypt --help'
   certificate  Check and rotate the certificates of a data dir; see 'skiff certificate --help'
   token     Manage bootstrap tokens (create, list, delete, generate); see 'skiff token --help'
   check-config  Check this machine's kernel, cgroups and binaries for running skiff
   lab       Build a multi-node cluster from network namespaces on this machine; see 'skiff lab --help'
   version   Print the version

Run 'skiff COMMAND --help' for a command's flags.`;

/** main dispatches `skiff COMMAND ...`; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        console.log(usage);
        return cmd === undefined ? 1 : 0;
      case '-v':
      case '--version':
      case 'version':
        console.log(`skiff version v${SKIFF_VERSION} (Kubernetes ${versionInfo().gitVersion})\nnode ${process.version}`);
        return 0;
      // Commands load their modules on demand, so an agent process does not carry the server's code.
      case 'lab':
        return await (await import('./lab.js')).runLab(rest);
      case 'kubectl':
        return await runKubectl(rest);
      case 'images':
        return await (await import('./images.js')).runImages(rest);
      case 'token':
        return await (await import('./token.js')).runToken(rest);
      case 'check-config':
        return await (await import('./check_config.js')).runCheckConfig(rest);
      case 'certificate':
        return await (await import('./certificate.js')).runCertificate(rest);
      case 'secrets-encrypt':
        return await (await import('./secrets_encrypt.js')).runSecretsEncrypt(rest);
      case 'server': {
        if (rest.includes('--help') || rest.includes('-h')) {
          console.log(`skiff server - run the control plane\n\nUSAGE:\n   skiff server [flags]\n\nFLAGS:\n${formatHelp(serverFlags)}`);
          return 0;
        }
        const { values, args } = parseFlags(serverFlags, rest);
        if (args.length) throw new UsageError(`unexpected argument ${args[0]}`);
        await (await import('./server.js')).runServer(values);
        return 0;
      }
      case 'agent':
      case 'sim-nodes': {
        const [title, specs] = cmd === 'agent' ? (['run a node agent', agentFlags] as const) : (['run simulated nodes with the fake runtime', simNodesFlags] as const);
        if (rest.includes('--help') || rest.includes('-h')) {
          console.log(`skiff ${cmd} - ${title}\n\nUSAGE:\n   skiff ${cmd} [flags]\n\nFLAGS:\n${formatHelp(specs)}`);
          return 0;
        }
        const { values, args } = parseFlags(specs, rest);
        if (args.length) throw new UsageError(`unexpected argument ${args[0]}`);
        if (cmd === 'agent') await (await import('./agent.js')).runAgent(values);
        else await (await import('./sim_nodes.js')).runSimNodes(values);
        return 0;
      }
      default:
        throw new UsageError(`unknown command ${JSON.stringify(cmd)}; run 'skiff --help' for the list`);
    }
  } catch (e) {
    if (e instanceof UsageError || e instanceof ListenError) {
      process.stderr.write(`skiff: ${e.message}\n`);
      return 1;
    }
    process.stderr.write(`skiff: ${(e as Error).stack ?? String(e)}\n`);
    return 1;
  }
}
