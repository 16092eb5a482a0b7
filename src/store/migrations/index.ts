/**
 * The ordered list of schema migrations. Append only: a released migration
 * is never edited, a change is a new entry.
 *
 * @module
 */
import type { Migration } from "../migrate.js";
import { m001NodeMeta } from "./001-node-meta.js";
import { m002AuditLog } from "./002-audit-log.js";
import { m003ApiKeys } from "./003-api-keys.js";
import { m004Facts } from "./004-facts.js";
import { m005Embeddings } from "./005-embeddings.js";
import { m006Cards } from "./006-cards.js";
import { m007TextIndexPerCommit } from "./007-text-index-per-commit.js";
import { m008CompactCidIndex } from "./008-compact-cid-index.js";
import { m009SparseTriples } from "./009-sparse-triples.js";
import { m010Quarantine } from "./010-quarantine.js";
import { m011Federation } from "./011-federation.js";
import { m012Subscriptions } from "./012-subscriptions.js";

export const MIGRATIONS: readonly Migration[] = [
  m001NodeMeta,
  m002AuditLog,
  m003ApiKeys,
  m004Facts,
  m005Embeddings,
  m006Cards,
  m007TextIndexPerCommit,
  m008CompactCidIndex,
  m009SparseTriples,
  m010Quarantine,
  m011Federation,
  m012Subscriptions,
];
