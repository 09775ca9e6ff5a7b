/**
 * Threat-actor and malware names the synthetic feed draws from, vendored so the product never
 * reads `../shared` at run time.
 *
 * Source: MISP galaxy clusters `clusters/threat-actor.json` and `clusters/tool.json`,
 * https://github.com/MISP/misp-galaxy at commit 9434ace4eb925c9a1c9b3bccf014a25f9d14f0b0
 * (values and cluster UUIDs copied verbatim). Licence: dual CC0 1.0 Universal or BSD-2-Clause,
 * Copyright (c) 2015-2018 Alexandre Dulaunoy, CIRCL, Andras Iklody, Raphael Vinot, Deborah
 * Servili, various contributors.
 */

/** One galaxy cluster value: its name and the cluster's UUID (used to derive STIX ids). */
export interface GalaxyName {
  readonly name: string;
  readonly uuid: string;
}

/** Threat actors (MISP galaxy `threat-actor`). */
export const THREAT_ACTORS: readonly GalaxyName[] = Object.freeze([
  { name: 'APT1', uuid: '1cb7e1cc-d695-42b1-92f4-fd0112a3c9be' },
  { name: 'Sandworm', uuid: 'f512de42-f76b-40d2-9923-59e7dbdfec35' },
  { name: 'APT28', uuid: '5b4ee3ea-eee3-4c8e-8323-85ae32658754' },
  { name: 'APT29', uuid: 'b2056ff0-00b9-482e-b11c-c771daa5f28a' },
  { name: 'Lazarus Group', uuid: '68391641-859f-4a9a-9a1e-3e5cf71ec376' },
  { name: 'Turla', uuid: 'fa80877c-f509-4daf-8b62-20aba1635f68' },
  { name: 'FIN7', uuid: '00220228-a5a4-4032-a30d-826bb55aa3fb' },
  { name: 'Kimsuky', uuid: 'bcaaad6f-0597-4b89-b69b-84a6be2b7bc3' },
  { name: 'OilRig', uuid: '42be2a84-5a5c-4c6d-9864-3f09d75bb0ba' },
  { name: 'MuddyWater', uuid: 'a29af069-03c3-4534-b78b-7d1a77ea085b' },
  { name: 'TA505', uuid: '03c80674-35f8-4fe0-be2b-226ed0fcd69f' },
  { name: 'Gamaredon Group', uuid: '1a77e156-76bc-43f5-bdd7-bd67f30fbbbb' },
  { name: 'Scattered Spider', uuid: '3b238f3a-c67a-4a9e-b474-dc3897e00129' },
  { name: 'Volt Typhoon', uuid: 'f02679fa-5e85-4050-8eb5-c2677d93306f' },
]);

/** Malware families and tools (MISP galaxy `tool`). */
export const MALWARE_FAMILIES: readonly GalaxyName[] = Object.freeze([
  { name: 'PlugX', uuid: 'f4b159ea-97e5-483b-854b-c48a78d562aa' },
  { name: 'Mimikatz', uuid: '7f3a035d-d83a-45b8-8111-412aa8ade802' },
  { name: 'njRAT', uuid: 'a860d257-4a39-47ec-9230-94cac67ebf7e' },
  { name: 'Emotet', uuid: '3f7616bd-f1de-46ee-87c2-43c0c2edaa28' },
  { name: 'Cobalt Strike', uuid: '97f26fab-af0e-4da9-b4c1-aec70cace22d' },
  { name: 'Dridex', uuid: '276c2c2e-09da-44cf-a3f7-806b3feb41da' },
  { name: 'BlackEnergy', uuid: '5a22cad7-65fa-4b7a-a7aa-7915a6101efa' },
  { name: 'X-Agent', uuid: '3e2c99f9-66cd-48be-86e9-d7c1c164d87c' },
  { name: 'Zeus', uuid: '0ce448de-c2bb-4c6e-9ad7-c4030f02b4d7' },
  { name: 'NotPetya', uuid: '00c31914-bc0e-11e8-8241-3ff3b5e4671d' },
  { name: 'Agent Tesla', uuid: 'f8cd62cb-b9d3-4352-8f46-0961cfde104c' },
  { name: 'Poison Ivy', uuid: '2abe89de-46dd-4dae-ae22-b49a593aff54' },
  { name: 'Winnti', uuid: '9b3a4cff-1c5a-4fd6-b49c-27240b6d622c' },
  { name: 'NanoCoreRAT', uuid: 'a8111fb7-d4c4-4671-a6f9-f62fea8bad60' },
  { name: 'Tinba', uuid: '75f53ead-1aee-4f91-8cb9-b4170d747cfc' },
]);
