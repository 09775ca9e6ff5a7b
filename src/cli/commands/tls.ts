/**
 * `concordat tls show`: what a partner needs for its `concordat peer add` — this node's CA file
 * (to send), the node certificate's SHA-256 (to pin), subject, validity, and the federation
 * url. Reads the config and the TLS files only; the node is not opened.
 */
import type { Command } from 'commander';
import { ConcordatError } from '../../core/index.js';
import { configWhere, loadNodeConfig } from '../../node/index.js';
import { certificateFingerprint, loadTlsIdentity, toX509 } from '../../tls/index.js';
import { action, type RunState } from '../context.js';
import type { CliIo } from '../io.js';
import { addConfigOption, configPath } from '../node-open.js';

/** Registers `concordat tls show`. */
export function registerTlsCommands(program: Command, io: CliIo, state: RunState): void {
  const tls = program
    .command('tls')
    .description("this node's tls identity (mutual tls between nodes)")
    .helpCommand(false);
  addConfigOption(
    tls
      .command('show')
      .description('print the node certificate fingerprint, subject, validity and ca file'),
  )
    .addHelpText(
      'after',
      `
Send the partner the ca file and the federation url; it runs \`concordat peer add\` with
them (and --pin with the fingerprint to pin this exact certificate).

Example:
  $ concordat tls show
  node certificate  CN=concordat.arv.node, O=ARV
  sha-256           3f1c…e9
  valid             2026-03-03T13:00:00.000Z … 2028-06-05T14:00:00.000Z
  ca file           .concordat/tls/ca.crt  (send this to partners)`,
    )
    .action(
      action(io, state, async (ctx, opts: { config?: string }) => {
        const config = await loadNodeConfig(configPath(ctx.io, opts.config));
        if (config.tls === undefined)
          throw new ConcordatError(
            'ERR_USAGE',
            `node config \`${config.file}\` has no \`tls\` section; \`concordat init\` writes one, docs/federation.md shows how to bring your own`,
          );
        const id = await loadTlsIdentity(config.tls, (field) => configWhere(config, field));
        const cert = id.certificate;
        const ca = toX509(id.caPem);
        const fed = config.federation;
        const url =
          fed === undefined ? null : `https://${fed.listen.host}:${fed.listen.port}/taxii2/`;
        const doc = {
          party: config.party,
          origin: config.origin,
          certificate: {
            path: config.tls.cert,
            subject: cert.subject.split('\n').join(', '),
            issuer: cert.issuer.split('\n').join(', '),
            fingerprint: id.fingerprint,
            validFrom: new Date(cert.validFrom).toISOString(),
            validTo: new Date(cert.validTo).toISOString(),
            subjectAltName: cert.subjectAltName ?? null,
          },
          ca: {
            path: config.tls.ca,
            subject: ca.subject.split('\n').join(', '),
            fingerprint: certificateFingerprint(ca),
          },
          federation: url === null ? null : { url, peers: fed?.peers.length ?? 0 },
        };
        if (ctx.json) {
          ctx.emitJson(doc);
          return;
        }
        const { style } = ctx;
        ctx.line(`node certificate  ${doc.certificate.subject}`);
        ctx.line(`issued by         ${doc.certificate.issuer}`);
        ctx.line(
          `sha-256           ${doc.certificate.fingerprint}  ${style.dim('(a partner’s --pin)')}`,
        );
        ctx.line(`valid             ${doc.certificate.validFrom} … ${doc.certificate.validTo}`);
        ctx.line(`ca file           ${doc.ca.path}  ${style.dim('(send this to partners)')}`);
        ctx.line(
          `ca sha-256        ${doc.ca.fingerprint}  ${style.dim('(compare it out of band)')}`,
        );
        if (url !== null) ctx.line(`federation url    ${url}`);
        ctx.line();
        ctx.line('a partner adds this node with:');
        ctx.line(
          `  concordat peer add --party ${config.party} --url ${url ?? 'https://HOST:PORT/taxii2/'} --ca ${config.party}-ca.crt --agency AGENCY --pin ${doc.certificate.fingerprint}`,
        );
      }),
    );
}
