/**
 * The official OASIS STIX 2.1 JSON schemas, vendored under `src/intel/schemas/` (see its
 * README.md for origin and version). Imported as JSON modules so that `tsc` copies them into
 * `dist/` and the product needs no file-system access to find them. Importing parses them;
 * nothing is compiled until the first validation (see `schema-validator.ts`).
 */
import common_binary from './schemas/common/binary.json' with { type: 'json' };
import common_bundle from './schemas/common/bundle.json' with { type: 'json' };
import common_core from './schemas/common/core.json' with { type: 'json' };
import common_cyber_observable_core from './schemas/common/cyber-observable-core.json' with { type: 'json' };
import common_dictionary from './schemas/common/dictionary.json' with { type: 'json' };
import common_extension_definition from './schemas/common/extension-definition.json' with { type: 'json' };
import common_extension from './schemas/common/extension.json' with { type: 'json' };
import common_external_reference from './schemas/common/external-reference.json' with { type: 'json' };
import common_granular_marking from './schemas/common/granular-marking.json' with { type: 'json' };
import common_hashes_type from './schemas/common/hashes-type.json' with { type: 'json' };
import common_hex from './schemas/common/hex.json' with { type: 'json' };
import common_identifier from './schemas/common/identifier.json' with { type: 'json' };
import common_kill_chain_phase from './schemas/common/kill-chain-phase.json' with { type: 'json' };
import common_language_content from './schemas/common/language-content.json' with { type: 'json' };
import common_marking_definition from './schemas/common/marking-definition.json' with { type: 'json' };
import common_properties from './schemas/common/properties.json' with { type: 'json' };
import common_timestamp from './schemas/common/timestamp.json' with { type: 'json' };
import common_url_regex from './schemas/common/url-regex.json' with { type: 'json' };
import observables_artifact from './schemas/observables/artifact.json' with { type: 'json' };
import observables_autonomous_system from './schemas/observables/autonomous-system.json' with { type: 'json' };
import observables_directory from './schemas/observables/directory.json' with { type: 'json' };
import observables_domain_name from './schemas/observables/domain-name.json' with { type: 'json' };
import observables_email_addr from './schemas/observables/email-addr.json' with { type: 'json' };
import observables_email_message from './schemas/observables/email-message.json' with { type: 'json' };
import observables_file from './schemas/observables/file.json' with { type: 'json' };
import observables_ipv4_addr from './schemas/observables/ipv4-addr.json' with { type: 'json' };
import observables_ipv6_addr from './schemas/observables/ipv6-addr.json' with { type: 'json' };
import observables_mac_addr from './schemas/observables/mac-addr.json' with { type: 'json' };
import observables_mutex from './schemas/observables/mutex.json' with { type: 'json' };
import observables_network_traffic from './schemas/observables/network-traffic.json' with { type: 'json' };
import observables_process from './schemas/observables/process.json' with { type: 'json' };
import observables_software from './schemas/observables/software.json' with { type: 'json' };
import observables_url from './schemas/observables/url.json' with { type: 'json' };
import observables_user_account from './schemas/observables/user-account.json' with { type: 'json' };
import observables_windows_registry_key from './schemas/observables/windows-registry-key.json' with { type: 'json' };
import observables_x509_certificate from './schemas/observables/x509-certificate.json' with { type: 'json' };
import sdos_attack_pattern from './schemas/sdos/attack-pattern.json' with { type: 'json' };
import sdos_campaign from './schemas/sdos/campaign.json' with { type: 'json' };
import sdos_course_of_action from './schemas/sdos/course-of-action.json' with { type: 'json' };
import sdos_grouping from './schemas/sdos/grouping.json' with { type: 'json' };
import sdos_identity from './schemas/sdos/identity.json' with { type: 'json' };
import sdos_incident from './schemas/sdos/incident.json' with { type: 'json' };
import sdos_indicator from './schemas/sdos/indicator.json' with { type: 'json' };
import sdos_infrastructure from './schemas/sdos/infrastructure.json' with { type: 'json' };
import sdos_intrusion_set from './schemas/sdos/intrusion-set.json' with { type: 'json' };
import sdos_location from './schemas/sdos/location.json' with { type: 'json' };
import sdos_malware_analysis from './schemas/sdos/malware-analysis.json' with { type: 'json' };
import sdos_malware from './schemas/sdos/malware.json' with { type: 'json' };
import sdos_note from './schemas/sdos/note.json' with { type: 'json' };
import sdos_observed_data from './schemas/sdos/observed-data.json' with { type: 'json' };
import sdos_opinion from './schemas/sdos/opinion.json' with { type: 'json' };
import sdos_report from './schemas/sdos/report.json' with { type: 'json' };
import sdos_threat_actor from './schemas/sdos/threat-actor.json' with { type: 'json' };
import sdos_tool from './schemas/sdos/tool.json' with { type: 'json' };
import sdos_vulnerability from './schemas/sdos/vulnerability.json' with { type: 'json' };
import sros_relationship from './schemas/sros/relationship.json' with { type: 'json' };
import sros_sighting from './schemas/sros/sighting.json' with { type: 'json' };

/** Every vendored schema; each carries its `$id`, against which relative `$ref`s resolve. */
export const STIX_SCHEMAS: readonly object[] = [
  common_binary,
  common_bundle,
  common_core,
  common_cyber_observable_core,
  common_dictionary,
  common_extension_definition,
  common_extension,
  common_external_reference,
  common_granular_marking,
  common_hashes_type,
  common_hex,
  common_identifier,
  common_kill_chain_phase,
  common_language_content,
  common_marking_definition,
  common_properties,
  common_timestamp,
  common_url_regex,
  observables_artifact,
  observables_autonomous_system,
  observables_directory,
  observables_domain_name,
  observables_email_addr,
  observables_email_message,
  observables_file,
  observables_ipv4_addr,
  observables_ipv6_addr,
  observables_mac_addr,
  observables_mutex,
  observables_network_traffic,
  observables_process,
  observables_software,
  observables_url,
  observables_user_account,
  observables_windows_registry_key,
  observables_x509_certificate,
  sdos_attack_pattern,
  sdos_campaign,
  sdos_course_of_action,
  sdos_grouping,
  sdos_identity,
  sdos_incident,
  sdos_indicator,
  sdos_infrastructure,
  sdos_intrusion_set,
  sdos_location,
  sdos_malware_analysis,
  sdos_malware,
  sdos_note,
  sdos_observed_data,
  sdos_opinion,
  sdos_report,
  sdos_threat_actor,
  sdos_tool,
  sdos_vulnerability,
  sros_relationship,
  sros_sighting,
];
