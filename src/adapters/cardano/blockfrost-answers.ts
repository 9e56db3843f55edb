import { ChainErrors, type Utxo } from '../../domain/chain/chain.js';
import type { DomainError } from '../../domain/shared/domain-error.js';

/** CHAIN.UNAVAILABLE for an answer of Blockfrost that is not what its API documents. */
export function unexpected(what: string): DomainError {
  return ChainErrors.unavailable(`unexpected answer from Blockfrost: ${what}`);
}

/** The answer as a JSON object; CHAIN.UNAVAILABLE when it is not one. */
export function asObject(v: unknown, what: string): Record<string, unknown> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw unexpected(what);
  return v as Record<string, unknown>;
}

/** A number field (Blockfrost sends lovelace amounts as decimal strings); CHAIN.UNAVAILABLE when it is none. */
export function numberField(o: Record<string, unknown>, key: string): number {
  const v = o[key];
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n)) throw unexpected(`${key} is ${JSON.stringify(v)}`);
  return n;
}

/** One entry of GET /addresses/{address}/utxos, amounts summed per unit. */
export function readUtxo(item: unknown): Utxo {
  const o = asObject(item, 'UTxO');
  const amount = o.amount;
  if (
    typeof o.tx_hash !== 'string' ||
    typeof o.output_index !== 'number' ||
    typeof o.address !== 'string' ||
    !Array.isArray(amount)
  )
    throw unexpected('UTxO');
  let lovelace = 0n;
  const assets: Record<string, bigint> = {};
  for (const entry of amount) {
    const { unit, quantity } = asObject(entry, 'UTxO amount');
    if (typeof unit !== 'string' || (typeof quantity !== 'string' && typeof quantity !== 'number'))
      throw unexpected('UTxO amount');
    let qty: bigint;
    try {
      qty = BigInt(quantity);
    } catch {
      throw unexpected('UTxO amount');
    }
    if (unit === 'lovelace') lovelace += qty;
    else assets[unit] = (assets[unit] ?? 0n) + qty;
  }
  return { txHash: o.tx_hash, index: o.output_index, address: o.address, lovelace, assets };
}

/**
 * Maps a failed POST /tx/submit to the port's errors.
 *
 * Blockfrost answers a ledger rejection with 400 and `{status_code: 400, error: "Bad Request", message}`,
 * where `message` is the node's (cardano-submit-api's) error text. Its layout changed over time: before
 * Conway it was the Haskell `show` text ("transaction submit error ShelleyTxValidationError
 * ShelleyBasedEraBabbage (ApplyTxError [UtxowFailure (UtxoFailure (FromAlonzoUtxoFail (BadInputsUTxO
 * (fromList [...]))))])"), since Conway it is JSON in a string ({"contents":{"contents":{"contents":{"era":
 * "ShelleyBasedEraConway","error":["ConwayUtxowFailure (UtxoFailure (BadInputsUTxO ...))", ...]}}}}).
 * Both spell the ledger's predicate-failure constructors verbatim, so we match those names as whole
 * words, and nothing else in the prose:
 * - `BadInputsUTxO`: an input is not in the UTxO set (spent by a block or by a mempool transaction, the
 *   node's mempool checks against ledger + mempool). The ledger then also reports `ValueNotConservedUTxO`
 *   (the missing input's value is absent from the balance): that is a consequence, not a second fault, so
 *   BadInputsUTxO present => CHAIN.UTXO_BUSY, and the caller rebuilds with fresh inputs (any other defect
 *   of the transaction shows again, as CHAIN.REJECTED, on that next attempt).
 * - a witness failure (`MissingVKeyWitnessesUTXOW`, `InvalidWitnessesUTXOW`, ...) without BadInputsUTxO: the
 *   minting key does not sign what the ledger expects => CHAIN.INVALID_WITNESS (fatal, like a rejection).
 * - `ValueNotConservedUTxO` without BadInputsUTxO: the transaction itself is unbalanced => CHAIN.REJECTED.
 * - any other 400 (other ledger failures, undecodable CBOR) => CHAIN.REJECTED; 413 (too large) too.
 * - 425 (mempool full) => CHAIN.MEMPOOL_FULL; 429/402 (limits), 418 (ban), 403 (key), 5xx and anything else
 *   => CHAIN.UNAVAILABLE: the transaction may be fine, so both stay retryable.
 */
/** The ledger's witness failures (a signature missing or not verifying): CHAIN.INVALID_WITNESS. */
const WITNESS_FAILURES =
  /\b(MissingVKeyWitnessesUTXOW|InvalidWitnessesUTXOW|MissingScriptWitnessesUTXOW|ScriptWitnessNotValidatingUTXOW)\b/;

export function classifySubmitError(status: number, bodyText: string): DomainError {
  const message = errorMessage(bodyText);
  if (status === 400) {
    if (/\bBadInputsUTxO\b/.test(bodyText)) return ChainErrors.utxoBusy(`Blockfrost: ${message}`);
    if (WITNESS_FAILURES.test(bodyText)) return ChainErrors.invalidWitness(`Blockfrost: ${message}`);
    return ChainErrors.rejected(`Blockfrost: ${message}`);
  }
  if (status === 413) return ChainErrors.rejected(`Blockfrost 413: ${message}`);
  if (status === 425) return ChainErrors.mempoolFull(`Blockfrost 425: ${message}`);
  return ChainErrors.unavailable(`Blockfrost submit answered ${status}: ${message}`);
}

/** Blockfrost's error `message` (or the raw text), shortened for error details. */
export function errorMessage(text: string): string {
  let message = text;
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    if (typeof parsed?.message === 'string') message = parsed.message;
  } catch {
    // Not Blockfrost's JSON: use the text as it is.
  }
  message = message.replace(/\s+/g, ' ').trim() || '(empty body)';
  return message.length > 600 ? `${message.slice(0, 600)}…` : message;
}
