/**
 * `@stigmem/sdk/verify`: local integrity checks that agree with the node byte
 * for byte — fact CIDs (protocol.md §4) and fact-chain proofs (§11).
 *
 * @module
 */
export { computeFactCid, factValueV, verifyFactCid } from "./fact-cid.js";
export type { CidFields, CidVerification } from "./fact-cid.js";
export { verifyChainProof } from "./chain-proof.js";
export type { ChainFact, ChainProofFailure, ChainProofVerification } from "./chain-proof.js";
export { chainLinkHash } from "../../../../src/core/fact-chain-hash.js";
export type { ChainLinkInput } from "../../../../src/core/fact-chain-hash.js";
